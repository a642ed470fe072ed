/**
 * The one registry of error codes: what each means to a user, its HTTP status, and the
 * WebSocket close code where it ends a connection. The README's error table is checked against
 * this registry by a test.
 *
 * @module
 */
import { HTTP_STATUS } from './http-status.js';

/** WebSocket close codes the gateway closes a chat with (RFC 6455 §7.4.1), and the widget reads. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
} as const;

/**
 * The close codes the gateway does not choose (RFC 6455 §7.4.1): `ws` closes with 1002 for a
 * protocol error it has no more specific code for; 1005 and 1006 are never sent, only reported
 * locally, for a close frame without a code and for a connection lost without one.
 */
export const UNCHOSEN_CLOSE_CODES = {
  protocolError: 1002,
  noStatusReceived: 1005,
  abnormalClosure: 1006,
} as const;

interface ErrorSpec {
  /** Plain-language message for the user; never carries input. */
  readonly message: string;
  /** HTTP status when the error answers an HTTP request. */
  readonly status: number;
  /** Close code when the error ends a WebSocket connection; absent when it never does. */
  readonly closeCode?: number;
}

/** Every error code the service can send, on WebSocket error frames and HTTP error bodies. */
export const ERROR_CODES = {
  invalid_message: {
    message: 'The message is not valid: send {"type":"message","id":"1-64 characters","text":"…"}.',
    status: HTTP_STATUS.badRequest,
  },
  message_too_large: {
    message: 'The message is larger than the service accepts.',
    status: HTTP_STATUS.payloadTooLarge,
    closeCode: CLOSE_CODES.messageTooBig,
  },
  rate_limited: {
    message: 'Too many messages; wait a moment before sending more.',
    status: HTTP_STATUS.tooManyRequests,
    closeCode: CLOSE_CODES.policyViolation,
  },
  unknown_action: {
    message: 'That button is no longer available; please type your question instead.',
    status: HTTP_STATUS.badRequest,
  },
  vendor_unavailable: {
    message: 'The assistant is unavailable right now; please try again shortly.',
    status: HTTP_STATUS.serviceUnavailable,
  },
  vendor_timeout: {
    message: 'The assistant took too long to answer; please try again.',
    status: HTTP_STATUS.gatewayTimeout,
  },
  vendor_error: {
    message: 'The assistant could not answer this message.',
    status: HTTP_STATUS.badGateway,
  },
  internal: {
    message: 'Something went wrong on our side; nothing was forwarded.',
    status: HTTP_STATUS.internalServerError,
    closeCode: CLOSE_CODES.internalError,
  },
  invalid_request: {
    message: 'The request is not valid.',
    status: HTTP_STATUS.badRequest,
  },
  unsupported_content: {
    message: 'Only text is passed on here: images, audio, files and token log probabilities are refused.',
    status: HTTP_STATUS.badRequest,
  },
  unsupported_media_type: {
    message: 'The request body has a content type this route does not accept.',
    status: HTTP_STATUS.unsupportedMediaType,
  },
  unauthorized: {
    message: 'A valid token is required.',
    status: HTTP_STATUS.unauthorized,
    closeCode: CLOSE_CODES.policyViolation,
  },
  forbidden_origin: {
    message: 'This origin may not open a chat.',
    status: HTTP_STATUS.forbidden,
    closeCode: CLOSE_CODES.policyViolation,
  },
  not_found: {
    message: 'There is nothing at this address.',
    status: HTTP_STATUS.notFound,
  },
  method_not_allowed: {
    message: 'This address does not take that method; the Allow header says which it takes.',
    status: HTTP_STATUS.methodNotAllowed,
  },
  shutting_down: {
    message: 'The service is shutting down; please reconnect.',
    status: HTTP_STATUS.serviceUnavailable,
    closeCode: CLOSE_CODES.goingAway,
  },
} as const satisfies Record<string, ErrorSpec>;

/** One of the registered error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error that carries a registered code; its message is the registry's, safe to show and log. */
export class CodedError extends Error {
  override readonly name = 'CodedError';
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, options?: { cause?: unknown; message?: string }) {
    super(options?.message ?? ERROR_CODES[code].message, { cause: options?.cause });
    this.code = code;
    this.status = ERROR_CODES[code].status;
  }
}

/** `true` for a registered error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The body of an HTTP error answer: `{"error":{"code","message"}}`. */
export function errorBody(code: ErrorCode, message: string = ERROR_CODES[code].message): {
  error: { code: ErrorCode; message: string };
} {
  return { error: { code, message } };
}
