/**
 * The chat protocol as a client sees it: what the gateway sends (read and checked here, so that
 * a malformed or unknown frame is dropped rather than trusted) and what a client sends back.
 * The gateway's side of the same protocol is `src/gateway/protocol.ts`.
 *
 * @module
 */
import { randomLetters } from '../random-letters.js';
import type { CountedKindCounts } from '../redact/split-numbers.js';
import { isAbsentOr, isCount, isJsonObject, isNonEmptyString } from './json-shape.js';

const MESSAGE_ID_LETTERS = 20;
/** Begins every message id, as it always has: a widget's stored pending messages keep their ids. */
const MESSAGE_ID_PREFIX = 'm';

/**
 * A message id of letters only, from the platform's cryptographic random source: it reaches the
 * vendor, so it holds no digit.
 *
 * @example
 * ```ts
 * createMessageId(); // e.g. 'mqzkcvbtrwplxnmhgfdsa'
 * ```
 */
export function createMessageId(): string {
  return MESSAGE_ID_PREFIX + randomLetters(MESSAGE_ID_LETTERS);
}

/**
 * A button, quick reply or link under a reply: an opaque id, a label, and for a link its URL.
 *
 * @example
 * ```ts
 * const action: ChatAction = { id: 'qa', label: 'Invoices', url: 'https://example.no/invoices' };
 * ```
 */
export interface ChatAction {
  readonly id: string;
  readonly label: string;
  /** A link to open (http or https, checked by the gateway); absent for a button, whose click is sent. */
  readonly url?: string;
  /**
   * A link to an image or file that has no name: `label` is then the English word for it, and a
   * client that speaks the user's language may say it in that language instead.
   */
  readonly attachment?: AttachmentKind;
}

/** The kinds of {@link ChatAction.attachment}. */
export const ATTACHMENT_KINDS = ['image', 'file'] as const;
/**
 * `image` or `file`: what a nameless attachment under a reply is.
 *
 * @example
 * ```ts
 * const label = (kind: AttachmentKind): string => (kind === 'image' ? 'Bilde' : 'Fil');
 * ```
 */
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/**
 * The privacy notice, once per connection.
 *
 * @example
 * ```ts
 * client.on('notice', (notice: NoticeFrame) => showNotice(notice.text));
 * ```
 */
export interface NoticeFrame {
  readonly type: 'notice';
  readonly text: string;
}
/**
 * A session token to keep; `resumed` says whether the chat took up an earlier conversation.
 *
 * @example
 * ```ts
 * client.on('session', (session: SessionFrame) => console.log(session.resumed));
 * ```
 */
export interface SessionFrame {
  readonly type: 'session';
  readonly token: string;
  readonly resumed: boolean;
}
/**
 * What the gateway sent on for message `id`, after its own redaction.
 *
 * @example
 * ```ts
 * client.on('ack', (ack: AckFrame) => showSent(ack.id, ack.text));
 * ```
 */
export interface AckFrame {
  readonly type: 'ack';
  readonly id: string;
  readonly redactions: number;
  readonly text: string;
}
/**
 * Part of a reply to message `id`; without `id`, a message of the vendor's own (one final frame).
 *
 * @example
 * ```ts
 * const reply: ReplyFrame = { type: 'reply', id: 'm1', text: 'Hei!', final: true };
 * ```
 */
export interface ReplyFrame {
  readonly type: 'reply';
  readonly id?: string;
  readonly text: string;
  readonly final: boolean;
  readonly actions?: readonly ChatAction[];
  /** Who wrote it, when the vendor says: a human `agent` (show a person, never the assistant) or the `bot`. */
  readonly from?: 'agent' | 'bot';
}
/**
 * A problem with message `id`, or with the chat when `id` is absent.
 *
 * @example
 * ```ts
 * client.on('error', (error: ErrorFrame) => showProblem(error.id, error.code));
 * ```
 */
