/**
 * The seam between the gateway and a chatbot: what every vendor adapter offers, whatever wire
 * format it speaks. The gateway opens one {@link ChatbotConversation} per chat, hands it only
 * redacted text, and redacts everything that comes back before the widget sees it.
 *
 * @module
 */
import type { RedactedText } from '../redact/index.js';

/** The vendor kinds `VENDOR_KIND` names; `demo` is the built-in bot used when no vendor is set. */
export const VENDOR_KINDS = ['generic', 'boost', 'openai', 'directline', 'rasa'] as const;
export type VendorKind = (typeof VENDOR_KINDS)[number];
/** The `vendor` label of the vendor metrics: a configured kind, or the demo bot. */
export type ChatbotKind = VendorKind | 'demo';

/**
 * What the vendor needs back when the user clicks one of its buttons: a Boost link id, a Rasa
 * payload, a Direct Line card action. JSON, opaque to the gateway, never redacted (it is not user
 * text) and never shown to the widget, which sees only an opaque id.
 */
export type VendorPayload = string | number | boolean | null | readonly VendorPayload[] | { readonly [key: string]: VendorPayload };

/** A button, quick reply or link of a vendor reply, as the vendor sent it (not yet redacted). */
export interface VendorAction {
  /** What the button says. The gateway redacts it like reply text. */
  readonly label: string;
  /** An external link; the gateway passes it only when it is http(s) and holds no number. */
  readonly url?: string;
  /** What a click sends back to the vendor; absent for a link that is only opened. */
  readonly payload?: VendorPayload;
  /**
   * A link to an image or file that has no name of its own: `label` is then only the English
   * word for it, and the widget says it in the user's language.
   */
  readonly attachment?: AttachmentKind;
}

/** What an attachment without a name is. */
export type AttachmentKind = 'image' | 'file';

/**
 * One piece of a reply, in order. Text is plain (an adapter reduces vendor markup to text with
 * `htmlToText` first) and may be any slice of the reply: a streamed token, a whole message, or
 * the blank line between two messages. Actions belong to the text before them.
 */
export type ReplyPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'actions'; readonly actions: readonly VendorAction[] }
  /** Who writes what follows, when the vendor says it: a human `agent` (a handover) or the `bot`. */
  | { readonly type: 'author'; readonly from: ReplyAuthor };

/** Who wrote a reply: a human agent, or the bot. */
export type ReplyAuthor = 'agent' | 'bot';

/** What the user sent, redacted, on its way to the vendor. */
export type ChatInput =
  | {
      readonly kind: 'text';
      /** The message id the vendor sees (a stand-in where the widget's id could not go out). */
      readonly messageId: string;
      readonly text: RedactedText;
    }
  | {
      readonly kind: 'action';
      readonly messageId: string;
      /** The clicked button's label, as the widget showed it. */
      readonly label: RedactedText;
      readonly payload: VendorPayload;
    };

/** One answered exchange: what the user sent and the reply as the widget showed it. */
export interface AnsweredTurn {
  readonly input: RedactedText;
  readonly reply: RedactedText;
}

/** What the gateway gives a conversation when it opens it. */
export interface ConversationOptions {
  /** The gateway's id of the conversation: letters only, stable across resumes. */
  readonly conversationId: string;
  /**
   * The vendor state a resumed chat's session token carried (what {@link ChatbotConversation.saveState}
   * returned), or `undefined` for a new conversation. An adapter validates it and, if it cannot use
   * it, starts afresh.
   */
  readonly state?: unknown;
  /**
   * A message the vendor sent on its own — a human agent during a handover, a proactive activity.
   * The gateway redacts it and sends it to the widget as a reply without a message id.
   */
  readonly onMessage: (parts: readonly ReplyPart[]) => void;
}

/**
 * One chat's conversation with the vendor. Its methods are called one at a time, in order: the
 * gateway waits for a reply to end before it asks for the next.
 *
 * Replies fail with a `CodedError` whose code is `vendor_unavailable`, `vendor_timeout` or
 * `vendor_error`, and stop when their signal aborts (throwing its reason).
 */
export interface ChatbotConversation {
  /**
   * Begin the conversation at the vendor and yield its greeting, if it has one. Called once per
   * chat connection, before any reply; a conversation opened with a state that shows it began
   * already (a resumed chat) yields nothing, so a reconnect never starts a second one.
   */
  start(signal: AbortSignal): AsyncIterable<ReplyPart>;
  /** The vendor's reply to one message or button click. */
  reply(input: ChatInput, signal: AbortSignal): AsyncIterable<ReplyPart>;
  /**
   * Told of every reply that ended well, with the text the widget showed — for an adapter that
   * keeps the conversation's history itself (an LLM). Absent: the gateway keeps no reply text.
   */
  recordTurn?(turn: AnsweredTurn): void;
  /**
   * What the conversation needs to go on elsewhere (sealed into the session token): JSON of at
   * most `maxBytes` UTF-8 bytes (trim what can go, oldest first — an LLM's history), or
   * `undefined` when there is nothing to keep. Read after each start and answered reply.
   */
  saveState(maxBytes: number): unknown;
  /**
   * The longest message the vendor takes now, in characters, when it says so (Boost's
   * `max_input_chars`); a longer one is refused with `message_too_large` before it is acked.
   */
  readonly maxInputLength?: number | undefined;
  /** The chat went away: stop whatever runs in the background (polling, a stream). */
  close(): void;
}

/** A chatbot vendor, for the whole process. */
export interface Chatbot {
  readonly kind: ChatbotKind;
  /**
   * Answers in this process, with no request to a vendor (the demo bot): nothing of a message
   * is forwarded over the wire, so its ack need not leave ahead of the reply, and leaves in one
   * write with the frames of its turn.
   */
  readonly inProcess?: boolean;
  open(options: ConversationOptions): ChatbotConversation;
  /** Release connections; pending replies end with `vendor_unavailable`. */
  close(): Promise<void>;
}
