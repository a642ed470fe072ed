import { describe, expect, it } from 'vitest';
import { MAX_TRACKED_CLIENTS, createClientRate } from '../../src/http/client-rate.js';

describe('createClientRate', () => {
  it('lets perMinute requests per client through in each minute, and says how long until the next', () => {
    let now = 120_000 + 15_500;
    const rate = createClientRate(2, () => now);
    expect([rate.take('a'), rate.take('a'), rate.take('b')].every((verdict) => verdict.ok)).toBe(true);
    expect(rate.take('a')).toEqual({ ok: false, retryAfterSeconds: 45 });
    now = 180_000 - 100;
    expect(rate.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now = 180_000;
    expect(rate.take('a')).toEqual({ ok: true });
  });

  it('keeps at most MAX_TRACKED_CLIENTS addresses apart; the rest share one count', () => {
    const rate = createClientRate(1, () => 0);
    for (let k = 0; k < MAX_TRACKED_CLIENTS; k++) rate.take(`client-${k}`);
    expect(rate.take('newcomer').ok).toBe(true);
    expect(rate.take('another newcomer').ok).toBe(false);
    expect(rate.take('client-7').ok).toBe(false);
  });
});
