/**
 * One message's exchange with the vendor, attempts included: send, and on a connection error,
 * 429, 502, 503 or 504 send again with the same idempotency key after a jittered backoff (or the
 * vendor's `Retry-After`), for as long as the time budget allows and nothing of the reply has
 * been passed on. Once the first delta is out, a failure ends the reply: resending then could
 * show the user a second, different answer glued to half of the first.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { computeBackoffDelay, type ResolvedRetryOptions } from './backoff.js';
import { readReplyBody } from './reply-body.js';
import { toVendorFailure, type VendorFailure } from './vendor-failure.js';

/** Everything one exchange needs; built per message by the adapter. */
export interface ExchangeOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly dispatcher: Dispatcher;
  /** Aborts on the caller's signal, the end of the budget, or the adapter closing. */
  readonly signal: AbortSignal;
  /** When the budget ends, on the `performance.now()` clock. */
  readonly deadline: number;
  readonly retry: ResolvedRetryOptions;
  /** Told before each wait for another attempt (`attempt` is the one that failed). */
  readonly onRetry: (attempt: number, failure: VendorFailure, delayMs: number) => void;
}

/**
 * The reply's deltas. Throws a {@link VendorFailure}, or the signal's reason once it has aborted
 * (the adapter's budget aborts with a `vendor_timeout` failure).
 */
export async function* exchangeReply(options: ExchangeOptions): AsyncGenerator<string, void> {
  const { signal } = options;
  for (let attempt = 1; ; attempt += 1) {
    let deltas: AsyncGenerator<string, void> | undefined;
    let first: IteratorResult<string, void>;
    try {
      const response = await request(options.url, {
        method: 'POST',
        headers: options.headers,
        body: options.body,
        dispatcher: options.dispatcher,
        signal,
        // The budget bounds the whole exchange; undici's own timers (300 s) would only cut it short.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      deltas = readReplyBody(response, signal);
      first = await deltas.next();
    } catch (error) {
      await deltas?.return();
      if (signal.aborted) throw signal.reason;
      const failure = toVendorFailure(error, false);
      const delayMs = planRetry(failure, attempt, options);
      if (delayMs === undefined) throw failure;
      options.onRetry(attempt, failure, delayMs);
      await sleep(delayMs, undefined, { signal }).catch(() => {
        throw signal.reason;
      });
      continue;
    }
    try {
      if (first.done === true) return;
      yield first.value;
      yield* deltas;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toVendorFailure(error, true);
    } finally {
      await deltas.return();
    }
    return;
  }
}

/** The wait before the next attempt, or `undefined` when there is to be none. */
function planRetry(failure: VendorFailure, attempt: number, options: ExchangeOptions): number | undefined {
  if (!failure.retryable || attempt >= options.retry.maxAttempts) return undefined;
  const delayMs = failure.retryAfterMs ?? computeBackoffDelay(attempt, options.retry);
  // A wait that would outlast the budget only postpones the same answer.
  if (performance.now() + delayMs >= options.deadline) return undefined;
  return delayMs;
}
