import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerState } from '../../src/chatbot/circuit-breaker.js';

describe('CircuitBreaker', () => {
  function makeBreaker() {
    let now = 0;
    const changes: BreakerState[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 3,
      coolDownMs: 1_000,
      now: () => now,
      onStateChange: (state) => changes.push(state),
    });
    return { breaker, changes, advance: (ms: number) => void (now += ms) };
  }

  it('opens after the threshold of consecutive failures and sheds until the cool-down ends', () => {
    const { breaker, changes, advance } = makeBreaker();
    for (let i = 0; i < 3; i += 1) breaker.record(breaker.tryAcquire()!, 'failure');
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    advance(999);
    expect(breaker.tryAcquire()).toBeUndefined();
    advance(1);
    expect(breaker.state).toBe('half-open');
    expect(changes).toEqual(['open']);
  });

  it('a success in between resets the count', () => {
    const { breaker } = makeBreaker();
    breaker.record(breaker.tryAcquire()!, 'failure');
    breaker.record(breaker.tryAcquire()!, 'failure');
    breaker.record(breaker.tryAcquire()!, 'success');
    breaker.record(breaker.tryAcquire()!, 'failure');
    breaker.record(breaker.tryAcquire()!, 'failure');
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one trial through when half-open; its success closes the circuit', () => {
    const { breaker, changes, advance } = makeBreaker();
    for (let i = 0; i < 3; i += 1) breaker.record(breaker.tryAcquire()!, 'failure');
    advance(1_000);
    const trial = breaker.tryAcquire();
    expect(trial).toEqual({ trial: true });
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.record(trial!, 'success');
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toEqual({ trial: false });
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed trial opens the circuit for another cool-down; a neutral one frees the slot', () => {
    const { breaker, advance } = makeBreaker();
    for (let i = 0; i < 3; i += 1) breaker.record(breaker.tryAcquire()!, 'failure');
    advance(1_000);
    breaker.record(breaker.tryAcquire()!, 'neutral');
    const trial = breaker.tryAcquire();
    expect(trial?.trial).toBe(true);
    breaker.record(trial!, 'failure');
    expect(breaker.tryAcquire()).toBeUndefined();
    advance(1_000);
    expect(breaker.tryAcquire()?.trial).toBe(true);
  });

  it('rejects settings that cannot work', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ coolDownMs: -1 })).toThrow(RangeError);
  });
});
