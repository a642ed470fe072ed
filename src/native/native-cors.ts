/**
 * Who may call the native API from a browser (SPEC §2 *Native endpoints*: CORS for
 * `ALLOWED_ORIGINS`, preflights included). The same rule as the chat's WebSocket upgrade: an
 * `Origin` that is the service's own, or one of `ALLOWED_ORIGINS` exactly, may call; any other is
 * refused before anything reaches the vendor — a browser would hide the answer from the page,
 * but the vendor would still have acted on the request. A request without `Origin` is not from
 * a browser page and is not asked.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTP_STATUS } from '../http-status.js';

/** How long a browser may keep a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;
/** A header name as RFC 9110 §5.1 allows it (a token), for echoing a preflight's request. */
const HEADER_NAMES = /^[!#$%&'*+.^_`|~0-9a-z-]+(?:\s*,\s*[!#$%&'*+.^_`|~0-9a-z-]+)*$/i;
/** Longest list of header names a preflight's answer echoes. */
const MAX_REQUESTED_HEADERS_LENGTH = 2_048;

/** What the browser decides on. */
export type OriginVerdict = 'none' | 'same' | 'allowed' | 'refused';

/** The verdict on `request`'s `Origin` for `allowedOrigins` (empty: only the service's own). */
export function judgeOrigin(request: IncomingMessage, allowedOrigins: readonly string[]): OriginVerdict {
  const origin = request.headers.origin;
  if (origin === undefined) return 'none';
  if (allowedOrigins.includes(origin)) return 'allowed';
  try {
    return new URL(origin).host === request.headers.host ? 'same' : 'refused';
  } catch {
    return 'refused';
  }
}

/** Say that the calling origin may read the answer (and that answers vary by origin). */
export function allowOrigin(request: IncomingMessage, response: ServerResponse, verdict: OriginVerdict): void {
  response.setHeader('vary', 'Origin');
  // Helmet's default would keep a cross-origin page from reading even what CORS allows.
  response.setHeader('cross-origin-resource-policy', 'cross-origin');
  if (verdict !== 'allowed') return;
  response.setHeader('access-control-allow-origin', request.headers.origin!);
  // The vendors' clients read their ids and limits from these.
  response.setHeader('access-control-expose-headers', '*');
}

/**
 * Answer a preflight for `methods`: the headers the page asks to send are echoed when they are
 * header names (the core passes on only the vendor module's own list whatever they are).
 */
export function answerPreflight(request: IncomingMessage, response: ServerResponse, verdict: OriginVerdict, methods: readonly string[]): void {
  allowOrigin(request, response, verdict);
  response.setHeader('vary', 'Origin, Access-Control-Request-Headers');
  if (verdict === 'allowed') {
    response.setHeader('access-control-allow-methods', methods.join(', '));
    const asked = request.headers['access-control-request-headers'];
    if (asked !== undefined && asked.length <= MAX_REQUESTED_HEADERS_LENGTH && HEADER_NAMES.test(asked.trim())) {
      response.setHeader('access-control-allow-headers', asked.trim());
    }
    response.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  response.statusCode = HTTP_STATUS.noContent;
  response.end();
}
