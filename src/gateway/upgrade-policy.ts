/**
 * Who may open a chat: the checks made on the HTTP upgrade request, before the WebSocket
 * handshake, so a refused client never gets a socket.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { HTTP_STATUS } from '../http-status.js';
import { createSecretCheck } from '../secret-check.js';
import type { PagePasses } from '../session/page-pass.js';

/** Path of the chat WebSocket. */
export const CHAT_PATH = '/chat';
/** Subprotocol a widget may offer besides its token. */
export const CHAT_SUBPROTOCOL = 'chat-redact';

/**
 * Why an upgrade was refused, the `reason` label of `ws_rejected_total`: the checks here
 * (`path`, `origin`, `token`), and the chat server's own (`draining` on shutdown, `capacity` at
 * `MAX_CONNECTIONS`).
 */
export const UPGRADE_REFUSALS = ['origin', 'token', 'draining', 'path', 'capacity'] as const;
export type UpgradeRefusal = (typeof UPGRADE_REFUSALS)[number];

/** Who may open a chat, as configured (`ALLOWED_ORIGINS`, `WIDGET_TOKEN`). */
export interface UpgradeRules {
  /** Origins allowed (exact, or `https://*.example.no`); empty = only the service's own origin. */
  allowedOrigins: readonly string[];
  /** When set, the upgrade must present it (`?token=` or a `Sec-WebSocket-Protocol` value). */
  widgetToken: string | undefined;
  /** With a widget token: the passes the gateway gave its own pages, taken in its place. */
  pagePasses?: PagePasses | undefined;
}

/** The decision on one upgrade request: go ahead, or the status to refuse it with and why. */
export type UpgradeVerdict =
  | { ok: true }
  | { ok: false; status: number; reason: UpgradeRefusal };

/** The upgrade checks of one chat endpoint, with its token's digest made once. */
export interface UpgradePolicy {
  /** Decide an upgrade request. */
  check(request: IncomingMessage): UpgradeVerdict;
  /** `true` when `value` is the widget token or a page pass (`false` when no token is configured). */
  isWidgetToken(value: string): boolean;
}

/** The offered subprotocols of an upgrade request. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * Whether `origin` (as a browser sends it) is `pattern`, or under it: `https://*.example.no`
 * takes `https://chat.example.no` and `https://a.b.example.no` (same scheme and port), never
 * `https://example.no` — what the same entry means in `frame-ancestors` for `EMBED_ORIGINS`.
 *
 * @example
 * ```ts
 * matchesOrigin('https://*.example.no', 'https://chat.example.no'); // true
 * ```
 */
export function matchesOrigin(pattern: string, origin: string): boolean {
  const wildcard = pattern.indexOf('://*.');
  if (wildcard === -1) return pattern === origin;
  const scheme = pattern.slice(0, wildcard + 3);
  const suffix = pattern.slice(wildcard + 4);
  return origin.startsWith(scheme) && origin.endsWith(suffix) && origin.length > scheme.length + suffix.length && !origin.slice(scheme.length, -suffix.length).includes('/');
}

function isAllowedOrigin(request: IncomingMessage, rules: UpgradeRules): boolean {
  const origin = request.headers.origin;
  // Browsers always send Origin on a WebSocket upgrade; a client without one is not a browser,
  // so it cannot be a cross-site hijack (OWASP CSWSH), and the widget token still applies.
  if (origin === undefined) return true;
  if (rules.allowedOrigins.length > 0) return rules.allowedOrigins.some((pattern) => matchesOrigin(pattern, origin));
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function presentedToken(request: IncomingMessage, isWidgetToken: (value: string) => boolean): boolean {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const candidates = [url.searchParams.get('token') ?? '', ...offeredProtocols(request)];
  // Compare against every candidate so timing does not reveal which one matched.
  return candidates.map(isWidgetToken).some(Boolean);
}

/**
 * The upgrade checks for `rules`: the path, the origin, then the widget token when one is set.
 *
 * @example
 * ```ts
 * const policy = createUpgradePolicy({ allowedOrigins: ['https://www.example.no'], widgetToken: 'secret' });
 * policy.check(request); // { ok: false, status: HTTP_STATUS.unauthorized, reason: 'token' } without the token
 * ```
 */
export function createUpgradePolicy(rules: UpgradeRules): UpgradePolicy {
  const token = rules.widgetToken;
  const isToken = token === undefined ? () => false : createSecretCheck(token);
  const passes = rules.pagePasses;
  const isWidgetToken = passes === undefined ? isToken : (value: string) => isToken(value) || passes.isValid(value);
  return {
    isWidgetToken,
    check(request) {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== CHAT_PATH) return { ok: false, status: HTTP_STATUS.notFound, reason: 'path' };
      if (!isAllowedOrigin(request, rules)) return { ok: false, status: HTTP_STATUS.forbidden, reason: 'origin' };
      if (token !== undefined && !presentedToken(request, isWidgetToken)) return { ok: false, status: HTTP_STATUS.unauthorized, reason: 'token' };
      return { ok: true };
    },
  };
}
