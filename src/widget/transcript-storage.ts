/**
 * The conversation as the widget shows it, kept in `sessionStorage` so that it survives a
 * reconnect and a reload of the tab (and goes with the tab). Everything in it is what the gateway
 * acknowledged or sent, redacted, or what the device redacted before sending: it holds no number
 * the user typed.
 *
 * @module
 */
import { readChatAction, type ChatAction } from '../client/frames.js';
import { isAbsentOr, isCount, isJsonObject, readEvery } from '../client/json-shape.js';
import type { StorageLike } from '../client/session-store.js';

/** The key the transcript is kept under. */
export const TRANSCRIPT_KEY = 'chat-redact:transcript';
/** Entries kept; past this the oldest go, so the storage stays small in a long chat. */
export const MAX_ENTRIES = 200;

/** A message of the user's: `pending` until the gateway acknowledged it. */
export interface UserEntry {
  kind: 'user';
  id: string;
  text: string;
  state: 'pending' | 'sent' | 'failed';
  /** Numbers the device removed before sending. */
  removed: number;
  /** Numbers the gateway removed from what it received (its ack says). */
  gatewayRemoved: number;
  error?: string;
}
/** A reply, or a message of the vendor's own (`replyTo` absent). */
export interface BotEntry {
  kind: 'bot';
  replyTo?: string;
  text: string;
  done: boolean;
  actions: ChatAction[];
  used: boolean;
  /** Written by a human agent: shown as a person, never as the assistant. */
  agent?: boolean;
}
/** A note of the widget's: an error code, or `restarted`. */
export interface SystemEntry {
  kind: 'system';
  code: string;
}
/** One line of the transcript. */
export type Entry = UserEntry | BotEntry | SystemEntry;
/** What is kept. */
export interface SavedTranscript {
  notice?: string;
  entries: Entry[];
}

const USER_STATES: ReadonlySet<unknown> = new Set(['pending', 'sent', 'failed']);
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** What storage gave back, if it is a transcript; otherwise `undefined`. */
function readTranscript(value: unknown): SavedTranscript | undefined {
  if (!isJsonObject(value) || !isAbsentOr(value.notice, isString)) return undefined;
  const entries = readEvery(value.entries, readEntry);
  if (entries === undefined) return undefined;
  return value.notice === undefined ? { entries } : { notice: value.notice, entries };
}

function readEntry(entry: unknown): Entry | undefined {
  if (!isJsonObject(entry)) return undefined;
  const { kind, text } = entry;
  if (kind === 'system') return isString(entry.code) ? { kind, code: entry.code } : undefined;
  if (kind === 'user') {
    const { id, state, removed, gatewayRemoved, error } = entry;
    if (!isString(id) || !isString(text) || !USER_STATES.has(state) || !isCount(removed) || !isCount(gatewayRemoved) || !isAbsentOr(error, isString)) return undefined;
    return { kind, id, text, state: state as UserEntry['state'], removed, gatewayRemoved, ...(error !== undefined && { error }) };
  }
  if (kind !== 'bot') return undefined;
  const { replyTo, done, used } = entry;
  const actions = readEvery(entry.actions, readChatAction);
  if (!isAbsentOr(replyTo, isString) || !isString(text) || !isBoolean(done) || !isBoolean(used) || actions === undefined) return undefined;
  return { kind, ...(replyTo !== undefined && { replyTo }), text, done, actions, used };
}

/** The transcript kept in `storage`; an empty one when there is none or it is unreadable. */
export function loadTranscript(storage: StorageLike | undefined): SavedTranscript {
  try {
    const text = storage?.getItem(TRANSCRIPT_KEY) ?? null;
    if (text !== null) {
      const transcript = readTranscript(JSON.parse(text));
      if (transcript !== undefined) return transcript;
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
