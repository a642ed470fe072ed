import { describe, expect, it } from 'vitest';
import { computeBackoffDelay, parseRetryAfter, resolveRetryOptions } from '../src/backoff.js';

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
