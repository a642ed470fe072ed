/**
 * Where a client keeps what it needs to go on after a reconnect or a reload: the session token
 * and the messages still waiting for their answer. In a browser that is `sessionStorage` — per
 * tab, gone with the tab, never sent anywhere (no cookie) — elsewhere memory.
 *
 * What is kept was redacted before it was sent, so storing it keeps no number the user typed.
 *
 * @module
 */
import { KINDS, type Kind, type KindCounts } from '../redact/kinds.js';
import type { OutgoingFrame } from './frames.js';
import { isAbsentOr, isCount, isJsonObject, isNonEmptyString, readEvery } from './json-shape.js';

/**
 * What a client saves between connections.
 *
 * @example
 * ```ts
 * const saved: SavedSession = { token: 'abcDEF', pending: [{ type: 'message', id: 'm1', text: 'hei' }] };
 * ```
 */
export interface SavedSession {
  /** The newest session token, when the gateway has sent one. */
  readonly token?: string;
  /** Messages and clicks sent but not yet answered, oldest first: sent again after a resume. */
  readonly pending: readonly OutgoingFrame[];
}

/**
 * A place to keep a {@link SavedSession}.
 *
 * @example
 * ```ts
 * const store: SessionStore = createWebStorageStore(sessionStorage);
 * store.load()?.token;
 * ```
 */
export interface SessionStore {
  /** What was saved last; `undefined` when nothing (readable) was. */
  load(): SavedSession | undefined;
  save(session: SavedSession): void;
  /** Forget it (the user ended the chat). */
  clear(): void;
}

/**
 * The part of the Web Storage API a store needs (`sessionStorage` has it).
 *
 * @example
 * ```ts
 * const storage: StorageLike = window.sessionStorage;
 * ```
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The key the widget keeps its session under.
 *
 * @example
 * ```ts
 * sessionStorage.getItem(DEFAULT_SESSION_KEY); // what the widget saved: '{"token":…,"pending":[…]}'
 * ```
 */
export const DEFAULT_SESSION_KEY = 'chat-redact:session';

/** The longest message id the gateway takes (`MAX_ID_LENGTH` of its protocol). */
const MAX_ID_LENGTH = 64;
const KNOWN_KINDS: ReadonlySet<string> = new Set(KINDS);

/** What storage gave back, if it is a saved session: a token, and frames of a known shape. */
function readSavedSession(value: unknown): SavedSession | undefined {
  if (!isJsonObject(value) || !isAbsentOr(value.token, isNonEmptyString)) return undefined;
  const pending = readEvery(value.pending, readPendingFrame);
  if (pending === undefined) return undefined;
  return value.token === undefined ? { pending } : { token: value.token, pending };
}

function readPendingFrame(frame: unknown): OutgoingFrame | undefined {
  if (!isJsonObject(frame) || !isNonEmptyString(frame.id, MAX_ID_LENGTH)) return undefined;
  const { type, id, text, action, removed } = frame;
  if (type === 'action') return isNonEmptyString(action) ? { type, id, action } : undefined;
  if (type !== 'message' || typeof text !== 'string') return undefined;
  if (removed === undefined) return { type, id, text };
  const counts = readKindCounts(removed);
  return counts === undefined ? undefined : { type, id, text, removed: counts };
}

/** Counts by kind: every key a kind of the engine's, every value a count. */
function readKindCounts(value: unknown): KindCounts | undefined {
  if (!isJsonObject(value)) return undefined;
  const counts: Partial<Record<Kind, number>> = {};
  for (const [kind, count] of Object.entries(value)) {
    if (!KNOWN_KINDS.has(kind) || !isCount(count)) return undefined;
    counts[kind as Kind] = count;
  }
  return counts;
}

/**
 * A store in memory: it lasts as long as the client object.
 *
 * @example
 * ```ts
 * new ChatClient({ url, store: createMemoryStore() }); // the default: lasts as long as the client
 * ```
 */
export function createMemoryStore(): SessionStore {
  let saved: SavedSession | undefined;
  return {
    load: () => saved,
    save(session) {
      saved = session;
    },
    clear() {
      saved = undefined;
    },
  };
}

/**
 * A store in Web Storage under `key`. What it reads back is checked: an entry that another
 * script or version wrote in another shape is ignored, not trusted. A full or disabled storage
 * (private browsing, a sandboxed frame) only costs the resume, never the chat.
 *
 * @example
 * ```ts
 * const client = new ChatClient({ url, store: createWebStorageStore(sessionStorage) });
 * ```
 */
export function createWebStorageStore(storage: StorageLike, key: string = DEFAULT_SESSION_KEY): SessionStore {
  return {
    load() {
      let text: string | null;
      try {
        text = storage.getItem(key);
      } catch {
        return undefined;
      }
      if (text === null) return undefined;
      try {
        return readSavedSession(JSON.parse(text));
      } catch {
        return undefined;
      }
    },
    save(session) {
      try {
        storage.setItem(key, JSON.stringify(session));
      } catch {
        // Quota or policy: the chat goes on; only a reload would start afresh.
      }
    },
    clear() {
      try {
        storage.removeItem(key);
      } catch {
        // As above.
      }
    },
  };
}
