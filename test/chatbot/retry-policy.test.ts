import { describe, expect, it } from 'vitest';
import { computeBackoffDelay, parseRetryAfter, resolveRetryOptions } from '../../src/chatbot/backoff.js';
import { CircuitBreaker, type BreakerState } from '../../src/chatbot/circuit-breaker.js';

describe('backoff', () => {
  it('doubles its ceiling per retry up to the maximum, with equal jitter', () => {
    const low = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0 });
    const high = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999_999 });
    expect([1, 2, 3, 4, 5, 6].map((retry) => computeBackoffDelay(retry, low))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((retry) => computeBackoffDelay(retry, high))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('rejects settings that cannot work', () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => resolveRetryOptions({ baseDelayMs: 500, maxDelayMs: 100 })).toThrow(RangeError);
    expect(resolveRetryOptions().maxAttempts).toBe(5);
  });

  it('reads Retry-After as seconds or as an HTTP-date', () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(['2', '9'], now)).toBe(2_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

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
