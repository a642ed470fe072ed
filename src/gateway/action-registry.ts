/**
 * The actions one chat has offered: the widget sees only an opaque id per button, quick reply or
 * link; what the vendor needs back for a click (a Boost link id, a Rasa payload, a Direct Line
 * value) stays here.
 *
 * @module
 */
import type { VendorPayload } from '../chatbot/chatbot.js';
import { randomLetters } from '../random-letters.js';
import type { RedactedText } from '../redact/index.js';
import { MAX_SAVED_ACTIONS } from '../session/chat-session.js';

/** Actions remembered per chat; past this the oldest are forgotten (a click on one: `unknown_action`). */
export const MAX_REMEMBERED_ACTIONS = 256;
/** Letters in an action id: 26^12 ≈ 9.5e16 ids, never guessed, never holding a digit. */
const ACTION_ID_LETTERS = 12;

/** What a click on one action means. */
export interface RememberedAction {
  readonly label: RedactedText;
  /** Absent for a link that is only opened: a click on it sends the vendor nothing. */
  readonly payload?: VendorPayload;
}

/** A random id of letters only: it reaches the widget, so it holds no digit and says nothing. */
export function newOpaqueId(letters: number = ACTION_ID_LETTERS): string {
  return randomLetters(letters);
}

/** A remembered action and what finds it again: its key, and when it was last put in front. */
interface Entry {
  readonly action: RememberedAction;
  readonly key: string;
  serial: number;
}

/** What makes two offers the same action: the label the widget shows and what a click sends back. */
function keyOf(action: RememberedAction): string {
  return action.payload === undefined ? `link\u0000${action.label}` : `click\u0000${action.label}\u0000${JSON.stringify(action.payload)}`;
}

/**
 * The actions of one chat, oldest forgotten first.
 *
 * An action offered again (the same label and payload: a bot's "Main menu", the demo bot's
 * quick replies) keeps the id it had, so the chat's state — and the session token sealed from
 * it — does not change with every reply that repeats a button. It moves to the front only once
 * it has fallen behind the newest {@link MAX_SAVED_ACTIONS}, which the token carries: an action
 * offered again within every {@link MAX_REMEMBERED_ACTIONS} − {@link MAX_SAVED_ACTIONS} others
 * is never forgotten.
 *
 * @example
 * ```ts
 * const actions = new ActionRegistry();
 * const id = actions.remember({ label, payload: '/inform_invoice' }); // 'qhzkwmpbtrea'
 * actions.recall(id)?.payload; // '/inform_invoice'
 * actions.remember({ label, payload: '/inform_invoice' }); // 'qhzkwmpbtrea' again
 * ```
 */
export class ActionRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #idsByKey = new Map<string, string>();
  /** Counts every time an action is put in front; also the registry's version. */
  #serial = 0;

  /** Remember `action` and return its opaque id: a new one, or the one it had if it was offered before. */
  remember(action: RememberedAction): string {
    const key = keyOf(action);
    const known = this.#idsByKey.get(key);
    const entry = known === undefined ? undefined : this.#entries.get(known);
    if (known !== undefined && entry !== undefined) {
      // Serials of entries moved since count too: the distance only overstates how far back it is.
      if (this.#serial - entry.serial < MAX_SAVED_ACTIONS) return known;
      this.#entries.delete(known);
      this.#entries.set(known, entry);
      entry.serial = ++this.#serial;
      return known;
    }
    let id = newOpaqueId();
    while (this.#entries.has(id)) id = newOpaqueId();
    this.#add(id, action);
    return id;
  }

  /** The action `id` names, if this chat offered it and still remembers it. */
  recall(id: string): RememberedAction | undefined {
    return this.#entries.get(id)?.action;
  }

  /** Every remembered action, oldest first (what a session token carries). */
  entries(): [string, RememberedAction][] {
    return Array.from(this.#entries, ([id, entry]) => [id, entry.action]);
  }

  /** Changes whenever {@link entries} would: compare two to know whether a new token is due. */
  get version(): number {
    return this.#serial;
  }

  /** Remember actions under the ids they had before (a resumed chat's). */
  restore(entries: Iterable<readonly [string, RememberedAction]>): void {
    for (const [id, action] of entries) {
      if (this.#entries.size >= MAX_REMEMBERED_ACTIONS) break;
      this.#add(id, action);
    }
  }

  #add(id: string, action: RememberedAction): void {
    if (this.#entries.size >= MAX_REMEMBERED_ACTIONS) {
      const [oldest, entry] = this.#entries.entries().next().value as [string, Entry];
      this.#entries.delete(oldest);
      if (this.#idsByKey.get(entry.key) === oldest) this.#idsByKey.delete(entry.key);
    }
    const key = keyOf(action);
    this.#entries.set(id, { action, key, serial: ++this.#serial });
    this.#idsByKey.set(key, id);
  }
}
