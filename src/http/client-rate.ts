/**
 * A rate per client address: at most `perMinute` requests in each minute (a fixed window), and
 * for a refused one, how long until the window turns (`Retry-After`). Memory is bounded: the
 * counts are dropped whole when a window turns, and past {@link MAX_TRACKED_CLIENTS} addresses in
 * one window the rest share one count, so a flood of addresses cannot grow the map.
 *
 * @module
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_SECOND = 1_000;
/** Addresses counted apart in one window; beyond them, every new address shares one count. */
export const MAX_TRACKED_CLIENTS = 100_000;
const SHARED = '(others)';

/** The decision on one request: go ahead, or wait this many whole seconds. */
export type RateVerdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** Requests per client and minute. */
export interface ClientRate {
  /** Count one request of `client`. */
  take(client: string): RateVerdict;
}

/**
 * A rate of `perMinute` requests per client; `now` is the clock (ms), for tests.
 *
 * @example
 * ```ts
 * const rate = createClientRate(600);
 * const verdict = rate.take('203.0.113.7');
 * if (!verdict.ok) res.set('retry-after', String(verdict.retryAfterSeconds)).status(429);
 * ```
 */
export function createClientRate(perMinute: number, now: () => number = Date.now): ClientRate {
  let window = Math.floor(now() / MS_PER_MINUTE);
  let counts = new Map<string, number>();
  return {
    take(client) {
      const time = now();
      const current = Math.floor(time / MS_PER_MINUTE);
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const key = counts.has(client) || counts.size < MAX_TRACKED_CLIENTS ? client : SHARED;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count <= perMinute) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * MS_PER_MINUTE - time) / MS_PER_SECOND)) };
    },
  };
}
