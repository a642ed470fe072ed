/**
 * The actions one chat has offered: the widget sees only an opaque id per button, quick reply or
 * link; what the vendor needs back for a click (a Boost link id, a Rasa payload, a Direct Line
 * value) stays here.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { VendorPayload } from '../chatbot/chatbot.js';
import type { RedactedText } from '../redact/index.js';

/** Actions remembered per chat; past this the oldest are forgotten (a click on one: `unknown_action`). */
export const MAX_REMEMBERED_ACTIONS = 256;
/** Letters in an action id: 26^12 ≈ 9.5e16 ids, never guessed, never holding a digit. */
const ACTION_ID_LETTERS = 12;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** What a click on one action means. */
export interface RememberedAction {
  readonly label: RedactedText;
  /** Absent for a link that is only opened: a click on it sends the vendor nothing. */
  readonly payload?: VendorPayload;
}

/** A random id of letters only: it reaches the widget, so it holds no digit and says nothing. */
export function newOpaqueId(letters: number = ACTION_ID_LETTERS): string {
  // 256 is not a multiple of 26; the slight bias toward the first letters costs < 0.2 bit of 56.
  return Array.from(randomBytes(letters), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/**
 * The actions of one chat, oldest forgotten first.
 *
 * @example
 * ```ts
 * const actions = new ActionRegistry();
 * const id = actions.remember({ label, payload: '/inform_invoice' }); // 'qhzkwmpbtrea'
 * actions.recall(id)?.payload; // '/inform_invoice'
 * ```
 */
export class ActionRegistry {
  readonly #actions = new Map<string, RememberedAction>();

  /** Remember `action` under a new opaque id and return the id. */
  remember(action: RememberedAction): string {
    let id = newOpaqueId();
    while (this.#actions.has(id)) id = newOpaqueId();
    if (this.#actions.size >= MAX_REMEMBERED_ACTIONS) this.#actions.delete(this.#actions.keys().next().value as string);
    this.#actions.set(id, action);
    return id;
  }

  /** The action `id` names, if this chat offered it and still remembers it. */
  recall(id: string): RememberedAction | undefined {
    return this.#actions.get(id);
  }

  /** Every remembered action, oldest first (what a session token carries). */
  entries(): [string, RememberedAction][] {
    return [...this.#actions];
  }

  /** Remember actions under the ids they had before (a resumed chat's). */
  restore(entries: Iterable<readonly [string, RememberedAction]>): void {
    for (const [id, action] of entries) {
      if (this.#actions.size >= MAX_REMEMBERED_ACTIONS) break;
      this.#actions.set(id, action);
    }
  }
}
