/**
 * The widget protocol: JSON text frames on `/chat`. Parsing of what the widget sends, and the
 * shapes of what the gateway sends back.
 *
 * @module
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { COUNTED_KINDS, type RedactedText } from '../redact/index.js';
import type { AttachmentKind } from '../chatbot/chatbot.js';

/** Longest message id the widget may use. */
export const MAX_ID_LENGTH = 64;
/**
 * What a message or action id may be made of: printable characters — letters, marks, digits,
 * punctuation, symbols and spaces of any script. No control or format character, no lone
 * surrogate, no private use and no line or paragraph separator: an id is echoed in every frame
 * that answers it, and JSON writes a control character as six bytes (`\u0001`).
 */
const PRINTABLE_ID = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]+$/u;
/** Longest session token the gateway reads; its own are well below (see `session/`). */
export const MAX_TOKEN_LENGTH = 16_384;
/** Largest count per kind a widget may report removing from one message. */
export const MAX_REPORTED_REMOVALS = 1_000;

const idSchema = z.string().min(1).max(MAX_ID_LENGTH).regex(PRINTABLE_ID, { message: 'must be printable characters' });

/** Whether `value` is an id the protocol takes: 1–{@link MAX_ID_LENGTH} printable characters. */
function isValidId(value: unknown): value is string {
  return idSchema.safeParse(value).success;
}

/** Part of the protocol's parsing; the OpenAPI document's `/chat` frames are generated from it too. */
export const messageFrameSchema = z.object({
  type: z.literal('message'),
  id: idSchema,
  text: z.string(),
  removed: z.unknown().optional(),
});
/** Part of the protocol's parsing; the OpenAPI document's `/chat` frames are generated from it too. */
export const actionFrameSchema = z.object({
  type: z.literal('action'),
  id: idSchema,
  action: idSchema,
});
/** Part of the protocol's parsing; the OpenAPI document's `/chat` frames are generated from it too. */
export const resumeFrameSchema = z.object({
  type: z.literal('resume'),
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
});
const clientFrameSchema = z.discriminatedUnion('type', [messageFrameSchema, actionFrameSchema, resumeFrameSchema]);

/**
 * What the widget reports it removed in the browser: counts by kind. Checked apart from the
 * frame, so that a bad report never costs the user the message: it is only left uncounted.
 */
export const removedSchema = z.partialRecord(z.enum(COUNTED_KINDS), z.int().min(0).max(MAX_REPORTED_REMOVALS));

/** Counts by kind the widget removed, as reported. */
export type ReportedRemovals = Partial<Record<(typeof COUNTED_KINDS)[number], number>>;

/** A message from the widget; `removed` is present only when the widget's report was valid. */
export interface MessageFrame {
  type: 'message';
  id: string;
  text: string;
  removed?: ReportedRemovals;
}
/** A click on one of the actions a reply offered. */
export type ActionFrame = z.infer<typeof actionFrameSchema>;
/** The first frame of a widget that reconnects with the session token it holds. */
export type ResumeFrame = z.infer<typeof resumeFrameSchema>;
export type ClientFrame = MessageFrame | ActionFrame | ResumeFrame;

/** The privacy notice, sent once when a chat opens. */
export interface NoticeFrame {
  type: 'notice';
  text: string;
}
/** The session token the widget keeps to resume the conversation; sent again whenever it changed. */
export interface SessionFrame {
  type: 'session';
  token: string;
  resumed: boolean;
}
/** The redacted text of a widget message (or the label of a clicked action), sent before it is forwarded. */
export interface AckFrame {
  type: 'ack';
  id: string;
  redactions: number;
  text: RedactedText;
}
/** A button, quick reply or link as the widget gets it: an opaque id, a redacted label, a checked URL. */
export interface ActionView {
  id: string;
  label: RedactedText;
  url?: string;
  /** A nameless attachment's kind: the widget labels it in the user's language. */
  attachment?: AttachmentKind;
}
/**
 * Part of the bot's reply to message `id`; the last part has `final: true`. Without `id`: a
 * message the vendor sent on its own (a greeting, a human agent), always one final frame.
 */
export interface ReplyFrame {
  type: 'reply';
  id?: string;
  text: RedactedText;
  final: boolean;
  actions?: ActionView[];
  /** Who wrote it, when the vendor says: a human `agent` or the `bot`. */
  from?: 'agent' | 'bot';
}
/** A problem with one message (or the connection); never carries input. */
export interface ErrorFrame {
  type: 'error';
  id?: string;
  code: ErrorCode;
  message: string;
}
export type ServerFrame = NoticeFrame | SessionFrame | AckFrame | ReplyFrame | ErrorFrame;

/** Result of reading one frame from the widget. */
export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; id?: string; problem: string };

/**
 * The frame the widget sends most, `{"type":"message","id","text"}` with no report of removals,
 * checked by hand as {@link messageFrameSchema} checks it (the same id rules, unknown keys
 * dropped); anything else is left to the schemas. `undefined`: not such a frame.
 */
function readPlainMessage(value: unknown): MessageFrame | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, id, text, removed } = value as Record<string, unknown>;
  if (type !== 'message' || typeof text !== 'string' || removed !== undefined) return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !PRINTABLE_ID.test(id)) return undefined;
  return { type, id, text };
}

/** A valid message id found in an otherwise bad frame, so the error can name the message. */
function salvageId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return isValidId(id) ? id : undefined;
}

/**
 * Read one WebSocket frame from the widget. Binary frames, non-JSON text and JSON of the wrong
 * shape are problems of that one frame, never of the connection. A `removed` report that is not
 * counts by known kind is dropped; the message itself is still accepted.
 */
export function parseClientFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, problem: 'binary frames are not accepted; send JSON text' };
  // A Buffer is read where it lies; `Buffer.from` would copy it first.
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the frame is not JSON' };
  }
  // Every chat message passes here: parsed and checked in 0.83 µs a frame against zod's 1.11 µs
  // on Node 20, 0.58 against 0.86 µs on Node 26 (bench/micro/protocol-parse.js, loaded machine).
  const plain = readPlainMessage(value);
  if (plain !== undefined) return { ok: true, frame: plain };
  const parsed = clientFrameSchema.safeParse(value);
  if (parsed.success) {
    const frame = parsed.data;
    if (frame.type !== 'message') return { ok: true, frame };
    const { removed, ...message } = frame;
    const report = removed === undefined ? undefined : removedSchema.safeParse(removed);
    return { ok: true, frame: report?.success === true ? { ...message, removed: report.data } : message };
  }
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'frame';
  const id = salvageId(value);
  return { ok: false, ...(id !== undefined && { id }), problem: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** An error frame with the registry's message for `code`. */
export function errorFrame(code: ErrorCode, id?: string): ErrorFrame {
  return { type: 'error', ...(id !== undefined && { id }), code, message: ERROR_CODES[code].message };
}
