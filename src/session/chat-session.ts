/**
 * What a session token carries of one chat, and how it is fitted into the token's size: the
 * conversation id, the vendor's own state (Boost
 * conversation, Direct Line conversation and watermark, an LLM's redacted history), the stand-in
 * message ids and the actions offered. A token opened from elsewhere is checked against this
 * shape before any of it is used.
 *
 * @module
 */
import { z } from 'zod';
import { LETTER_BITS } from './letter-codec.js';
import { OPEN_FAILURES, SEALED_OVERHEAD_BYTES } from './session-sealer.js';

/**
 * What became of a chat's session at its start, the `outcome` label of `sessions_total`: a
 * `new` conversation, `resumed` from a token, or why a token did not open (`expired`,
 * `invalid`: tampered, foreign, malformed, or not a chat's state).
 */
export const SESSION_OUTCOMES = ['new', 'resumed', ...OPEN_FAILURES] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

/** Most UTF-8 bytes of state one token carries: its letters stay under 12 KiB. */
export const MAX_SESSION_STATE_BYTES = 7_168;
/** What a `resume` frame adds to its token: `{"type":"resume","token":""}`. */
const RESUME_FRAME_OVERHEAD = '{"type":"resume","token":""}'.length;
const BITS_PER_BYTE = 8;

/**
 * The state bytes a token may carry so that the widget can send it back in one frame of at most
 * `maxFrameBytes` (`MAX_MESSAGE_BYTES`), within {@link MAX_SESSION_STATE_BYTES}.
 */
export function sessionStateBudget(maxFrameBytes: number): number {
  const letters = maxFrameBytes - RESUME_FRAME_OVERHEAD;
  const sealedBytes = Math.floor((letters * LETTER_BITS) / BITS_PER_BYTE);
  return Math.max(0, Math.min(MAX_SESSION_STATE_BYTES, sealedBytes - SEALED_OVERHEAD_BYTES));
}
/** Stand-in message ids a token keeps: enough for every message a widget may still resend. */
export const MAX_SAVED_MESSAGE_IDS = 64;
/** Share of a token's room the stand-ins may take at most (the newest are kept); the rest is the vendor's and the actions'. */
const STAND_IN_SHARE = 0.5;
/** Actions a token keeps (the newest), so buttons on screen still work after a reconnect. */
export const MAX_SAVED_ACTIONS = 32;
const MAX_LABEL_LENGTH = 1_024;
/** Trailing digits a token remembers: more are as many as it takes (a policy's `minDigits` is at most 64). */
const MAX_TAIL_DIGITS = 64;
/** What the vendor's state adds to the sealed JSON besides itself. */
const VENDOR_KEY = ',"v":';

const jsonSchema = z.json();

/** The sealed shape; short keys, because every byte counts toward the token's size. */
export const chatSessionSchema = z.object({
  /** Conversation id: letters only. */
  c: z.string().regex(/^[a-z]{8,64}$/),
  /** The vendor adapter's state. */
  v: jsonSchema.optional(),
  /** Stand-in message ids: the count issued, and the newest pairs of a widget id's digest → vendor id. */
  ids: z
    .object({
      issued: z.int().min(0),
      standIns: z.array(z.tuple([z.string().min(1).max(64), z.string().min(2).max(16)])).max(MAX_SAVED_MESSAGE_IDS),
    })
    .optional(),
  /** Actions offered: opaque id → label and the vendor's payload. */
  /** The last message's trailing digits, the separators after them and when it was sent (`split-numbers.ts`): counts, never a digit. */
  t: z.tuple([z.int().min(1).max(MAX_TAIL_DIGITS), z.int().min(0).max(8), z.int().min(0)]).optional(),
  a: z
    .array(z.tuple([z.string().regex(/^[a-z]{12}$/), z.object({ l: z.string().max(MAX_LABEL_LENGTH), p: jsonSchema.optional() })]))
    .max(MAX_SAVED_ACTIONS)
    .optional(),
});

export type ChatSession = z.infer<typeof chatSessionSchema>;
type SavedAction = NonNullable<ChatSession['a']>[number];

/**
 * How the chat's last message ended, as a token keeps it: the digits of its trailing run, the
 * separators after them and when it was sent (ms since the epoch) — counts, never a digit
 * (the engine's `MessageTail`, `src/redact/split-numbers.ts`).
 */
export interface SealedTail {
  readonly digits: number;
  readonly gap: number;
  readonly at: number;
}

/** An action as the chat remembers it: its opaque id, label and the vendor's payload. */
export type ActionEntry = readonly [id: string, action: { readonly label: string; readonly payload?: unknown }];

