/**
 * The last two middlewares: a JSON 404 for every address nothing else answered, and the error
 * handler that turns every failure into `{"error":{"code","message"}}` from the registry.
 *
 * Logs name only the code and the error's class (plus stack frames for a 500): error messages
 * can quote the body — `JSON.parse` does — so they are never logged or sent.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { CodedError, ERROR_CODES, errorBody, type ErrorCode } from '../errors.js';
import { HTTP_STATUS, isClientErrorStatus, isServerErrorStatus } from '../http-status.js';
import type { Logger } from '../observability/logger.js';
import { sendJson } from './json-answer.js';
import { closeLingering } from './lingering-close.js';

const KIB = 1024;
const MIB = KIB * KIB;
const STACK_FRAME = /^\s+at /;

/** body-parser's error types: a fixed set, so safe to log. */
const BODY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  'entity.too.large': 'message_too_large',
  'entity.parse.failed': 'invalid_request',
  'entity.verify.failed': 'invalid_request',
  'request.aborted': 'invalid_request',
  'request.size.invalid': 'invalid_request',
  'charset.unsupported': 'unsupported_media_type',
  'encoding.unsupported': 'unsupported_media_type',
};

/** The answer to a body over `limit` bytes, whether its header or its bytes showed it. */
export function describeTooLarge(limit: number): string {
  return (
    `The body is larger than ${describeBytes(limit)}, the most this route accepts; ` +
    'send longer texts to POST /v1/redact/stream.'
  );
}

/** What the user reads for each body-parser error; plain language, never the parser's text. */
const BODY_ERROR_MESSAGES: Readonly<Record<string, (limit: number) => string>> = {
  'entity.too.large': describeTooLarge,
  'entity.parse.failed': () => 'The body is not valid JSON.',
  'request.aborted': () => 'The request body ended before it was complete.',
  'request.size.invalid': () => 'The request body is not as long as its content-length says.',
  'charset.unsupported': () => 'Send the body as UTF-8.',
  'encoding.unsupported': () => 'The body is compressed in a way this route does not accept.',
};

interface Classified {
  readonly code: ErrorCode;
  readonly message: string;
  /** body-parser's error type, when it is one of the known ones. */
  readonly bodyErrorType: string | undefined;
}

/** A byte count as people write it, so that no limit reads like a number to be redacted. */
export function describeBytes(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= KIB) return `${Math.floor(bytes / KIB)} KiB`;
  return `${bytes} bytes`;
}

/** Registry codes for client-error statuses set by express's own middleware (http-errors). */
const CLIENT_ERROR_CODES: Readonly<Record<number, ErrorCode>> = {
  [HTTP_STATUS.unauthorized]: 'unauthorized',
  [HTTP_STATUS.notFound]: 'not_found',
  [HTTP_STATUS.payloadTooLarge]: 'message_too_large',
  [HTTP_STATUS.unsupportedMediaType]: 'unsupported_media_type',
};

function classifyError(error: unknown): Classified {
  if (error instanceof CodedError) return { code: error.code, message: error.message, bodyErrorType: undefined };
  const { type, limit, status } = (error ?? {}) as { type?: unknown; limit?: unknown; status?: unknown };
  if (typeof type === 'string' && Object.hasOwn(BODY_ERRORS, type)) {
    const code = BODY_ERRORS[type] ?? 'internal';
    const describe = BODY_ERROR_MESSAGES[type];
    const message = describe === undefined ? ERROR_CODES[code].message : describe(typeof limit === 'number' ? limit : 0);
    return { code, message, bodyErrorType: type };
  }
  // A client error without a known type, such as a gzip body that does not inflate: the
  // request was at fault, not the service.
  if (typeof status === 'number' && isClientErrorStatus(status)) {
    const code = CLIENT_ERROR_CODES[status] ?? 'invalid_request';
    return { code, message: ERROR_CODES[code].message, bodyErrorType: undefined };
  }
  return { code: 'internal', message: ERROR_CODES.internal.message, bodyErrorType: undefined };
}

function stackFramesOf(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.stack === undefined) return undefined;
  return error.stack.split('\n').filter((line) => STACK_FRAME.test(line)).map((line) => line.trim());
}

/** Answer with the registry's status and `{"error":{"code","message"}}`. */
export function sendError(res: ServerResponse, code: ErrorCode, message?: string): void {
  sendJson(res, errorBody(code, message), ERROR_CODES[code].status);
}

/** The 404 for every address no route or static file answered. */
export function answerNotFound(_req: Request, res: Response): void {
  sendError(res, 'not_found');
}

/**
 * The final error handler; a stream already under way is cut off, since it cannot be answered.
 * A body refused for its size is answered with a lingering close, so that a client still
 * sending it reads the 413 rather than a reset connection.
 */
export function answerError(logger: Logger): ErrorRequestHandler {
  const answer = answerFailure(logger);
  return (error: unknown, req, res, _next) => answer(error, req, res);
}

/** What {@link answerError} does with a failure, for the routes served before express too (`fast-routes.ts`). */
export type AnswerFailure = (error: unknown, req: IncomingMessage, res: ServerResponse) => void;

/** The failure answer of {@link answerError}, without express. */
export function answerFailure(logger: Logger): AnswerFailure {
  return (error, req, res) => {
    const { code, message, bodyErrorType } = classifyError(error);
    const errorClass = error instanceof Error ? error.name : typeof error;
    if (isServerErrorStatus(ERROR_CODES[code].status)) {
      logger.error({ code, errorClass, stack: stackFramesOf(error) }, 'request failed');
    } else {
      logger.debug({ code, errorClass, bodyErrorType }, 'request refused');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (ERROR_CODES[code].status === HTTP_STATUS.payloadTooLarge) closeLingering(req, res);
    sendError(res, code, message);
  };
}
