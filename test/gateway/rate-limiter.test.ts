import { describe, expect, it } from 'vitest';
import { FLOOD_STRIKES, RateLimiter } from '../../src/gateway/rate-limiter.js';

describe('rate limiter', () => {
  it('lets a minute’s allowance through as a burst, then refills continuously', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take()).toBe('allow');
    expect(limiter.take()).toBe('limit');
    now += 1000; // one token per second at 60/min
    expect(limiter.take()).toBe('allow');
    expect(limiter.take()).toBe('limit');
    now += 60_000 * 10; // never more than the allowance
    for (let i = 0; i < 60; i++) expect(limiter.take()).toBe('allow');
    expect(limiter.take()).toBe('limit');
  });

  it('calls it a flood after FLOOD_STRIKES refusals in a row, and forgives after an allowed one', () => {
    let now = 0;
    const limiter = new RateLimiter(1, () => now);
    expect(limiter.take()).toBe('allow');
    for (let i = 1; i < FLOOD_STRIKES; i++) expect(limiter.take()).toBe('limit');
    expect(limiter.take()).toBe('flood');
    now += 60_000;
    expect(limiter.take()).toBe('allow');
    expect(limiter.take()).toBe('limit');
  });
});