/** Stand-in message ids: the count issued, and the newest pairs of widget id → vendor id. */
export interface SavedStandIns {
  readonly issued: number;
  readonly standIns: readonly (readonly [widgetId: string, standIn: string])[];
}

/** What {@link composeChatSession} is made from. */
export interface ChatSessionParts {
  readonly conversationId: string;
  readonly ids: SavedStandIns;
  /** Oldest first, as the chat remembers them. */
  readonly actions: readonly ActionEntry[];
  /** The last message's trailing digits (none: `digits` 0). */
  readonly tail?: SealedTail | undefined;
  /** The vendor's state in at most `maxBytes` bytes of JSON. */
  readonly vendorState: (maxBytes: number) => unknown;
}

const byteLength = (value: unknown): number => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));

/**
 * The state to seal, within `budget` bytes ({@link sessionStateBudget}): the newest stand-in ids
 * that fit in {@link STAND_IN_SHARE} of it, then what the vendor needs (it is what keeps the
 * conversation going), and the newest actions fill what room is left.
 */
export function composeChatSession(budget: number, parts: ChatSessionParts): ChatSession {
  const base: ChatSession = { c: parts.conversationId };
  if (parts.tail !== undefined && parts.tail.digits > 0) base.t = [Math.min(parts.tail.digits, MAX_TAIL_DIGITS), parts.tail.gap, parts.tail.at];
  const ids = fitStandIns(parts.ids, Math.floor(budget * STAND_IN_SHARE) - byteLength(base));
  if (ids !== undefined) base.ids = ids;
  let room = budget - byteLength(base);
  // The vendor's state comes with its key: the room it is offered leaves space for that too.
  const vendor = parts.vendorState(room - VENDOR_KEY.length);
  if (vendor !== undefined) {
    room -= byteLength(vendor) + VENDOR_KEY.length;
    base.v = vendor as ChatSession['v'];
  }
  const actions: SavedAction[] = [];
  for (const [id, { label, payload }] of parts.actions.slice(-MAX_SAVED_ACTIONS).reverse()) {
    const action: SavedAction = [id, { l: label, ...(payload !== undefined && { p: payload as z.infer<typeof jsonSchema> }) }];
    const size = byteLength(action) + 1;
    if (size > room - ',"a":[]'.length) break;
    room -= size;
    actions.unshift(action);
  }
  if (actions.length > 0) base.a = actions;
  return base;
}

/** The newest stand-ins of `ids` whose `"ids"` field takes at most `room` bytes; `undefined` when none do. */
function fitStandIns(ids: ChatSessionParts['ids'], room: number): ChatSession['ids'] {
  const standIns: [string, string][] = [];
  let size = byteLength({ ids: { issued: ids.issued, standIns: [] } });
  for (let k = ids.standIns.length - 1; k >= 0; k -= 1) {
    const [key, standIn] = ids.standIns[k]!;
    size += byteLength([key, standIn]) + 1;
    if (size > room) break;
    standIns.unshift([key, standIn]);
  }
  return standIns.length === 0 ? undefined : { issued: ids.issued, standIns };
}

/** The state a token carried, when it has the sealed shape; `undefined` otherwise. */
export function readChatSession(state: unknown): ChatSession | undefined {
  const parsed = chatSessionSchema.safeParse(state);
  return parsed.success ? parsed.data : undefined;
}

/** What a resumed chat takes up, in the chat's own words: the token's short keys stay in this module. */
export interface RestoredChat {
  readonly conversationId: string;
  /** The vendor adapter's state, or `undefined` when it kept none. */
  readonly vendorState: unknown;
  readonly ids: SavedStandIns | undefined;
  /** Oldest first, as the chat offered them; a payload is JSON, as the vendor gave it. */
  readonly actions: readonly (readonly [id: string, action: { readonly label: string; readonly payload?: z.infer<typeof jsonSchema> }])[];
  /** The last message's trailing digits, when it ended in some. */
  readonly tail: SealedTail | undefined;
}

/**
 * The chat a token's state describes, or `undefined` when it has not the sealed shape.
 *
 * @example
 * ```ts
 * const opened = sealer.open(token);
 * const chat = opened.ok ? restoreChat(opened.state) : undefined; // { conversationId, vendorState, ids, actions }
 * ```
 */
export function restoreChat(state: unknown): RestoredChat | undefined {
  const session = readChatSession(state);
  if (session === undefined) return undefined;
  return {
    conversationId: session.c,
    vendorState: session.v,
    ids: session.ids,
    tail: session.t === undefined ? undefined : { digits: session.t[0], gap: session.t[1], at: session.t[2] },
    actions: (session.a ?? []).map(([id, action]) => [id, { label: action.l, ...(action.p !== undefined && { payload: action.p }) }]),
  };
}
