/**
 * What every chat of the endpoint is given: the parts it talks to (engine policy, chatbot,
 * session sealer, metrics, logger) and what it keeps to (the privacy notice, the session
 * lifetime, the limits). The limits are one object: the configuration's `chat` section makes it,
 * and `server.ts` hands it through the chat server to every connection unchanged; what follows
 * from a limit (how much a client may leave unread) is derived here.
 *
 * @module
 */
import type { Chatbot } from '../chatbot/chatbot.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Policy } from '../redact/index.js';
import type { SessionSealer } from '../session/session-sealer.js';

/** The languages a chat may ask its privacy notice in (`/chat?lang=`); nynorsk gets the Norwegian one. */
export const NOTICE_LANGUAGES = ['en', 'nb'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/**
 * The notice language an upgrade's `?lang=` asks for: `en`, or `nb` for any Norwegian (`nb`,
 * `nn`, `no`, with or without a region); `undefined` for none or another.
 *
 * @example
 * ```ts
 * noticeLanguageOf('/chat?resume=0&lang=nn'); // 'nb'
 * ```
 */
export function noticeLanguageOf(url: string | undefined): NoticeLanguage | undefined {
  const requested = new URL(url ?? '/', 'http://localhost').searchParams.get('lang') ?? '';
  if (/^(nb|nn|no)(-|$)/i.test(requested)) return 'nb';
  return /^en(-|$)/i.test(requested) ? 'en' : undefined;
}

/** How large, how fast and how many (`MAX_MESSAGE_BYTES`, `MAX_REPLY_BYTES`, `RATE_LIMIT_PER_MINUTE`, `MAX_CONNECTIONS`). */
export interface ChatLimits {
  /** Largest widget frame, in UTF-8 bytes: session tokens are kept small enough to come back in one. */
  readonly maxMessageBytes: number;
  /** A longer reply, in UTF-8 bytes, is cut: the widget gets what fit, then `vendor_error`. */
  readonly maxReplyBytes: number;
  /** Messages per connection per minute. */
  readonly rateLimitPerMinute: number;
  /** Open chats accepted at once; further upgrades get 503 before the handshake. */
  readonly maxConnections: number;
}

/** What every chat of the endpoint shares. */
export interface ChatContext {
  policy: Policy;
  chatbot: Chatbot;
  sessions: SessionSealer;
  /** Session tokens are sent again when this old, even if nothing changed, so they never lapse mid-chat. */
  sessionTtlMs: number;
  metrics: Metrics;
  logger: Logger;
  /** The notice for a chat that did not say its language. */
  privacyNotice: string;
  /** The notice for a chat that said its language on the upgrade (`/chat?lang=`); default `privacyNotice`. */
  privacyNotices?: Readonly<Partial<Record<NoticeLanguage, string>>>;
  limits: ChatLimits;
  /** Delete the leading digits of a message that complete the last one's (`REDACT_ACROSS_MESSAGES`; default on). */
  acrossMessages?: boolean;
  /** How long to wait for a first frame before starting a new conversation (default `START_GRACE_MS`). */
  startGraceMs?: number;
}

/** Unread bytes per chat before it counts as not reading: 64 frames' worth, at least 1 MiB. */
const UNREAD_FRAMES_ALLOWED = 64;
const MIN_UNREAD_BYTES = 1024 * 1024;

/**
 * The bytes a client may leave unread before it is disconnected as too slow.
 *
 * @example
 * ```ts
 * maxUnreadBytes({ maxMessageBytes: 16_384, … }); // 1 MiB: 64 frames would be 1 MiB too
 * ```
 */
export function maxUnreadBytes(limits: Pick<ChatLimits, 'maxMessageBytes'>): number {
  return Math.max(MIN_UNREAD_BYTES, UNREAD_FRAMES_ALLOWED * limits.maxMessageBytes);
}
