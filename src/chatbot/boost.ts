/**
 * The Boost.ai adapter (`VENDOR_KIND=boost`): Chat API v2, `POST {base}/api/chat/v2` with one
 * command per request, as boost.ai's iOS and Android SDKs send them. START once per
 * conversation (its greeting is the chat's first reply), POST `text` per message and POST
 * `action_link` / `external_link` per click, all with `clean: true` (text rather than HTML where
 * Boost can). While a human agent has the chat (`state.poll`), POLL every 2.5 s, as the SDKs do,
 * for what comes after the newest response seen, and hand each new message to the gateway.
 *
 * Boost takes no idempotency key, so a command that acts (START, POST) is sent again only when
 * Boost surely did not act on it; POLL changes nothing and is sent again freely.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { isClientErrorStatus } from '../http-status.js';
import { computeBackoffDelay, resolveRetryOptions } from '../backoff.js';
import { boostAnswerSchema, boostLinkPayloadSchema, isClientEcho, partsOfResponses, responsesOf, type BoostAnswer, type BoostResponse } from './boost-answer.js';
import type { Chatbot, ChatbotConversation, ChatInput, ConversationOptions, ReplyPart } from './chatbot.js';
import { readJson } from './response-body.js';
import type { Turn, VendorClient } from './vendor-client.js';
import type { RequestSpec } from './vendor-exchange.js';
import { VendorFailure } from './vendor-failure.js';

const CHAT_PATH = 'api/chat/v2';
/** What the configuration needs to know of this kind: every tenant has a host of its own, which `VENDOR_URL` names. */
export const BOOST_CONFIG = Object.freeze({ urlHint: "the bot's base URL, https://<tenant>.boost.ai" });
/** Between two POLLs of a human chat: the SDKs' `pollInterval` (iOS 2.5 s, Android 2500 ms). */
export const BOOST_POLL_INTERVAL_MS = 2_500;
/** The longest wait between POLLs while they keep failing. */
const MAX_POLL_BACKOFF_MS = 30_000;
/** The chat status of a conversation with the bot, not with a human (SDK `ChatStatus.virtual_agent`). */
const VIRTUAL_AGENT = 'virtual_agent';
/** The chat status while a human agent has the chat (Boost's `state.chat_status`). */
const ASSIGNED_TO_HUMAN = 'assigned_to_human';
/** Response ids a chat remembers having shown beyond its POLL cursor (see {@link BoostConversation}). */
const MAX_SHOWN_AHEAD = 100;
const DECIMAL = /^\d+$/;
const ACCEPT_JSON = Object.freeze({ accept: 'application/json' });
const readAnswer = readJson(boostAnswerSchema);

/** Settings of {@link createBoostChatbot}; each has a default. */
export interface BoostOptions {
  /** BCP 47 language START asks for (`nb-NO`); absent, the bot answers in its own default language. */
  readonly language?: string;
  /** Between two POLLs of a human chat, in ms (default {@link BOOST_POLL_INTERVAL_MS}). */
  readonly pollIntervalMs?: number;
}

/** What a session token keeps of a Boost conversation; short keys, as every byte of a token counts. */
const savedStateSchema = z.object({
  /** Boost's conversation id. */
  c: z.string().min(1).max(1_024),
  /** The newest response id seen: where a POLL goes on from. */
  r: z.string().min(1).max(64).optional(),
  /** A human chat was on: a resumed chat polls again. */
  p: z.literal(true).optional(),
  /** `max_input_chars`. */
  m: z.int().positive().optional(),
});
type SavedState = z.infer<typeof savedStateSchema>;

/** Chat API v2's address under the bot's base URL; a base that already names it is taken as it is. */
export function boostChatUrl(baseUrl: string): string {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  return base.pathname.endsWith(`/${CHAT_PATH}/`) ? base.href.slice(0, -1) : new URL(CHAT_PATH, base).href;
}

/** The newer of two response ids: Boost's are whole numbers counting up; of others, the later one seen. */
function newerId(seen: string | undefined, next: string): string {
  if (seen === undefined || !DECIMAL.test(seen) || !DECIMAL.test(next)) return next;
  return BigInt(next) > BigInt(seen) ? next : seen;
}

/** Is `id` at or before the cursor `seen`, so that a POLL from the cursor no longer returns it? */
function isCovered(id: string, seen: string | undefined): boolean {
  return seen !== undefined && DECIMAL.test(id) && DECIMAL.test(seen) && BigInt(id) <= BigInt(seen);
}

/** A failure that another POLL would only repeat: Boost refused it (a 4xx other than 429), or the adapter closed. */
function endsPolling(error: unknown): boolean {
  if (!(error instanceof VendorFailure)) return false;
  return error.reason === 'closed' || (!error.retryable && isClientErrorStatus(error.vendorStatus ?? 0));
}

