/**
 * What can go wrong with one exchange with the vendor, decided in one place: which registered
 * error code the widget sees, whether another attempt may help, and whether it counts against
 * the vendor in the circuit breaker.
 *
 * @module
 */
import { CodedError, type ErrorCode } from '../errors.js';
import { HTTP_STATUS, isServerErrorStatus } from '../http-status.js';
import { parseRetryAfter } from '../backoff.js';
import type { BreakerResult } from './circuit-breaker.js';

/** Why an exchange failed: a bounded set, safe to log and to use as a label. */
export type FailureReason =
  | 'status'
  | 'transport'
  | 'proxy'
  | 'timeout'
  | 'malformed'
  | 'content_type'
  | 'too_large'
  | 'closed'
  | 'shed'
  | 'unexpected';

/** What a {@link VendorFailure} is made of besides its code. */
export interface FailureDetails {
  readonly reason: FailureReason;
  readonly retryable?: boolean;
  readonly tripsBreaker?: boolean;
  readonly vendorStatus?: number | undefined;
  readonly retryAfterMs?: number | undefined;
  /** The egress proxy the request went through (its host only), when it did. */
  readonly proxy?: string | undefined;
  readonly cause?: unknown;
}

/** A failed exchange with the vendor. Its message is the registry's, never vendor text. */
export class VendorFailure extends CodedError {
  readonly reason: FailureReason;
  /** Another attempt may succeed (only ever made before the first delta reached the caller). */
  readonly retryable: boolean;
  /** Counts toward opening the circuit breaker: the vendor, not this message, is the problem. */
  readonly tripsBreaker: boolean;
  /** The vendor's HTTP status, when the failure is one. */
  readonly vendorStatus: number | undefined;
  /** The wait the vendor asked for with `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;
  /** The egress proxy's host, when the request went through one: named in the log line, never its credentials. */
  readonly proxy: string | undefined;

  constructor(code: ErrorCode, details: FailureDetails) {
    super(code, { cause: details.cause });
    this.reason = details.reason;
    this.retryable = details.retryable ?? false;
    this.tripsBreaker = details.tripsBreaker ?? false;
    this.vendorStatus = details.vendorStatus;
    this.retryAfterMs = details.retryAfterMs;
    this.proxy = details.proxy;
  }

  /**
   * The same failure with `changes`: what an adapter that knows its vendor better (an OpenAI
   * `x-should-retry`, a wait of its own header) makes of the core's reading.
   *
   * @example
   * ```ts
   * failureFromStatus(503, undefined).with({ retryable: false }); // vendor_unavailable, not retried
   * ```
   */
  with(changes: Partial<FailureDetails> & { readonly code?: ErrorCode }): VendorFailure {
    const { code = this.code, ...details } = changes;
    return new VendorFailure(code, {
      reason: this.reason,
      retryable: this.retryable,
      tripsBreaker: this.tripsBreaker,
      vendorStatus: this.vendorStatus,
      retryAfterMs: this.retryAfterMs,
      proxy: this.proxy,
      cause: this.cause,
      ...details,
    });
  }
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([
  HTTP_STATUS.tooManyRequests,
  HTTP_STATUS.badGateway,
  HTTP_STATUS.serviceUnavailable,
  HTTP_STATUS.gatewayTimeout,
]);

/**
 * Error codes of a connection that failed or broke: Node's socket errors and undici's own. The
 * request may or may not have reached the vendor; the idempotency key makes resending safe.
 */
const TRANSPORT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Connection errors raised before the request went out: the vendor never saw it. */
const CONNECT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Statuses with which a vendor turns a request away without acting on it (RFC 9110 §15.6.4, RFC 6585 §4). */
const TURNED_AWAY_STATUSES: ReadonlySet<number> = new Set([HTTP_STATUS.tooManyRequests, HTTP_STATUS.serviceUnavailable]);

/**
 * The vendor surely did not act on the request: it never reached the vendor, or the vendor turned
 * it away (429, 503). A 502, a 504 or a connection that broke after sending may have been acted on.
 */
export function isUnprocessed(failure: VendorFailure): boolean {
  // The proxy refused the tunnel: the request never left for the vendor.
  if (failure.reason === 'proxy') return true;
  if (failure.vendorStatus !== undefined) return TURNED_AWAY_STATUSES.has(failure.vendorStatus);
  const code = findTransportCode(failure.cause);
  return code !== undefined && CONNECT_ERROR_CODES.has(code);
}

/** The failure a non-200 answer stands for (429, 502, 503, 504 may be retried). */
export function failureFromStatus(status: number, retryAfter: string | string[] | undefined): VendorFailure {
  const retryable = RETRYABLE_STATUSES.has(status);
  const code: ErrorCode = !retryable ? 'vendor_error' : status === HTTP_STATUS.gatewayTimeout ? 'vendor_timeout' : 'vendor_unavailable';
  return new VendorFailure(code, {
    reason: 'status',
    retryable,
    tripsBreaker: retryable || isServerErrorStatus(status),
    vendorStatus: status,
    retryAfterMs: retryable ? parseRetryAfter(retryAfter) : undefined,
  });
}

/** Reasons that mean the vendor did answer, if not usefully: the circuit need not open for them. */
const ANSWERED_REASONS: ReadonlySet<FailureReason> = new Set(['status', 'malformed', 'content_type', 'too_large']);

/** What a failure tells the circuit breaker about the vendor. */
export function breakerResultOf(failure: VendorFailure): BreakerResult {
  if (failure.tripsBreaker) return 'failure';
  return ANSWERED_REASONS.has(failure.reason) ? 'success' : 'neutral';
}

/** The transport error code behind `error` (Node and undici codes), if it is one. */
export function findTransportCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && TRANSPORT_ERROR_CODES.has(code)) return code;
    // Happy-eyeballs connects fail with an AggregateError of one error per address.
    current = current instanceof AggregateError ? current.errors[0] : current.cause;
  }
  return undefined;
}

/** undici's words when the egress proxy answers its CONNECT with anything but 200 (undici 7, `ProxyAgent`). */
const PROXY_REFUSAL = /^Proxy response \((\d{3})\) !== 200/;

/** The status with which the egress proxy refused to open a tunnel, when that is what `error` is. */
export function findProxyRefusal(error: unknown): number | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth += 1) {
    const status = PROXY_REFUSAL.exec(current.message)?.[1];
    if (status !== undefined) return Number(status);
    current = current.cause;
  }
  return undefined;
}

/**
 * Turn anything thrown while talking to the vendor into a failure. A connection problem is
 * retryable and means `vendor_unavailable` before the reply began, `vendor_error` once part of it
 * has been passed on (`midReply`); anything else is a `vendor_error` as it is.
 */
export function toVendorFailure(error: unknown, midReply: boolean): VendorFailure {
  if (error instanceof VendorFailure) return error;
  const proxyStatus = findProxyRefusal(error);
  if (proxyStatus !== undefined) {
    // A proxy that refuses (403, 407) will refuse again; one that could not reach the vendor (502, 503, 504) may not.
    return new VendorFailure('vendor_unavailable', {
      reason: 'proxy',
      retryable: !midReply && RETRYABLE_STATUSES.has(proxyStatus),
      tripsBreaker: true,
      cause: error,
    });
  }
  if (findTransportCode(error) !== undefined) {
    return new VendorFailure(midReply ? 'vendor_error' : 'vendor_unavailable', {
      reason: 'transport',
      retryable: !midReply,
      tripsBreaker: true,
      cause: error,
    });
  }
  return new VendorFailure('vendor_error', { reason: 'unexpected', cause: error });
}