export interface ErrorFrame {
  readonly type: 'error';
  readonly id?: string;
  /** One of the gateway's error codes (`vendor_timeout`, `shutting_down`, …). */
  readonly code: string;
  readonly message: string;
}
/**
 * Every frame the gateway sends.
 *
 * @example
 * ```ts
 * const frame: ServerFrame | undefined = parseServerFrame(event.data);
 * ```
 */
export type ServerFrame = NoticeFrame | SessionFrame | AckFrame | ReplyFrame | ErrorFrame;

/**
 * A message the client sends; `removed` is what it deleted itself, counted by kind.
 *
 * @example
 * ```ts
 * const message: OutgoingMessage = { type: 'message', id: 'm1', text: 'ring ', removed: { phone: 1 } };
 * ```
 */
export interface OutgoingMessage {
  readonly type: 'message';
  readonly id: string;
  readonly text: string;
  readonly removed?: CountedKindCounts;
}
/**
 * A click on a button the gateway offered.
 *
 * @example
 * ```ts
 * const click: OutgoingAction = { type: 'action', id: 'm2', action: 'qa' };
 * ```
 */
export interface OutgoingAction {
  readonly type: 'action';
  readonly id: string;
  readonly action: string;
}
/**
 * What the client sends and keeps until it is answered.
 *
 * @example
 * ```ts
 * const pending: readonly OutgoingFrame[] = store.load()?.pending ?? [];
 * ```
 */
export type OutgoingFrame = OutgoingMessage | OutgoingAction;

/**
 * Read one frame from the gateway; `undefined` for binary data, text that is not JSON, and
 * frames of an unknown type or shape.
 *
 * @example
 * ```ts
 * parseServerFrame('{"type":"ack","id":"m","redactions":0,"text":"hei"}'); // { type: 'ack', … }
 * parseServerFrame('{"type":"gossip"}'); // undefined
 * ```
 */
export function parseServerFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  return isJsonObject(value) ? readFrame(value) : undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

function readFrame(frame: Readonly<Record<string, unknown>>): ServerFrame | undefined {
  const { type, id, text } = frame;
  switch (type) {
    case 'notice':
      return isString(text) ? { type, text } : undefined;
    case 'session':
      return isNonEmptyString(frame.token) && isBoolean(frame.resumed) ? { type, token: frame.token, resumed: frame.resumed } : undefined;
    case 'ack':
      return isNonEmptyString(id) && isCount(frame.redactions) && isString(text) ? { type, id, redactions: frame.redactions, text } : undefined;
    case 'reply': {
      const { final, actions, from } = frame;
      if (!isAbsentOr(id, isNonEmptyString) || !isString(text) || !isBoolean(final) || !isAbsentOr(actions, Array.isArray)) return undefined;
      // One malformed action costs that action, not the reply; an author the client does not know is none.
      const author: { from?: 'agent' | 'bot' } = from === 'agent' || from === 'bot' ? { from } : {};
      return { type, ...(id !== undefined && { id }), text, final, ...(actions !== undefined && { actions: actions.flatMap(readAction) }), ...author };
    }
    case 'error': {
      const { code, message } = frame;
      return isAbsentOr(id, isNonEmptyString) && isString(code) && isString(message) ? { type, ...(id !== undefined && { id }), code, message } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * An action under a reply — an id, a label, and only an http(s) link, which may say it is a
 * nameless attachment — or `undefined` when `value` is none.
 */
export function readChatAction(value: unknown): ChatAction | undefined {
  if (!isJsonObject(value)) return undefined;
  const { id, label, url, attachment } = value;
  if (!isNonEmptyString(id) || !isString(label)) return undefined;
  if (url === undefined) return { id, label };
  if (!isString(url) || !/^https?:\/\//i.test(url)) return undefined;
  // A kind the client does not know is none: the label is shown as it came.
  const kind = ATTACHMENT_KINDS.find((known) => known === attachment);
  return { id, label, url, ...(kind !== undefined && { attachment: kind }) };
}

function readAction(value: unknown): ChatAction[] {
  const action = readChatAction(value);
  return action === undefined ? [] : [action];
}
