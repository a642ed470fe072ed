/**
 * The widget protocol: JSON text frames on `/chat`. Parsing of what the widget sends, and the
 * shapes of what the gateway sends back.
 *
 * @module
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';

/** Longest message id the widget may use. */
export const MAX_ID_LENGTH = 64;

const messageFrameSchema = z.object({
  type: z.literal('message'),
  id: z.string().min(1).max(MAX_ID_LENGTH),
  text: z.string(),
});

/** A message from the widget. */
export type MessageFrame = z.infer<typeof messageFrameSchema>;

/** The privacy notice, sent once when a chat opens. */
export interface NoticeFrame {
  type: 'notice';
  text: string;
}
/** The redacted text of a widget message, sent before it is forwarded. */
export interface AckFrame {
  type: 'ack';
  id: string;
  redactions: number;
  text: string;
}
/** Part of the bot's reply to message `id`; the last part has `final: true`. */
export interface ReplyFrame {
  type: 'reply';
  id: string;
  text: string;
  final: boolean;
}
/** A problem with one message (or the connection); never carries input. */
export interface ErrorFrame {
  type: 'error';
  id?: string;
  code: ErrorCode;
  message: string;
}
export type ServerFrame = NoticeFrame | AckFrame | ReplyFrame | ErrorFrame;

/** Result of reading one frame from the widget. */
export type ParsedFrame =
  | { ok: true; frame: MessageFrame }
  | { ok: false; id?: string; problem: string };

/** A valid message id found in an otherwise bad frame, so the error can name the message. */
function salvageId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id.length >= 1 && id.length <= MAX_ID_LENGTH ? id : undefined;
}

/**
 * Read one WebSocket frame from the widget. Binary frames, non-JSON text and JSON of the wrong
 * shape are problems of that one message, never of the connection.
 */
export function parseClientFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, problem: 'binary frames are not accepted; send JSON text' };
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the frame is not JSON' };
  }
  const parsed = messageFrameSchema.safeParse(value);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'frame';
  const id = salvageId(value);
  return { ok: false, ...(id !== undefined && { id }), problem: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** An error frame with the registry's message for `code`. */
export function errorFrame(code: ErrorCode, id?: string): ErrorFrame {
  return { type: 'error', ...(id !== undefined && { id }), code, message: ERROR_CODES[code].message };
}
