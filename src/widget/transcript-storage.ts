/**
 * The conversation as the widget shows it, kept in `sessionStorage` so that it survives a
 * reconnect and a reload of the tab (and goes with the tab). Everything in it is what the gateway
 * acknowledged or sent, redacted, or what the device redacted before sending: it holds no number
 * the user typed.
 *
 * @module
 */
import { z } from 'zod';
import type { StorageLike } from '../client/session-store.js';

/** The key the transcript is kept under. */
export const TRANSCRIPT_KEY = 'chat-redact:transcript';
/** Entries kept; past this the oldest go, so the storage stays small in a long chat. */
export const MAX_ENTRIES = 200;

const actionSchema = z.object({ id: z.string(), label: z.string(), url: z.string().optional() });
const entrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    id: z.string(),
    text: z.string(),
    state: z.enum(['pending', 'sent', 'failed']),
    /** Numbers the device removed before sending. */
    removed: z.int().min(0),
    /** Numbers the gateway removed from what it received (its ack says). */
    gatewayRemoved: z.int().min(0),
    error: z.string().optional(),
  }),
  z.object({
    kind: z.literal('bot'),
    replyTo: z.string().optional(),
    text: z.string(),
    done: z.boolean(),
    actions: z.array(actionSchema),
    used: z.boolean(),
  }),
  z.object({ kind: z.literal('system'), code: z.string() }),
]);
const transcriptSchema = z.object({ notice: z.string().optional(), entries: z.array(entrySchema) });

/** A message of the user's: `pending` until the gateway acknowledged it. */
export type UserEntry = z.infer<(typeof entrySchema.options)[0]>;
/** A reply, or a message of the vendor's own (`replyTo` absent). */
export type BotEntry = z.infer<(typeof entrySchema.options)[1]>;
/** A note of the widget's: an error code, or `restarted`. */
export type SystemEntry = z.infer<(typeof entrySchema.options)[2]>;
/** One line of the transcript. */
export type Entry = UserEntry | BotEntry | SystemEntry;
/** What is kept. */
export type SavedTranscript = z.infer<typeof transcriptSchema>;

/** The transcript kept in `storage`; an empty one when there is none or it is unreadable. */
export function loadTranscript(storage: StorageLike | undefined): SavedTranscript {
  try {
    const text = storage?.getItem(TRANSCRIPT_KEY) ?? null;
    if (text !== null) {
      const parsed = transcriptSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    }
  } catch {
    // Unreadable or disabled storage: start with an empty transcript.
  }
  return { entries: [] };
}

/** Keep `transcript` (its newest {@link MAX_ENTRIES} entries); a full or disabled storage only costs the reload. */
export function saveTranscript(storage: StorageLike | undefined, transcript: SavedTranscript): void {
  const entries = transcript.entries.slice(-MAX_ENTRIES);
  try {
    storage?.setItem(TRANSCRIPT_KEY, JSON.stringify({ ...transcript, entries }));
  } catch {
    // As above.
  }
}

/** The page's `sessionStorage`, or `undefined` where reading it throws (a sandboxed frame, storage disabled). */
export function pageSessionStorage(): StorageLike | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
