/**
 * What the redaction routes check of a request before they read its body: its query (the JSON
 * route takes none; the stream route reads its own), its media type and charset, and a size
 * announced over the limit — each a check that returns when the request may go on and throws
 * the answer's `CodedError` when not, so that the express routes and the route served before
 * express (`redact-fast-route.ts`) run the very same ones.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { CodedError } from '../errors.js';
import { policyParameterProblem } from './redact-api-guard.js';

/** Charsets a stream body may declare: the redactor reads UTF-8, and ASCII is a subset of it. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * The query string of a request as names and values (a name given twice: all its values). The
 * app leaves `req.query` unparsed, so that no other route sees client input there; this route
 * reads its own.
 */
export function readQuery(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const search = url.indexOf('?');
  if (search === -1) return query;
  for (const [name, value] of new URLSearchParams(url.slice(search + 1))) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [seen, value].flat();
  }
  return query;
}

/** The media type of a `content-type` header, lower-cased, without parameters. */
function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';', 1)[0]?.trim().toLowerCase();
}

function charsetOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header)?.[1]?.toLowerCase();
}

/**
 * `POST /v1/redact` takes no query parameters: one that would change the policy, or any other, is
 * a 400. The request's own URL: a route on the app itself sees it as it came (`originalUrl`).
 */
export function refuseQuery(req: IncomingMessage): void {
  const url = req.url ?? '';
  if (url.includes('?')) {
    throw new CodedError('invalid_request', { message: policyParameterProblem(Object.keys(readQuery(url))) ?? 'This route takes no query parameters.' });
  }
}

export function requireJson(req: IncomingMessage): void {
  if (mediaTypeOf(req.headers['content-type']) !== 'application/json') {
    throw new CodedError('unsupported_media_type', { message: 'Send the body as application/json: {"text":"…"}.' });
  }
}

/**
 * Refuse a body whose `content-length` is over `limit` from the header alone. body-parser would
 * answer the same 413 only after reading and discarding every announced byte, so a client could
 * hold the connection for as long as it cares to send; the answer closes the connection instead.
 * A compressed body is left to body-parser, which counts its inflated bytes.
 */
export function refuseAnnouncedOversize(limit: number, describe: (limit: number) => string): RequestCheck {
  return (req, res) => {
    const encoding = req.headers['content-encoding']?.trim().toLowerCase() ?? 'identity';
    if (encoding === 'identity' && Number(req.headers['content-length']) > limit) {
      res.setHeader('connection', 'close');
      throw new CodedError('message_too_large', { message: describe(limit) });
    }
  };
}

/** A check of a request before its body: returns when it may go on, throws the answer's `CodedError` when not. */
export type RequestCheck = (req: IncomingMessage, res: ServerResponse) => void;

/** `check` as express middleware. */
export function beforeNext(check: RequestCheck): RequestHandler {
  return (req, res, next) => {
    check(req, res);
    next();
  };
}

/** A stream body is decoded as UTF-8; any other charset or a compressed body would be mangled. */
export function requireUtf8Stream(req: IncomingMessage): void {
  const charset = charsetOf(req.headers['content-type']);
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if ((charset !== undefined && !UTF8_CHARSETS.has(charset)) || (encoding !== undefined && encoding !== 'identity')) {
    throw new CodedError('unsupported_media_type', {
      message: 'Send the text as UTF-8, without content encoding (no gzip).',
    });
  }
}
