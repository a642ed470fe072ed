/**
 * The generic HTTP vendor adapter: the vendor contract of the README over undici, with one
 * keep-alive connection pool, a time budget per message that covers every attempt and the
 * reading of the reply, retries (see `exchange.ts`) and a circuit breaker.
 *
 * @module
 */
import { Agent, type Dispatcher } from 'undici';
import { CodedError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { VENDOR_OUTCOMES, type Metrics, type VendorOutcome } from '../observability/metrics.js';
import type { VendorAdapter, VendorRequest } from './adapter.js';
import { resolveRetryOptions, type RetryOptions } from './backoff.js';
import { CircuitBreaker, type BreakerResult, type CircuitBreakerOptions } from './circuit-breaker.js';
import { exchangeReply } from './exchange.js';
import { VendorFailure, breakerResultOf, findTransportCode } from './vendor-failure.js';

/** Settings of {@link createHttpAdapter}. */
export interface HttpAdapterOptions {
  /** The vendor's endpoint (`VENDOR_URL`). */
  readonly url: string;
  /** Sent as `authorization: Bearer …` when set (`VENDOR_TOKEN`). */
  readonly token?: string;
  /** Whole budget for one message, every attempt and the reading of the reply included. */
  readonly timeoutMs: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Send through this dispatcher instead of a pool of the adapter's own; `close()` leaves it open. */
  readonly dispatcher?: Dispatcher;
  readonly breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  readonly retry?: RetryOptions;
}

/** Idle keep-alive connections are kept this long (ms), below common server idle timeouts. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;
const MS_PER_SECOND = 1_000;
const VENDOR_LABEL = 'generic';
const OUTCOME_OF_CODE = {
  vendor_timeout: 'timeout',
  vendor_unavailable: 'unavailable',
  vendor_error: 'error',
} as const satisfies Record<string, VendorOutcome>;

/**
 * Create the adapter for a vendor that speaks the generic HTTP contract.
 *
 * Metrics: `vendor_requests_total{outcome}` counts each `reply` call once, as `ok`, `timeout`,
 * `unavailable`, `error` or `shed` (refused by the open circuit breaker); in addition every
 * extra attempt counts once as `retried`. A reply the caller abandons (its signal aborted, or it
 * stopped reading) counts under no outcome. `vendor_duration_seconds` observes every call that
 * was sent, until its reply ended or failed.
 *
 * When the caller's `signal` aborts, the reply stops at once — the request, a wait before a
 * retry, or the reading of the body — and throws the signal's reason. `close()` ends pending
 * replies with `vendor_unavailable`.
 *
 * @example
 * ```ts
 * const vendor = createHttpAdapter({ url, token, timeoutMs: 10_000, metrics, logger });
 * for await (const delta of vendor.reply({ conversationId, messageId, text }, signal)) send(delta);
 * await vendor.close();
 * ```
 */
export function createHttpAdapter(options: HttpAdapterOptions): VendorAdapter {
  const { url, timeoutMs, metrics, logger } = options;
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  const retry = resolveRetryOptions(options.retry);
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  const breaker = new CircuitBreaker({
    ...options.breaker,
    onStateChange: (state, failures) => logger.warn({ state, failures }, 'vendor circuit breaker changed state'),
  });
  const baseHeaders: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) baseHeaders.authorization = `Bearer ${options.token}`;
  for (const outcome of VENDOR_OUTCOMES) metrics.vendorRequests.inc({ vendor: VENDOR_LABEL, outcome }, 0);
  const inFlight = new Set<AbortController>();
  let closed = false;

  function finish(outcome: VendorOutcome | undefined, startedAt: number): void {
    if (outcome === undefined) return;
    metrics.vendorRequests.inc({ vendor: VENDOR_LABEL, outcome });
    metrics.vendorDuration.observe((performance.now() - startedAt) / MS_PER_SECOND);
  }

  async function* reply(request: VendorRequest, signal: AbortSignal): AsyncGenerator<string, void> {
    signal.throwIfAborted();
    const permit = closed ? undefined : breaker.tryAcquire();
    if (permit === undefined) {
      metrics.vendorRequests.inc({ vendor: VENDOR_LABEL, outcome: closed ? 'unavailable' : 'shed' });
      throw new VendorFailure('vendor_unavailable', { reason: closed ? 'closed' : 'shed' });
    }
    const startedAt = performance.now();
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onCallerAbort, { once: true });
    const budget = setTimeout(
      () => controller.abort(new VendorFailure('vendor_timeout', { reason: 'timeout', tripsBreaker: true })),
      timeoutMs,
    );
    inFlight.add(controller);
    let attempts = 1;
    let outcome: VendorOutcome | undefined;
    let breakerResult: BreakerResult = 'neutral';
    try {
      yield* exchangeReply({
        url,
        headers: { ...baseHeaders, 'idempotency-key': `${request.conversationId}:${request.messageId}` },
        body: JSON.stringify({ conversationId: request.conversationId, messageId: request.messageId, text: request.text }),
        dispatcher,
        signal: controller.signal,
        deadline: startedAt + timeoutMs,
        retry,
        onRetry: (attempt, failure, delayMs) => {
          attempts = attempt + 1;
          metrics.vendorRequests.inc({ vendor: VENDOR_LABEL, outcome: 'retried' });
          logger.info(
            { attempt, status: failure.vendorStatus, cause: findTransportCode(failure.cause), delayMs },
            'vendor attempt failed; retrying',
          );
        },
      });
      outcome = 'ok';
      breakerResult = 'success';
    } catch (error) {
      if (!(error instanceof VendorFailure)) throw error;
      outcome = OUTCOME_OF_CODE[error.code as keyof typeof OUTCOME_OF_CODE] ?? 'error';
      breakerResult = breakerResultOf(error);
      logger.warn(
        { code: error.code, reason: error.reason, status: error.vendorStatus, attempts, cause: findTransportCode(error.cause) },
        'vendor request failed',
      );
      throw error;
    } finally {
      clearTimeout(budget);
      signal.removeEventListener('abort', onCallerAbort);
      inFlight.delete(controller);
      // A reply its reader abandoned must not keep a socket or a timer; it is no fault of the vendor.
      if (outcome === undefined) controller.abort(new CodedError('vendor_error'));
      breaker.record(permit, breakerResult);
      finish(outcome, startedAt);
    }
  }

  return {
    reply,
    async close() {
      if (closed) return;
      closed = true;
      const reason = new VendorFailure('vendor_unavailable', { reason: 'closed' });
      for (const controller of inFlight) controller.abort(reason);
      if (options.dispatcher === undefined) await dispatcher.destroy();
    },
  };
}
