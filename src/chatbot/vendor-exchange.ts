/**
 * One request to the vendor with its attempts, the step every turn of the shared core is made
 * of: send, read the answer with the adapter's reader, and after a connection error, 429, 502,
 * 503 or 504 send again with the same idempotency key — while the budget lasts and nothing of
 * the turn has been passed on, or at any point for a read that changes nothing (`idempotent`),
 * and only when the vendor surely did not act on it for a request it takes no key for
 * (`unkeyed`). {@link exchangeOne} is the same step for a request that has one answer.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { computeBackoffDelay, type ResolvedRetryOptions } from '../backoff.js';
import { VendorFailure, isUnprocessed, toVendorFailure } from './vendor-failure.js';

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

/** URLs whose origin and path are remembered; past it the memory starts again (URLs with a conversation's id in them keep coming). */
const MAX_REMEMBERED_TARGETS = 256;
const targets = new Map<string, { readonly origin: string; readonly path: string }>();

/**
 * The origin and path undici's `request(url)` would take from `url`, parsed once per URL: the
 * top-level `request()` parses its URL on every call. `dispatcher.request` with them instead: a
 * chat turn through the HTTP vendor stub 369 → 346 and 389 → 360 µs CPU on Node 20, 260 → 229
 * and 234 → 197 on Node 26 (bench/micro/chat-turn.js stub, two runs, machine loaded: load 9–12).
 */
function targetOf(url: string): { readonly origin: string; readonly path: string } {
  let target = targets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (targets.size >= MAX_REMEMBERED_TARGETS) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/** Between the conversation and the message in an idempotency key. */
const KEY_SEPARATOR = ':';

/**
 * The idempotency key of a message: the same on every attempt and on a resend after a
 * reconnect (the gateway keeps the message's id), and no other message's. Direct Line, which
 * takes no key, gets it as `clientActivityID`.
 *
 * @example
 * ```ts
 * idempotencyKeyOf('qhzkwmpbtreaxvfnsdlc', 'm1'); // 'qhzkwmpbtreaxvfnsdlc:m1'
 * ```
 */
export function idempotencyKeyOf(conversationId: string, messageId: string): string {
  return conversationId + KEY_SEPARATOR + messageId;
}

/** Whether `key` is the idempotency key of a message of the conversation `conversationId`. */
export function isKeyOf(conversationId: string, key: string): boolean {
  return key.startsWith(conversationId + KEY_SEPARATOR);
}

/** A vendor answer, headers read, body not yet. */
export type VendorResponse = Dispatcher.ResponseData;

/** Reads one answer into what the adapter yields; throws a {@link VendorFailure} for a bad one. */
export type ResponseReader<T> = (response: VendorResponse, signal: AbortSignal) => AsyncIterable<T>;

/** What one turn's exchanges share. */
export interface TurnState {
  /** Part of the turn has been passed on: a retry could now say something twice. */
  yielded: boolean;
  attempts: number;
}

/** What an exchange needs of its turn and its client. */
export interface ExchangeContext {
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
  /** When the budget ends, on the `performance.now()` clock. */
  readonly deadline: number;
  readonly retry: ResolvedRetryOptions;
  readonly state: TurnState;
  readonly headersOf: (spec: RequestSpec) => Record<string, string>;
  /** The egress proxy's host for a URL, named on the failures of requests that went through it. */
  readonly proxyHostOf: (url: string) => string | undefined;
  readonly onRetry: (attempt: number, failure: VendorFailure, delayMs: number) => void;
}

/**
 * One request with its attempts. A failure while reading the answer, before `read` yielded
 * anything, is retried like a failed request: nothing of it has been passed on.
 */
export async function* exchange<T>(spec: RequestSpec, read: ResponseReader<T>, context: ExchangeContext): AsyncGenerator<T, void> {
  const { signal } = context;
  const body = spec.json === undefined ? undefined : JSON.stringify(spec.json);
  for (let attempt = 1; ; attempt += 1) {
    let items: AsyncIterator<T, void> | undefined;
    let first: IteratorResult<T, void>;
    try {
      const { origin, path } = targetOf(spec.url);
      const response = await context.dispatcher.request({
        origin,
        path,
        method: spec.method ?? 'POST',
        headers: context.headersOf(spec),
        body,
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
      const failure = throughProxy(toVendorFailure(error, false), spec, context);
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
      throw throughProxy(toVendorFailure(error, true), spec, context);
    } finally {
      await items.return?.();
    }
    return;
  }
}

/**
 * Send one request and take its one answer: the first thing `read` makes of it. An answer that
 * makes nothing (an empty body where one was due) is a `malformed` vendor error.
 */
export async function exchangeOne<T>(spec: RequestSpec, read: ResponseReader<T>, context: ExchangeContext): Promise<T> {
  for await (const value of exchange(spec, read, context)) return value;
  throw new VendorFailure('vendor_error', { reason: 'malformed' });
}

/** `failure` naming the egress proxy its request went through, if it went through one. */
function throughProxy(failure: VendorFailure, spec: RequestSpec, context: ExchangeContext): VendorFailure {
  const proxy = context.proxyHostOf(spec.url);
  return proxy === undefined || failure.proxy !== undefined ? failure : failure.with({ proxy });
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
