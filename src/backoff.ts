/**
 * How long to wait before the next attempt: jittered exponential backoff, or what a server asked
 * for with `Retry-After`. One rule for every retry of the service — the vendor core's requests,
 * Boost's polls, the Direct Line stream's reconnects — and for the browser client's reconnects,
 * so it is a leaf that imports nothing and runs in a browser as well as in Node.
 *
 * @module
 */

/** Retry settings; every field has a default. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 5). The time budget may end them sooner. */
  readonly maxAttempts?: number;
  /** Backoff ceiling before the first retry, in ms (default 200); it doubles per attempt. */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling, in ms (default 2000). */
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1); `Math.random` by default. Tests pass a fixed one. */
  readonly random?: () => number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The retry settings used where none are given. */
export const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  random: Math.random,
});

const MS_PER_SECOND = 1_000;
const DELTA_SECONDS = /^\s*(\d+)\s*$/;
/** All three HTTP-date formats (RFC 9110 §5.6.7) open with a day name; `Date.parse` alone takes '-1'. */
const HTTP_DATE_START = /^\s*[A-Za-z]{3}/;

/** Fill in the defaults and check the ranges once, when the adapter is built. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const resolved = { ...DEFAULT_RETRY, ...options };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new RangeError('retry.maxAttempts must be a whole number of at least 1');
  }
  if (!(resolved.baseDelayMs >= 0) || !(resolved.maxDelayMs >= resolved.baseDelayMs)) {
    throw new RangeError('retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs');
  }
  return Object.freeze(resolved);
}

/**
 * The wait before retry number `retry` (1 for the first retry): "equal jitter" — half the
 * exponential ceiling plus a random share of the other half, so retries from many gateways
 * spread out yet never collapse to an immediate hammering of a struggling vendor.
 *
 * @example
 * ```ts
 * computeBackoffDelay(1, resolveRetryOptions()); // 100–200 ms
 * computeBackoffDelay(3, resolveRetryOptions()); // 400–800 ms
 * ```
 */
export function computeBackoffDelay(retry: number, options: ResolvedRetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const half = ceiling / 2;
  return Math.round(half + options.random() * half);
}

/**
 * The wait a `Retry-After` header asks for, in ms (RFC 9110 §10.2.3): either delay-seconds or an
 * HTTP-date. `undefined` when the header is absent or unreadable; a date in the past is 0.
 *
 * @param now - the current time in ms since the epoch, for HTTP-dates
 */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = DELTA_SECONDS.exec(value);
  if (seconds !== null) return Number(seconds[1]) * MS_PER_SECOND;
  const date = HTTP_DATE_START.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
