/**
 * The chat protocol as a client sees it: what the gateway sends (read and checked here, so that
 * a malformed or unknown frame is dropped rather than trusted) and what a client sends back.
 * The gateway's side of the same protocol is `src/gateway/protocol.ts`.
 *
 * @module
 */
import { z } from 'zod';
import type { KindCounts } from '../redact/kinds.js';

/** A button, quick reply or link under a reply: an opaque id, a label, and for a link its URL. */
export interface ChatAction {
  readonly id: string;
  readonly label: string;
  /** A link to open (http or https, checked by the gateway); absent for a button, whose click is sent. */
  readonly url?: string;
}

const actionSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  url: z
    .string()
    .refine((url) => /^https?:\/\//i.test(url))
    .optional(),
});

const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notice'), text: z.string() }),
  z.object({ type: z.literal('session'), token: z.string().min(1), resumed: z.boolean() }),
  z.object({ type: z.literal('ack'), id: z.string().min(1), redactions: z.int().min(0), text: z.string() }),
  z.object({
    type: z.literal('reply'),
    id: z.string().min(1).optional(),
    text: z.string(),
    final: z.boolean(),
    // One malformed action costs that action, not the reply.
    actions: z.array(z.unknown()).optional(),
  }),
  z.object({ type: z.literal('error'), id: z.string().min(1).optional(), code: z.string(), message: z.string() }),
]);

/** The privacy notice, once per connection. */
export interface NoticeFrame {
  readonly type: 'notice';
  readonly text: string;
}
/** A session token to keep; `resumed` says whether the chat took up an earlier conversation. */
export interface SessionFrame {
  readonly type: 'session';
  readonly token: string;
  readonly resumed: boolean;
}
/** What the gateway sent on for message `id`, after its own redaction. */
export interface AckFrame {
  readonly type: 'ack';
  readonly id: string;
  readonly redactions: number;
  readonly text: string;
}
/** Part of a reply to message `id`; without `id`, a message of the vendor's own (one final frame). */
export interface ReplyFrame {
  readonly type: 'reply';
  readonly id?: string;
  readonly text: string;
  readonly final: boolean;
  readonly actions?: readonly ChatAction[];
}
/** A problem with message `id`, or with the chat when `id` is absent. */
export interface ErrorFrame {
  readonly type: 'error';
  readonly id?: string;
  /** One of the gateway's error codes (`vendor_timeout`, `shutting_down`, …). */
  readonly code: string;
  readonly message: string;
}
/** Every frame the gateway sends. */
export type ServerFrame = NoticeFrame | SessionFrame | AckFrame | ReplyFrame | ErrorFrame;

/** A message the client sends; `removed` is what it deleted itself, counted by kind. */
export interface OutgoingMessage {
  readonly type: 'message';
  readonly id: string;
  readonly text: string;
  readonly removed?: KindCounts;
}
/** A click on a button the gateway offered. */
export interface OutgoingAction {
  readonly type: 'action';
  readonly id: string;
  readonly action: string;
}
/** What the client sends and keeps until it is answered. */
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
  const parsed = serverFrameSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const frame = parsed.data;
  if (frame.type !== 'reply') return frame;
  const { actions, ...reply } = frame;
  if (actions === undefined) return reply;
  return { ...reply, actions: actions.flatMap((action) => readAction(action)) };
}

function readAction(value: unknown): ChatAction[] {
  const parsed = actionSchema.safeParse(value);
  if (!parsed.success) return [];
  const { id, label, url } = parsed.data;
  return [url === undefined ? { id, label } : { id, label, url }];
}
