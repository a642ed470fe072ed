/**
 * The session tokens one chat sends: sealed from what the chat is now (conversation id, stand-in
 * message ids, the actions it offered, the vendor's state), at the start and whenever what they
 * carry changed, or when the one the widget holds is half-way to expiry, so it never lapses.
 *
 * Whether anything changed is asked cheaply first: the action registry and the message ids
 * count their changes, and only the vendor's state is serialised to be compared. The state is
 * composed, serialised and sealed (AES-GCM) only when a token is due; after every answered
 * message, that measured about a third of the gateway's CPU with the demo bot.
 *
 * @module
 */
import type { ChatbotConversation } from '../chatbot/chatbot.js';
import type { MessageTail } from '../redact/index.js';
import { MAX_SAVED_MESSAGE_IDS, composeChatSession, type ChatSession } from '../session/chat-session.js';
import type { SessionSealer } from '../session/session-sealer.js';
import type { ActionRegistry } from './action-registry.js';
import type { SessionFrame } from './protocol.js';
import type { VendorMessageIds } from './vendor-message-ids.js';

/** What a token is sealed from: the chat's parts as they are now. */
export interface SessionSource {
  readonly conversationId: string;
  readonly ids: VendorMessageIds;
  readonly actions: ActionRegistry;
  readonly conversation: ChatbotConversation | undefined;
  /** The last message's trailing digits, when the chat watches for numbers sent in pieces. */
  readonly tail?: MessageTail | undefined;
}

/** Settings of {@link SessionTokens}. */
export interface SessionTokenSettings {
  readonly sealer: SessionSealer;
  /** A token is sent again when this old (ms), even if nothing changed: at half its lifetime. */
  readonly ttlMs: number;
  /** UTF-8 bytes of state a token may carry (`sessionStateBudget`). */
  readonly budget: number;
}

const NO_STATE = '';

/**
 * The session tokens of one chat.
 *
 * @example
 * ```ts
 * const tokens = new SessionTokens({ sealer, ttlMs: 1_800_000, budget });
 * send(tokens.issue(chat, false)); // on open
 * const frame = tokens.refresh(chat); // after a reply: a frame, or undefined when nothing changed
 * ```
 */
export class SessionTokens {
  readonly #settings: SessionTokenSettings;
  #resumed = false;
  #sentAt = 0;
  /** The state last sealed, as JSON. */
  #sealed = '';
  /** What it was sealed from: conversation id and versions, the room the vendor had, and its state. */
  #partsKey = '';
  #vendorRoom = 0;
  #vendorJson = NO_STATE;

  constructor(settings: SessionTokenSettings) {
    this.#settings = settings;
  }

  /**
   * A token for what the chat is now. `resumed` says whether this chat took up an earlier
   * conversation; every token after this one repeats it.
   */
  issue(source: SessionSource, resumed: boolean): SessionFrame {
    this.#resumed = resumed;
    return this.#seal(this.#compose(source, undefined));
  }

  /** A token when what it carries changed or the last one is half-way to expiry; otherwise `undefined`. */
  refresh(source: SessionSource): SessionFrame | undefined {
    const isDue = performance.now() - this.#sentAt >= this.#settings.ttlMs / 2;
    let vendor: { readonly room: number; readonly state: unknown } | undefined;
    if (!isDue && keyOf(source) === this.#partsKey) {
      // Same ids and actions, so the vendor gets the same room as last time.
      const state = source.conversation?.saveState(this.#vendorRoom);
      if (jsonOf(state) === this.#vendorJson) return undefined;
      vendor = { room: this.#vendorRoom, state };
    }
    const state = this.#compose(source, vendor);
    if (!isDue && JSON.stringify(state) === this.#sealed) return undefined;
    return this.#seal(state);
  }

  /** The state to seal; `known` is the vendor's state already asked for with that room. */
  #compose(source: SessionSource, known: { readonly room: number; readonly state: unknown } | undefined): ChatSession {
    this.#partsKey = keyOf(source);
    return composeChatSession(this.#settings.budget, {
      conversationId: source.conversationId,
      ids: source.ids.save(MAX_SAVED_MESSAGE_IDS),
      actions: source.actions.entries(),
      tail: source.tail,
      vendorState: (maxBytes) => {
        const state = known?.room === maxBytes ? known.state : source.conversation?.saveState(maxBytes);
        this.#vendorRoom = maxBytes;
        this.#vendorJson = jsonOf(state);
        return state;
      },
    });
  }

  #seal(state: ChatSession): SessionFrame {
    this.#sealed = JSON.stringify(state);
    this.#sentAt = performance.now();
    return { type: 'session', token: this.#settings.sealer.seal(state), resumed: this.#resumed };
  }
}

function keyOf(source: SessionSource): string {
  const tail = source.tail === undefined ? '' : `${source.tail.digits}.${source.tail.gap}.${source.tail.at}`;
  return `${source.conversationId}:${source.ids.version}:${source.actions.version}:${source.conversation === undefined ? '-' : '+'}:${tail}`;
}

function jsonOf(state: unknown): string {
  return state === undefined ? NO_STATE : JSON.stringify(state);
}
