/**
 * Where a client keeps what it needs to go on after a reconnect or a reload: the session token
 * and the messages still waiting for their answer. In a browser that is `sessionStorage` — per
 * tab, gone with the tab, never sent anywhere (no cookie) — elsewhere memory.
 *
 * What is kept was redacted before it was sent, so storing it keeps no number the user typed.
 *
 * @module
 */
import { z } from 'zod';
import { KINDS } from '../redact/kinds.js';
import type { OutgoingFrame } from './frames.js';

/** What a client saves between connections. */
export interface SavedSession {
  /** The newest session token, when the gateway has sent one. */
  readonly token?: string;
  /** Messages and clicks sent but not yet answered, oldest first: sent again after a resume. */
  readonly pending: readonly OutgoingFrame[];
}

/** A place to keep a {@link SavedSession}. */
export interface SessionStore {
  /** What was saved last; `undefined` when nothing (readable) was. */
  load(): SavedSession | undefined;
  save(session: SavedSession): void;
  /** Forget it (the user ended the chat). */
  clear(): void;
}

/** The part of the Web Storage API a store needs (`sessionStorage` has it). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The key the widget keeps its session under. */
export const DEFAULT_SESSION_KEY = 'chat-redact:session';

const idSchema = z.string().min(1).max(64);
const savedSchema = z.object({
  token: z.string().min(1).optional(),
  pending: z.array(
    z.discriminatedUnion('type', [
      z.object({
        type: z.literal('message'),
        id: idSchema,
        text: z.string(),
        removed: z.partialRecord(z.enum(KINDS), z.int().min(0)).optional(),
      }),
      z.object({ type: z.literal('action'), id: idSchema, action: z.string().min(1) }),
    ]),
  ),
});

/** A store in memory: it lasts as long as the client object. */
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
        const parsed = savedSchema.safeParse(JSON.parse(text));
        return parsed.success ? (parsed.data as SavedSession) : undefined;
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
