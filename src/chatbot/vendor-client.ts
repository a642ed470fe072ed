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
import { resolveRetryOptions, type RetryOptions } from '../backoff.js';
import { CodedError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Endpoint, Metrics } from '../observability/metrics.js';
import type { ChatbotKind } from './chatbot.js';
import { CircuitBreaker, type BreakerResult, type CircuitBreakerOptions } from './circuit-breaker.js';
import { VendorFailure, breakerResultOf, findTransportCode, toVendorFailure } from './vendor-failure.js';
import { createVendorEgress, type EgressProxy, type VendorEgress } from './vendor-egress.js';
import { exchange, exchangeOne, type ExchangeContext, type RequestSpec, type ResponseReader, type TurnState } from './vendor-exchange.js';

/** Settings of {@link createVendorClient}. */
export interface VendorClientOptions {
  /** The `vendor` label of the metrics. */
  readonly kind: ChatbotKind;
  /** The `endpoint` label of the vendor metrics, for a door other than the chat (`native`). */
  readonly endpoint?: Endpoint;
  /** Sent as `authorization: Bearer …` unless a request sets its own `authorization` (`VENDOR_TOKEN`). */
  readonly token?: string | undefined;
  /** Whole budget of one turn: every request and every read of it (`VENDOR_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The egress proxy of the client's own egress (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`). */
  readonly proxy?: EgressProxy | undefined;
  /** Reach the vendor this way instead of by an egress of the client's own; `close()` leaves it open. */
  readonly egress?: VendorEgress;
  readonly breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  readonly retry?: RetryOptions;
}

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
  /** Send `spec` (with retries) and take the one thing `read` makes of the answer; nothing is a `malformed` vendor error. */
  exchangeOne<T>(spec: RequestSpec, read: ResponseReader<T>): Promise<T>;
}

/**
 * What became of one turn, the `outcome` label of `vendor_requests_total`: `ok`; `timeout`,
 * `unavailable` or `error` as its failure's code says; `shed` by the open breaker; and each
 * extra attempt once as `retried`.
 */
export const VENDOR_OUTCOMES = ['ok', 'retried', 'timeout', 'error', 'unavailable', 'shed'] as const;
export type VendorOutcome = (typeof VENDOR_OUTCOMES)[number];

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
  /**
   * Run a turn that passes nothing on — set-up, a token refresh, background work — for what
   * `body` returns; counted and bounded like any other.
   */
  runTurn<T>(signal: AbortSignal, body: (turn: Turn) => Promise<T>): Promise<T>;
  /** A WebSocket to the vendor (Direct Line's stream), on the road every request of this client takes. */
  openWebSocket: VendorEgress['openWebSocket'];
  /** The egress proxy's host for `url`, for a log line about it (never its credentials). */
  proxyHostOf: VendorEgress['proxyHostOf'];
  /** Release connections; pending turns end with `vendor_unavailable`. */
  close(): Promise<void>;
}

const MS_PER_SECOND = 1_000;

