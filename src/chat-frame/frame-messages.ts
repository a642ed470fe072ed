/**
 * Between the embed launcher and its chat frame: where the frame lives, and the only messages
 * that pass between them — "close me" from the frame, "take the focus", "your title is …" and
 * "your branding is …" (`branding.ts`) from the launcher. They carry no text of the conversation, so the host page learns nothing
 * from them but that the user closed the chat.
 *
 * The title (the embed's `data-title`) goes to the frame in a message, never in the frame's
 * address: a page of the gateway writes nothing a query string says, or a link could put any
 * text, a phone number to call, in the chat's heading. The frame redacts it with the engine and
 * the gateway's policy before it shows it, cut to {@link MAX_TITLE_LENGTH} characters.
 *
 * @module
 */
import type { Branding } from './branding.js';

/** The page the launcher's frame shows: the chat alone, with a close button. */
export const CHAT_FRAME_PATH = '/chat-frame';

/**
 * Where the gateway's own pages (the frame among them) get a short-lived pass to open a chat
 * when `WIDGET_TOKEN` is set (`{"pass":"…"}`; 404 when no token is set). Same-origin only.
 */
export const PAGE_PASS_PATH = '/chat-pass.json';

/** Marks the messages as this widget's among whatever else a page posts. */
export const FRAME_MESSAGE_SOURCE = 'chat-redact';

/** Characters (code points) of a title that are shown: a launcher's label and a chat's heading are one short line. */
export const MAX_TITLE_LENGTH = 80;
/** White space of every kind, line breaks included: a title is drawn on one line. */
const TITLE_SPACE = /[\s\u0085]+/gu;

/** What the frame and the launcher say to each other. */
export type FrameMessageType = 'close' | 'focus' | 'title' | 'brand';

/** One message between the frame and the launcher; a `title` message carries the title's text, a `brand` message the branding. */
export interface FrameMessage {
  readonly source: typeof FRAME_MESSAGE_SOURCE;
  readonly type: FrameMessageType;
  readonly text?: string;
  readonly brand?: Readonly<Record<string, string>>;
}

/** The message of `type`. */
export function frameMessage(type: Exclude<FrameMessageType, 'title' | 'brand'>): FrameMessage {
  return { source: FRAME_MESSAGE_SOURCE, type };
}

/** The message that gives the frame the host's branding, each setting written as the host would write it. */
export function brandMessage(brand: Branding): FrameMessage {
  const settings = Object.fromEntries(Object.entries(brand).map(([key, value]) => [key, String(value)]));
  return { source: FRAME_MESSAGE_SOURCE, type: 'brand', brand: settings };
}

/**
 * The settings a `brand` message carries, as an object to read again with `readBranding` (a
 * message is no more trusted than an attribute), or `undefined` when `data` is no such message.
 */
export function readBrandMessage(data: unknown): Readonly<Record<string, unknown>> | undefined {
  if (!isFrameMessage(data, 'brand')) return undefined;
  const { brand } = data as { brand?: unknown };
  return typeof brand === 'object' && brand !== null && !Array.isArray(brand) ? (brand as Record<string, unknown>) : undefined;
}

/** The message that gives the frame its title. */
export function titleMessage(text: string): FrameMessage {
  return { source: FRAME_MESSAGE_SOURCE, type: 'title', text: cutTitle(text) };
}

/** The title a `title` message carries, or `undefined` when `data` is no such message. */
export function readTitleMessage(data: unknown): string | undefined {
  if (!isFrameMessage(data, 'title')) return undefined;
  const { text } = data as { text?: unknown };
  return typeof text === 'string' ? text : undefined;
}

/**
 * `text` as one line — every run of white space and line breaks one space, trimmed — cut to
 * {@link MAX_TITLE_LENGTH} code points. Drawn in a heading, a line break shows as a space or as
 * nothing, so it is made a space before a title is redacted: `98⏎76⏎54⏎32` is one number there.
 *
 * @example
 * ```ts
 * cutTitle('  Chat\nwith us  '); // 'Chat with us'
 * ```
 */
export function cutTitle(text: string): string {
  return limitTitleLength(text.replace(TITLE_SPACE, ' ').trim());
}

/** `text` cut to {@link MAX_TITLE_LENGTH} code points (a surrogate pair is never cut in two). */
export function limitTitleLength(text: string): string {
  const characters = Array.from(text);
  return characters.length <= MAX_TITLE_LENGTH ? text : characters.slice(0, MAX_TITLE_LENGTH).join('');
}

/** Whether `data` (a `message` event's) is this widget's message of `type`. */
export function isFrameMessage(data: unknown, type: FrameMessageType): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { source?: unknown }).source === FRAME_MESSAGE_SOURCE &&
    (data as { type?: unknown }).type === type
  );
}