/**
 * One chat's conversation at Boost.
 *
 * The POLL cursor is the newest response id such that every response up to it has been seen.
 * A POLL answer holds every response after the id it was sent, so it moves the cursor; so does
 * an answer while the bot has the chat, as nothing else can come then. An answer to a message
 * during a human chat may come before agent messages that a POLL has still to bring, so it does
 * not move the cursor: its ids are remembered instead, and the POLL that brings them again
 * skips them.
 */
class BoostConversation implements ChatbotConversation {
  readonly #client: VendorClient;
  readonly #url: string;
  readonly #language: string | undefined;
  readonly #pollIntervalMs: number;
  readonly #onMessage: ConversationOptions['onMessage'];
  readonly #lifetime = new AbortController();
  readonly #shownAhead = new Set<string>();
  #conversationId: string | undefined;
  #cursor: string | undefined;
  #poll = false;
  #chatStatus: string | undefined;
  #maxInputChars: number | undefined;
  #pollLoop: Promise<void> | undefined;

  constructor(client: VendorClient, url: string, options: BoostOptions, conversation: ConversationOptions) {
    this.#client = client;
    this.#url = url;
    this.#language = options.language;
    this.#pollIntervalMs = options.pollIntervalMs ?? BOOST_POLL_INTERVAL_MS;
    this.#onMessage = conversation.onMessage;
    const saved = savedStateSchema.safeParse(conversation.state);
    if (saved.success) {
      this.#conversationId = saved.data.c;
      this.#cursor = saved.data.r;
      this.#poll = saved.data.p === true;
      this.#maxInputChars = saved.data.m;
    }
  }

  get maxInputLength(): number | undefined {
    return this.#maxInputChars;
  }

  async *start(signal: AbortSignal): AsyncGenerator<ReplyPart, void> {
    if (this.#conversationId === undefined) {
      yield* this.#client.turn(signal, (turn) => this.#startTurn(turn));
      this.#keepPolling(this.#pollIntervalMs);
      return;
    }
    // A resumed chat polls at once: the agent may have written while the widget was away.
    this.#keepPolling(0);
  }

  async *reply(input: ChatInput, signal: AbortSignal): AsyncGenerator<ReplyPart, void> {
    const command = this.#commandFor(input);
    yield* this.#client.turn(signal, (turn) => this.#replyTurn(turn, command));
    this.#keepPolling(this.#pollIntervalMs);
  }

