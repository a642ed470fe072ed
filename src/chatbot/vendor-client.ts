/**
 * The one core every vendor adapter runs on: a keep-alive connection pool, a time budget per
 * turn (one message's whole exchange, however many requests it takes), retries with jittered
 * backoff or the vendor's `Retry-After`, a circuit breaker, and the vendor metrics. An adapter
 * only says which requests a turn makes and how their answers read.
 *
 * A request is sent again after a connection error, 429, 502, 503 or 504 with the same
 * idempotency key, for as long as the budget allows and nothing of the turn has been passed on;
 * once part of a reply is out, resending could show the user a second, different answer glued to
 * half of the first. Reads that change nothing at the vendor (`idempotent`) may be retried later too;
 * a request the vendor takes no key for (`unkeyed`) only when it surely was not acted on.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { CodedError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { VENDOR_OUTCOMES, type Metrics, type VendorOutcome } from '../observability/metrics.js';
import { computeBackoffDelay, resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from '../backoff.js';
import type { ChatbotKind } from './chatbot.js';
import { CircuitBreaker, type BreakerResult, type CircuitBreakerOptions } from './circuit-breaker.js';
import { VendorFailure, breakerResultOf, findTransportCode, isUnprocessed, toVendorFailure } from './vendor-failure.js';

/** Settings of {@link createVendorClient}. */
export interface VendorClientOptions {
  /** The `vendor` label of the metrics. */
  readonly kind: ChatbotKind;
  /** Sent as `authorization: Bearer …` unless a request sets its own `authorization` (`VENDOR_TOKEN`). */
  readonly token?: string | undefined;
  /** Whole budget of one turn: every request and every read of it (`VENDOR_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Send through this dispatcher instead of a pool of the client's own; `close()` leaves it open. */
  readonly dispatcher?: Dispatcher;
  readonly breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  readonly retry?: RetryOptions;
}

/** One HTTP request of a turn. */
export interface RequestSpec {
  readonly url: string;
  /** Default `POST`. */
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Added to the client's own (`content-type` for a JSON body, the bearer token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as `idempotency-key`, the same on every attempt. */
  readonly idempotencyKey?: string;
  /** Safe to send again at any point of the turn: it changes nothing at the vendor. */
  readonly idempotent?: boolean;
  /**
   * The vendor acts on it and takes no idempotency key (Boost's POST): sent again only when it
   * surely was not acted on (no connection, 429, 503), so a retry never makes it happen twice.
   */
  readonly unkeyed?: boolean;
}

/** A vendor answer with a 2xx status, headers read, body not yet. */
export type VendorResponse = Dispatcher.ResponseData;

/** Reads one answer into what the adapter yields; throws a {@link VendorFailure} for a bad one. */
export type ResponseReader<T> = (response: VendorResponse, signal: AbortSignal) => AsyncIterable<T>;

/** What a turn's body may do. */
export interface Turn {
  /** Aborts at the end of the budget (with a `vendor_timeout` failure), on the caller's signal, or on close. */
  readonly signal: AbortSignal;
  /**
   * When the budget ends, on the `performance.now()` clock: an adapter that waits for the vendor
   * to finish on its own (no end-of-reply marker) can end the reply well before it.
   */
  readonly deadline: number;
  /** Send `spec` (with retries) and yield what `read` makes of the answer. */
  exchange<T>(spec: RequestSpec, read: ResponseReader<T>): AsyncGenerator<T, void>;
}

/** The shared core of the vendor adapters. */
export interface VendorClient {
  readonly kind: ChatbotKind;
  /**
   * Run one turn: `body` makes its requests through the {@link Turn} and yields what is to be
   * passed on. Counted once in `vendor_requests_total{vendor,outcome}` (`ok`, `timeout`,
   * `unavailable`, `error`, or `shed` by the open breaker; each extra attempt once as `retried`)
   * and timed in `vendor_duration_seconds`. A turn its reader abandons counts under no outcome.
   */
  turn<T>(signal: AbortSignal, body: (turn: Turn) => AsyncIterable<T>): AsyncGenerator<T, void>;
  /** Release connections; pending turns end with `vendor_unavailable`. */
  close(): Promise<void>;
}

/** Idle keep-alive connections are kept this long (ms), below common server idle timeouts. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;
const MS_PER_SECOND = 1_000;
const OUTCOME_OF_CODE: Readonly<Record<string, VendorOutcome>> = {
  vendor_timeout: 'timeout',
  vendor_unavailable: 'unavailable',
  vendor_error: 'error',
};

/**
 * Create the core for one vendor.
 *
 * @example
 * ```ts
 * const client = createVendorClient({ kind: 'rasa', timeoutMs: 10_000, metrics, logger });
 * yield* client.turn(signal, async function* (turn) {
 *   for await (const answer of turn.exchange({ url, json: { sender, message } }, readJson(schema))) yield* toParts(answer);
 * });
 * ```
 */
