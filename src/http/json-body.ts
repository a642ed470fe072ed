/**
 * The JSON body of `POST /v1/redact`, read as `express.json({ limit, strict: true })` reads it,
 * for the body nearly every client sends — UTF-8 (or no charset), not compressed — and handed to
 * `express.json` itself for any other. The same outcomes in both: `req.body` the parsed value
 * (`{}` for an empty body, `undefined` for a request without one), a byte-order mark dropped, and
 * on failure an error of body-parser's `type` and status (`entity.too.large` with its `limit`,
 * `entity.parse.failed`, `request.aborted`, `request.size.invalid`), which the error handler
 * turns into the registry's answer; a body that outgrows the limit is read off before that
 * error, as body-parser does.
 *
 * Why not body-parser for every body: per request it parses the media type twice (type-is and
 * content-type), sets up raw-body and an iconv-lite decoder stream and on-finished; for a body of
 * one chunk that is most of what the route costs beyond Node's own HTTP work (see
 * {@link readJsonBody} for the figure).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { HTTP_STATUS } from '../http-status.js';

/** Charsets read here; body-parser accepts any `utf-*` and decodes it with iconv-lite, which it then does. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8']);
const BYTE_ORDER_MARK = 0xfeff;
/** RFC 8259 whitespace before the first value: space, tab, line feed, carriage return. */
const LEADING_WHITESPACE = /^[\x20\x09\x0a\x0d]*/;
const CHARSET = 'charset=';
const PARSE_FAILED = 'entity.parse.failed';

/** An error as body-parser makes it (http-errors): its class name, `type`, `status` and, for a size, its `limit`. */
class BodyError extends Error {
  readonly expose = true;

  constructor(
    name: string,
    readonly type: string,
    readonly status: number,
    readonly limit?: number,
  ) {
    // Never the body or the parser's words: an error message can quote client input.
    super(type);
    this.name = name;
  }

  get statusCode(): number {
    return this.status;
  }
}

/** Whether the body is one this module reads: identity encoding, and UTF-8 or no charset. */
function isPlainUtf8(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = req.headers['content-type'] ?? '';
  const semicolon = type.indexOf(';');
  if (semicolon === -1) return true;
  // Anything beyond one plain `charset=utf-8` parameter (quoted, repeated, others) goes the long way.
  const parameters = type.slice(semicolon + 1).trim().toLowerCase();
  return parameters.startsWith(CHARSET) && UTF8_CHARSETS.has(parameters.slice(CHARSET.length));
}

/** Whether there is nothing left to read: on-finished's `isFinished` for a request, which body-parser asks first. */
function isFinished(req: IncomingMessage): boolean {
  const socket = req.socket as IncomingMessage['socket'] | null;
  return (req as { upgrade?: boolean }).upgrade === true || socket === null || !socket.readable || (req.complete && !req.readable);
}

/** Whether the request has a body at all (type-is's `hasBody`: a transfer encoding, or a content-length that is a number). */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}

/** The body's text parsed as body-parser's strict JSON parser does: `{}` when empty, only an object or array at the top. */
function parseStrict(text: string): unknown {
  if (text.length === 0) return {};
  const first = text[0] === '{' || text[0] === '[' ? text[0] : text[LEADING_WHITESPACE.exec(text)?.[0].length ?? 0];
  if (first !== '{' && first !== '[') throw new BodyError('SyntaxError', PARSE_FAILED, HTTP_STATUS.badRequest);
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError('SyntaxError', PARSE_FAILED, HTTP_STATUS.badRequest);
  }
}

/** The bytes as text: UTF-8, ill-formed sequences as U+FFFD, a leading byte-order mark dropped (as iconv-lite's decoder does). */
function decode(chunks: readonly Buffer[], length: number): string {
  const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/**
 * Whether {@link readPlainJsonBody} reads this request's body: it is not read yet, and it is
 * UTF-8 (or has no charset) and not compressed. Any other goes to `express.json`.
 */
export function isPlainJsonRequest(req: IncomingMessage): boolean {
  return !isFinished(req) && isPlainUtf8(req);
}

/** What {@link readPlainJsonBody} hands on: an error of body-parser's kind, or the parsed body (`undefined` without one). */
export type JsonBodyDone = (error: BodyError | undefined, body?: unknown) => void;

/**
 * Read the JSON body of `req`, one for which {@link isPlainJsonRequest} holds, as body-parser
 * would (see the module), and call `done` once with the outcome. Shared by the express
 * middleware and the route served before express (`redact-fast-route.ts`).
 */
export function readPlainJsonBody(req: IncomingMessage, limit: number, done: JsonBodyDone): void {
  if (!hasBody(req)) {
    done(undefined);
    return;
  }
  const announced = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  const finish = (error?: BodyError, body?: unknown): void => {
    if (finished) return;
    finished = true;
    req.off('data', onData).off('end', onEnd).off('error', onError);
    if (error === undefined) done(undefined, body);
    else if (req.readableEnded) done(error);
    else {
      // body-parser reads the rest of a refused body off before it answers.
      let answered = false;
      const answer = (): void => {
        if (answered) return;
        answered = true;
        done(error);
      };
      req.once('end', answer).once('error', answer).resume();
    }
  };
  function onData(chunk: Buffer): void {
    received += chunk.length;
    if (received > limit) finish(new BodyError('PayloadTooLargeError', 'entity.too.large', HTTP_STATUS.payloadTooLarge, limit));
    else chunks.push(chunk);
  }
  function onEnd(): void {
    if (announced !== undefined && received !== announced) {
      finish(new BodyError('BadRequestError', 'request.size.invalid', HTTP_STATUS.badRequest));
      return;
    }
    let body: unknown;
    try {
      body = parseStrict(decode(chunks, received));
    } catch (error) {
      finish(error as BodyError);
      return;
    }
    finish(undefined, body);
  }
  function onError(): void {
    finish(new BodyError('BadRequestError', 'request.aborted', HTTP_STATUS.badRequest));
  }
  req.on('data', onData).on('end', onEnd).on('error', onError);
}

/**
 * Middleware: `req.body` from a JSON body of at most `limit` bytes (see the module).
 *
 * Read here — with the checks before the body in one handler and the answer written by
 * `sendJson` (`json-answer.ts`), measured together — the route took 334 against 367 µs of server
 * CPU per request on Node 20 (0.91×; bench/micro/http-builds.js, 4 rounds of 4 s, interleaved, on
 * a machine other work kept loaded: load average 15, so the absolute figures are inflated).
 *
 * @example
 * ```ts
 * router.post('/v1/redact', readJsonBody(limit), (req, res) => res.json(req.body));
 * ```
 */
export function readJsonBody(limit: number): RequestHandler {
  const fallback = express.json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isPlainJsonRequest(req)) {
      fallback(req, res, next);
      return;
    }
    req.body = undefined;
    readPlainJsonBody(req, limit, (error, body) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      req.body = body;
      next();
    });
  };
}
