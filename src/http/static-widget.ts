/**
 * The demo chat widget: the files of `public/`, served as they are, and the security headers
 * (helmet) that every answer carries, with a Content Security Policy that lets the page load
 * only its own script, style and icon and connect only to its own origin.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The `public/` folder of the package. This module sits at `src/http/` under the tests and at
 * `dist/http/` when built or installed; both are two levels below the package root, which is
 * where `public/` is (and `package.json` ships it in `files`).
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * Serve `public/` with `index.html` for `/`. Only GET and HEAD are answered; dotfiles are
 * hidden, and a path that climbs out of the folder (`..` in any encoding) falls through to the
 * JSON 404 rather than a file.
 */
export function serveWidget(): RequestHandler {
  return express.static(PUBLIC_DIR, {
    index: 'index.html',
    dotfiles: 'ignore',
    fallthrough: true,
    redirect: false,
    // The page is tiny and changes with each release: revalidate rather than risk a stale widget.
    cacheControl: true,
    maxAge: 0,
  });
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

/** helmet with {@link CSP_DIRECTIVES}, frames denied and no referrer sent. */
export function setSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