export function createVendorClient(options: VendorClientOptions): VendorClient {
  const { kind, timeoutMs, metrics, logger } = options;
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  const retry = resolveRetryOptions(options.retry);
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  const breaker = new CircuitBreaker({
    ...options.breaker,
    onStateChange: (state, failures) => logger.warn({ state, failures }, 'vendor circuit breaker changed state'),
  });
  const bearer = options.token === undefined ? undefined : `Bearer ${options.token}`;
  const inFlight = new Set<AbortController>();
  let closed = false;
  for (const outcome of VENDOR_OUTCOMES) metrics.vendorRequests.inc({ vendor: kind, outcome }, 0);

  function headersOf(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = {};
    if (spec.json !== undefined) headers['content-type'] = 'application/json';
    if (bearer !== undefined) headers.authorization = bearer;
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
    return Object.assign(headers, spec.headers);
  }

  async function* turn<T>(signal: AbortSignal, body: (turn: Turn) => AsyncIterable<T>): AsyncGenerator<T, void> {
    signal.throwIfAborted();
    const permit = closed ? undefined : breaker.tryAcquire();
    if (permit === undefined) {
      metrics.vendorRequests.inc({ vendor: kind, outcome: closed ? 'unavailable' : 'shed' });
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
    const state: TurnState = { yielded: false, attempts: 1 };
    const context: ExchangeContext = {
      dispatcher,
      signal: controller.signal,
      deadline: startedAt + timeoutMs,
      retry,
      state,
      headersOf,
      onRetry: (attempt, failure, delayMs) => {
        state.attempts += 1;
        metrics.vendorRequests.inc({ vendor: kind, outcome: 'retried' });
        logger.info(
          { attempt, status: failure.vendorStatus, cause: findTransportCode(failure.cause), delayMs },
          'vendor attempt failed; retrying',
        );
      },
    };
    let outcome: VendorOutcome | undefined;
    let breakerResult: BreakerResult = 'neutral';
    try {
      for await (const item of body({
        signal: controller.signal,
        deadline: context.deadline,
        exchange: (spec, read) => exchange(spec, read, context),
      })) {
        state.yielded = true;
        yield item;
      }
      outcome = 'ok';
      breakerResult = 'success';
    } catch (error) {
      const failure = controller.signal.aborted && !signal.aborted ? toVendorFailure(controller.signal.reason, state.yielded) : error;
      if (!(failure instanceof VendorFailure)) throw failure;
      outcome = OUTCOME_OF_CODE[failure.code] ?? 'error';
      breakerResult = breakerResultOf(failure);
      logger.warn(
        { code: failure.code, reason: failure.reason, status: failure.vendorStatus, attempts: state.attempts, cause: findTransportCode(failure.cause) },
        'vendor request failed',
      );
      throw failure;
    } finally {
      clearTimeout(budget);
      signal.removeEventListener('abort', onCallerAbort);
      inFlight.delete(controller);
      // A turn its reader abandoned must not keep a socket or a timer; it is no fault of the vendor.
      if (outcome === undefined) controller.abort(new CodedError('vendor_error'));
      breaker.record(permit, breakerResult);
      if (outcome !== undefined) {
        metrics.vendorRequests.inc({ vendor: kind, outcome });
        metrics.vendorDuration.observe((performance.now() - startedAt) / MS_PER_SECOND);
      }
    }
  }

  return {
    kind,
    turn,
    async close() {
      if (closed) return;
      closed = true;
      const reason = new VendorFailure('vendor_unavailable', { reason: 'closed' });
      for (const controller of inFlight) controller.abort(reason);
      if (options.dispatcher === undefined) await dispatcher.destroy();
    },
  };
}

interface TurnState {
  /** Part of the turn has been passed on: a retry could now say something twice. */
  yielded: boolean;
  attempts: number;
}

interface ExchangeContext {
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
  /** When the budget ends, on the `performance.now()` clock. */
  readonly deadline: number;
  readonly retry: ResolvedRetryOptions;
  readonly state: TurnState;
  readonly headersOf: (spec: RequestSpec) => Record<string, string>;
  readonly onRetry: (attempt: number, failure: VendorFailure, delayMs: number) => void;
}

/**
 * One request with its attempts. A failure while reading the answer, before `read` yielded
 * anything, is retried like a failed request: nothing of it has been passed on.
 */
async function* exchange<T>(spec: RequestSpec, read: ResponseReader<T>, context: ExchangeContext): AsyncGenerator<T, void> {
  const { signal } = context;
  const body = spec.json === undefined ? undefined : JSON.stringify(spec.json);
  for (let attempt = 1; ; attempt += 1) {
    let items: AsyncIterator<T, void> | undefined;
    let first: IteratorResult<T, void>;
    try {
      const response = await request(spec.url, {
        method: spec.method ?? 'POST',
        headers: context.headersOf(spec),
        body,
        dispatcher: context.dispatcher,
        signal,
        // The budget bounds the whole turn; undici's own timers (300 s) would only cut it short.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      items = read(response, signal)[Symbol.asyncIterator]();
      first = await items.next();
    } catch (error) {
      await items?.return?.();
      if (signal.aborted) throw signal.reason;
      const failure = toVendorFailure(error, false);
      const delayMs = planRetry(failure, attempt, spec, context);
      if (delayMs === undefined) throw failure;
      context.onRetry(attempt, failure, delayMs);
      await sleep(delayMs, undefined, { signal }).catch(() => {
        throw signal.reason;
      });
      continue;
    }
    try {
      if (first.done === true) return;
      yield first.value;
      for (let next = await items.next(); next.done !== true; next = await items.next()) yield next.value;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toVendorFailure(error, true);
    } finally {
      await items.return?.();
    }
    return;
  }
}

/** The wait before the next attempt, or `undefined` when there is to be none. */
function planRetry(failure: VendorFailure, attempt: number, spec: RequestSpec, context: ExchangeContext): number | undefined {
  if (!failure.retryable || attempt >= context.retry.maxAttempts) return undefined;
  if (context.state.yielded && spec.idempotent !== true) return undefined;
  if (spec.unkeyed === true && !isUnprocessed(failure)) return undefined;
  const delayMs = failure.retryAfterMs ?? computeBackoffDelay(attempt, context.retry);
  // A wait that would outlast the budget only postpones the same answer.
  if (performance.now() + delayMs >= context.deadline) return undefined;
  return delayMs;
}
