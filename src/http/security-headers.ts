/**
 * The security headers (helmet) that every answer carries. One strict Content Security Policy
 * for every page — it loads only its own script, style and icon, connects only to its own origin
 * and may not be framed — with two exceptions that embedding needs and nothing else: the chat
 * frame may be framed by the `EMBED_ORIGINS` pages, and the embed script, the engine module and
 * the widget policy may be loaded by pages of any origin.
 *
 * @module
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { CHAT_FRAME_PATH, isCrossOriginAsset } from './static-widget.js';
import { WIDGET_POLICY_PATH } from './widget-policy-route.js';

/** What decides the headers: the origins whose pages may frame the chat (`EMBED_ORIGINS`). */
export interface SecurityHeaderOptions {
  /** Exact origins; empty: only the service's own origin may frame the chat. */
  readonly embedOrigins: readonly string[];
}

/**
 * The Content Security Policy, spelled out rather than helmet's defaults so it can be read here.
 *
 * - `connect-src 'self'` covers the widget's `ws:`/`wss:` connection to the same host: CSP Level 3
 *   lets `'self'` match the WebSocket scheme of the page's origin (Chrome 71+, Firefox, Safari 16+),
 *   so no host name from a request header is ever reflected into the policy.
 * - `form-action 'none'`: the composer is sent over the WebSocket; should the script not run, a
 *   native submit must not put the message text into a URL.
 * - `require-trusted-types-for 'script'` makes the browser refuse any HTML sink such as
 *   `innerHTML`; the widget writes only `textContent`.
 * - No `upgrade-insecure-requests`: on a plain-HTTP laptop run it would turn `ws:` into `wss:`
 *   and break the chat; behind TLS the page is HTTPS anyway.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'require-trusted-types-for': ["'script'"],
  'trusted-types': ["'none'"],
} as const satisfies Record<string, readonly string[]>;

/**
 * The chat frame's policy: {@link CSP_DIRECTIVES} with `frame-ancestors` opened to the service's
 * own origin and the embedding origins, and `img-src` to those origins and `data:` for the host's
 * avatar (`data-avatar`, the embed's branding) — an image from a page that may frame the chat
 * anyway, or inline; nothing else changed. Only exact origins from the validated configuration go
 * in; nothing from a request is reflected.
 */
export function frameDirectives(embedOrigins: readonly string[]): Record<string, readonly string[]> {
  return { ...CSP_DIRECTIVES, 'img-src': ["'self'", 'data:', ...embedOrigins], 'frame-ancestors': ["'self'", ...embedOrigins] };
}

/** Headers every answer shares: no referrer, and the HSTS, nosniff and COOP defaults of helmet. */
const SHARED_OPTIONS = { referrerPolicy: { policy: 'no-referrer' } } as const;

/**
 * helmet for each kind of answer:
 *
 * - everything: {@link CSP_DIRECTIVES}, frames denied (`X-Frame-Options: DENY` for browsers
 *   older than CSP 2), resources for this origin only (`Cross-Origin-Resource-Policy: same-origin`);
 * - the chat frame: {@link frameDirectives}; `X-Frame-Options: SAMEORIGIN` for the same old
 *   browsers, which then refuse other origins' frames (a browser that reads `frame-ancestors`
 *   ignores it, per the HTML standard's frame-options processing);
 * - the embed script, the engine module and its hashed files, and the widget policy:
 *   `Cross-Origin-Resource-Policy: cross-origin`, or a customer's page could not load the script
 *   that adds the launcher, nor a web team's page the engine.
 */
export function setSecurityHeaders(options: SecurityHeaderOptions): RequestHandler {
  const headersFor = chooseSecurityHeaders(options);
  return (request, response, next) => {
    writeSecurityHeaders(response, headersFor(request.path));
    next();
  };
}

/** The security headers of one kind of answer, as name and value pairs in the order they are set. */
export type SecurityHeaders = ReadonlyArray<readonly [string, string]>;

/**
 * The headers of each kind of answer (see {@link setSecurityHeaders}), by the request's path
 * without its query: what the express middleware sets, and the route served before express.
 */
export function chooseSecurityHeaders(options: SecurityHeaderOptions): (path: string) => SecurityHeaders {
  const strict = fixHeaders({
    ...SHARED_OPTIONS,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    xFrameOptions: { action: 'deny' },
  });
  const frame = fixHeaders({
    ...SHARED_OPTIONS,
    contentSecurityPolicy: { useDefaults: false, directives: frameDirectives(options.embedOrigins) },
    xFrameOptions: { action: 'sameorigin' },
  });
  const shared = fixHeaders({
    ...SHARED_OPTIONS,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    xFrameOptions: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  return (path) => (path === CHAT_FRAME_PATH ? frame : path === WIDGET_POLICY_PATH || isCrossOriginAsset(path) ? shared : strict);
}

/** Set `headers` on `response`, in their order. */
export function writeSecurityHeaders(response: ServerResponse, headers: SecurityHeaders): void {
  for (const [name, value] of headers) response.setHeader(name, value);
}

/** What helmet sets with `options`, read once from a response that goes nowhere. */
function fixHeaders(options: Parameters<typeof helmet>[0]): SecurityHeaders {
  // None of these options depends on the request (no nonce, no function directive): helmet's
  // answer is the same every time. Set from a list: 3.6 µs a request against 5.7 µs through
  // helmet's middlewares (bench/micro/security-headers.js).
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  let failure: unknown;
  helmet(options)(response.req as never, response as unknown as Response, (error?: unknown) => (failure = error));
  if (failure !== undefined) throw failure;
  return Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)] as const);
}