  saveState(maxBytes: number): SavedState | undefined {
    if (this.#conversationId === undefined) return undefined;
    const state: SavedState = {
      c: this.#conversationId,
      ...(this.#cursor !== undefined && { r: this.#cursor }),
      ...(this.#isHumanChat() && { p: true as const }),
      ...(this.#maxInputChars !== undefined && { m: this.#maxInputChars }),
    };
    // Without its conversation id the state is worth nothing; a resumed chat then starts afresh.
    return Buffer.byteLength(JSON.stringify(state)) <= maxBytes ? state : undefined;
  }

  close(): void {
    this.#lifetime.abort();
  }

  /** The POST a message or click is: a text, or the clicked link's kind and id. */
  #commandFor(input: ChatInput): Record<string, unknown> {
    if (input.kind === 'text') return { command: 'POST', type: 'text', value: input.text };
    const link = boostLinkPayloadSchema.safeParse(input.payload);
    // Every payload this adapter hands out is a link's; anything else was never Boost's.
    if (!link.success) throw new VendorFailure('vendor_error', { reason: 'unexpected' });
    return { command: 'POST', type: link.data.type, id: link.data.id };
  }

  async *#startTurn(turn: Turn): AsyncGenerator<ReplyPart, void> {
    yield* partsOfResponses(await this.#begin(turn));
  }

  async *#replyTurn(turn: Turn, command: Readonly<Record<string, unknown>>): AsyncGenerator<ReplyPart, void> {
    // START comes first if it failed when the chat opened; its greeting is shown with the reply.
    const greeting = this.#conversationId === undefined ? await this.#begin(turn) : [];
    let answer: BoostAnswer;
    try {
      answer = await this.#ask(turn, { ...command, conversation_id: this.#conversationId, clean: true });
    } catch (error) {
      yield* partsOfResponses(greeting);
      throw error;
    }
    yield* partsOfResponses([...greeting, ...this.#take(answer, false)]);
  }

  /** START: the greeting's responses. */
  async #begin(turn: Turn): Promise<BoostResponse[]> {
    const answer = await this.#ask(turn, { command: 'START', ...(this.#language !== undefined && { language: this.#language }), clean: true });
    if (answer.conversation.id == null) throw new VendorFailure('vendor_error', { reason: 'malformed' });
    return this.#take(answer, false);
  }

  /** Send one command and read its answer. */
  async #ask(turn: Turn, command: Record<string, unknown>, idempotent = false): Promise<BoostAnswer> {
    const spec: RequestSpec = { url: this.#url, json: command, headers: ACCEPT_JSON, ...(idempotent ? { idempotent } : { unkeyed: true }) };
    return turn.exchangeOne(spec, readAnswer);
  }

  /** Take in an answer's conversation state, and return its responses that are to be shown. */
  #take(answer: BoostAnswer, polled: boolean): BoostResponse[] {
    const movesCursor = polled || !this.#isHumanChat();
    const { id, state } = answer.conversation;
    this.#conversationId = id ?? this.#conversationId;
    this.#poll = state?.poll ?? this.#poll;
    this.#chatStatus = state?.chat_status ?? this.#chatStatus;
    this.#maxInputChars = state?.max_input_chars ?? this.#maxInputChars;
    const shown = responsesOf(answer).filter((response) => {
      const responseId = response.id ?? undefined;
      if (responseId === undefined) return !isClientEcho(response);
      const fresh = !isCovered(responseId, this.#cursor) && !this.#shownAhead.has(responseId);
      if (!movesCursor && fresh) this.#shownAhead.add(responseId);
      return fresh && !isClientEcho(response);
    });
    if (movesCursor) for (const response of responsesOf(answer)) if (response.id != null) this.#cursor = newerId(this.#cursor, response.id);
    for (const seen of this.#shownAhead) if (isCovered(seen, this.#cursor) || this.#shownAhead.size > MAX_SHOWN_AHEAD) this.#shownAhead.delete(seen);
    return shown;
  }

  /** Does a human agent have the chat, so that what they write must be polled for? */
  #isHumanChat(): boolean {
    return this.#poll && this.#chatStatus !== VIRTUAL_AGENT;
  }

  /** Start polling, after `firstDelayMs`, if a human chat is on and no poll loop runs yet. */
  #keepPolling(firstDelayMs: number): void {
    if (this.#pollLoop !== undefined || this.#lifetime.signal.aborted || !this.#isHumanChat()) return;
    this.#pollLoop = this.#pollWhileHumanChat(firstDelayMs).finally(() => {
      this.#pollLoop = undefined;
    });
  }

  /** POLL until the human chat ends or the chat goes away; a failed POLL is tried again later and later. */
  async #pollWhileHumanChat(firstDelayMs: number): Promise<void> {
    const { signal } = this.#lifetime;
    const backoff = resolveRetryOptions({ baseDelayMs: this.#pollIntervalMs, maxDelayMs: MAX_POLL_BACKOFF_MS });
    let delayMs = firstDelayMs;
    let failures = 0;
    while (this.#isHumanChat()) {
      try {
        await sleep(delayMs, undefined, { signal, ref: false });
        if (!this.#isHumanChat()) return;
        for await (const parts of this.#client.turn(signal, (turn) => this.#pollTurn(turn))) if (!signal.aborted) this.#onMessage(parts);
        failures = 0;
        delayMs = this.#pollIntervalMs;
      } catch (error) {
        if (signal.aborted) return;
        if (endsPolling(error)) {
          this.#poll = false;
          return;
        }
        failures += 1;
        delayMs = Math.max(computeBackoffDelay(failures, backoff), error instanceof VendorFailure ? (error.retryAfterMs ?? 0) : 0);
      }
    }
  }

  /** One POLL: each new message of the agent (or the bot) as the parts of one message. */
  async *#pollTurn(turn: Turn): AsyncGenerator<ReplyPart[], void> {
    const command = { command: 'POLL', conversation_id: this.#conversationId, value: this.#cursor ?? '', clean: true };
    for (const response of this.#take(await this.#ask(turn, command, true), true)) {
      // While a human agent has the chat, what a POLL brings is the agent's.
      const parts = partsOfResponses([response], this.#chatStatus === ASSIGNED_TO_HUMAN ? 'agent' : 'bot');
      if (parts.length > 0) yield parts;
    }
  }
}

/**
 * The Boost.ai adapter over `client`, for the bot at `baseUrl` (`https://<tenant>.boost.ai`).
 *
 * @example
 * ```ts
 * const chatbot = createBoostChatbot(createVendorClient({ kind: 'boost', timeoutMs, metrics, logger }), 'https://acme.boost.ai');
 * ```
 */
export function createBoostChatbot(client: VendorClient, baseUrl: string, options: BoostOptions = {}): Chatbot {
  const url = boostChatUrl(baseUrl);
  return {
    kind: 'boost',
    open: (conversation) => new BoostConversation(client, url, options, conversation),
    close: () => client.close(),
  };
}
