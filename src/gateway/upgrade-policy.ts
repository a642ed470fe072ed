/**
 * Who may open a chat: the checks made on the HTTP upgrade request, before the WebSocket
 * handshake, so a refused client never gets a socket.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WsRejectReason } from '../observability/metrics.js';

/** Path of the chat WebSocket. */
export const CHAT_PATH = '/chat';
/** Subprotocol a widget may offer besides its token. */
export const CHAT_SUBPROTOCOL = 'chat-redact';

export interface UpgradeRules {
  /** Exact origins allowed; empty = only the service's own origin. */
  allowedOrigins: readonly string[];
  /** When set, the upgrade must present it (`?token=` or a `Sec-WebSocket-Protocol` value). */
  widgetToken: string | undefined;
}

export type UpgradeVerdict =
  | { ok: true }
  | { ok: false; status: number; reason: WsRejectReason };

/** Constant-time string comparison (token checks). */
export function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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

function isAllowedOrigin(request: IncomingMessage, rules: UpgradeRules): boolean {
  const origin = request.headers.origin;
  // Browsers always send Origin on a WebSocket upgrade; a client without one is not a browser,
  // so it cannot be a cross-site hijack (OWASP CSWSH), and the widget token still applies.
  if (origin === undefined) return true;
  if (rules.allowedOrigins.length > 0) return rules.allowedOrigins.includes(origin);
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function presentedToken(request: IncomingMessage, expected: string): boolean {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const candidates = [url.searchParams.get('token') ?? '', ...offeredProtocols(request)];
  // Compare against every candidate so timing does not reveal which one matched.
  return candidates.map((c) => isSameSecret(c, expected)).some(Boolean);
}

/** Decide an upgrade request. */
export function checkUpgrade(request: IncomingMessage, rules: UpgradeRules): UpgradeVerdict {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path !== CHAT_PATH) return { ok: false, status: 404, reason: 'path' };
  if (!isAllowedOrigin(request, rules)) return { ok: false, status: 403, reason: 'origin' };
  if (rules.widgetToken !== undefined && !presentedToken(request, rules.widgetToken)) {
    return { ok: false, status: 401, reason: 'token' };
  }
  return { ok: true };
}