/** A turn's controller and the listener that aborts it with its caller's signal. */
interface LinkedController {
  readonly controller: AbortController;
  readonly onCallerAbort: () => void;
}
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
  const { kind, timeoutMs, metrics, logger, endpoint } = options;
  const countTurn: (outcome: VendorOutcome, by?: number) => void = metrics.vendorTurnCounter(kind, endpoint);
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  const retry = resolveRetryOptions(options.retry);
  const egress = options.egress ?? createVendorEgress(options.proxy === undefined ? {} : { proxy: options.proxy });
  const breaker = new CircuitBreaker({
    ...options.breaker,
    onStateChange: (state, failures) => logger.warn({ state, failures }, 'vendor circuit breaker changed state'),
  });
  const bearer = options.token === undefined ? undefined : `Bearer ${options.token}`;
  const inFlight = new Set<AbortController>();
  let closed = false;
  for (const outcome of VENDOR_OUTCOMES) countTurn(outcome, 0);

  /**
   * A controller of a turn that ended with its signal unaborted, kept for the caller's next turn
   * (a chat's turns come one after another): the controller, and its link to the caller's signal,
   * are made once a chat rather than once a turn. Every listener undici adds to the signal is
   * gone once the answer's body is closed, which every turn sees to. The core's own work a turn:
   * 12.5 → 7.14 and 14.0 → 8.42 µs on Node 20, 7.36 → 6.82 and 7.85 → 7.30 µs on Node 26
   * (bench/micro/vendor-turn.js, two runs, load 14).
   */
  const spare = new WeakMap<AbortSignal, LinkedController>();

  /** A controller that aborts when `signal` does; the caller's spare one if it has one. */
  function linkedTo(signal: AbortSignal): LinkedController {
    const kept = spare.get(signal);
    if (kept !== undefined) {
      spare.delete(signal);
      if (!kept.controller.signal.aborted) return kept;
    }
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onCallerAbort, { once: true });
    return { controller, onCallerAbort };
  }

  /** Keep `linked` for the caller's next turn, or, once it aborted, unlink it. */
  function release(signal: AbortSignal, linked: LinkedController): void {
    if (linked.controller.signal.aborted || signal.aborted || closed || spare.has(signal)) {
      signal.removeEventListener('abort', linked.onCallerAbort);
      return;
    }
    spare.set(signal, linked);
  }

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
      countTurn(closed ? 'unavailable' : 'shed');
      throw new VendorFailure('vendor_unavailable', { reason: closed ? 'closed' : 'shed' });
    }
    const startedAt = performance.now();
    const linked = linkedTo(signal);
    const { controller } = linked;
    const budget = setTimeout(
      () => controller.abort(new VendorFailure('vendor_timeout', { reason: 'timeout', tripsBreaker: true })),
      timeoutMs,
    );
    inFlight.add(controller);
    const state: TurnState = { yielded: false, attempts: 1 };
    const context: ExchangeContext = {
      dispatcher: egress.dispatcher,
      signal: controller.signal,
      deadline: startedAt + timeoutMs,
      retry,
      state,
      headersOf,
      proxyHostOf: (url) => egress.proxyHostOf(url),
      onRetry: (attempt, failure, delayMs) => {
        state.attempts += 1;
        countTurn('retried');
        logger.info(
          { attempt, status: failure.vendorStatus, cause: findTransportCode(failure.cause), proxy: failure.proxy, delayMs },
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
        exchangeOne: (spec, read) => exchangeOne(spec, read, context),
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
        {
          code: failure.code,
          reason: failure.reason,
          status: failure.vendorStatus,
          attempts: state.attempts,
          cause: findTransportCode(failure.cause),
          proxy: failure.proxy,
        },
        'vendor request failed',
      );
      throw failure;
    } finally {
      clearTimeout(budget);
      inFlight.delete(controller);
      // A turn its reader abandoned must not keep a socket or a timer; it is no fault of the vendor.
      if (outcome === undefined) controller.abort(new CodedError('vendor_error'));
      release(signal, linked);
      breaker.record(permit, breakerResult);
      if (outcome !== undefined) {
        countTurn(outcome);
        metrics.vendorDuration.observe((performance.now() - startedAt) / MS_PER_SECOND);
      }
    }
  }

  async function runTurn<T>(signal: AbortSignal, body: (turn: Turn) => Promise<T>): Promise<T> {
    let result: T | undefined;
    for await (const _ of turn(signal, async function* (quiet) {
      result = await body(quiet);
    })) {
      // nothing is yielded
    }
    return result as T;
  }

  return {
    kind,
    turn,
    runTurn,
    openWebSocket: (url, socketOptions) => egress.openWebSocket(url, socketOptions),
    proxyHostOf: (url) => egress.proxyHostOf(url),
    async close() {
      if (closed) return;
      closed = true;
      const reason = new VendorFailure('vendor_unavailable', { reason: 'closed' });
      for (const controller of inFlight) controller.abort(reason);
      if (options.egress === undefined) await egress.close();
    },
  };
}
