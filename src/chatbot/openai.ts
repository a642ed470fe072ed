/**
 * The OpenAI-compatible adapter (`VENDOR_KIND=openai`): Chat Completions, streamed, as OpenAI,
 * Azure OpenAI's v1 API, Ollama, vLLM and LiteLLM serve it. One `POST {base}/chat/completions`
 * per message with `model`, `messages` — the system prompt, the conversation's history as the
 * widget showed it (redacted, both sides), the new message — and `stream: true`; the answer is
 * read by `openai-stream.ts`.
 *
 * A model keeps no conversation of its own, so the adapter keeps it: the turns the gateway
 * records, bounded by `VENDOR_HISTORY_MESSAGES`, carried in the session token (newest first to
 * fit) so that a chat resumed on another replica goes on with the same history. An LLM speaks
 * only when spoken to (no greeting) and has no buttons (no actions).
 *
 * @module
 */
import { z } from 'zod';
import type { AnsweredTurn, Chatbot, ChatbotConversation, ChatInput, ConversationOptions, ReplyPart } from './chatbot.js';
import { ContextLengthExceeded, readCompletion } from './openai-stream.js';
import type { Turn, VendorClient } from './vendor-client.js';
import { idempotencyKeyOf } from './vendor-exchange.js';
import { VendorFailure } from './vendor-failure.js';

const COMPLETIONS_PATH = '/chat/completions';
/** What the configuration needs to know of this kind: the public service, and what `VENDOR_MODEL` is. */
export const OPENAI_CONFIG = Object.freeze({
  defaultUrl: 'https://api.openai.com/v1',
  modelHint: 'the model name, e.g. gpt-4o-mini or llama3.2',
});
/** Longest text of one side of a turn a session token may bring back. */
const MAX_SAVED_TEXT_LENGTH = 1_048_576;
/** Turns a session token may bring back, whatever `VENDOR_HISTORY_MESSAGES` says now. */
const MAX_SAVED_TURNS = 500;
const MESSAGES_PER_TURN = 2;

/** What {@link createOpenAiChatbot} needs of the configuration. */
export interface OpenAiSettings {
  /** The API base (`VENDOR_URL`): `https://api.openai.com/v1`, `http://localhost:11434/v1`, … */
  readonly baseUrl: string;
  /** `VENDOR_MODEL`: the model, or Azure's deployment name. */
  readonly model: string;
  /** `VENDOR_SYSTEM_PROMPT`, sent first as the `system` message, as written. */
  readonly systemPrompt?: string | undefined;
  /** `VENDOR_HISTORY_MESSAGES`: messages of earlier turns (both sides) sent with each new one. */
  readonly historyMessages: number;
}

/** One Chat Completions message. */
interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** One turn as the session token keeps it: `[user, assistant]`, short, because every byte counts. */
type SavedTurn = readonly [input: string, reply: string];
const savedStateSchema = z.object({
  h: z.array(z.tuple([z.string().max(MAX_SAVED_TEXT_LENGTH), z.string().max(MAX_SAVED_TEXT_LENGTH)])).max(MAX_SAVED_TURNS),
});

/**
 * `POST` address of the completions under `baseUrl`, whether or not it ends in `/`, keeping a
 * query (`?api-version=preview`); a URL that already names the endpoint is taken as it is.
 */
export function completionsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith(COMPLETIONS_PATH)) url.pathname = path + COMPLETIONS_PATH;
  return url.href;
}

/** The newest turns whose saved form fits in `maxBytes` of JSON, oldest dropped first. */
export function fitTurns(turns: readonly SavedTurn[], maxBytes: number): SavedTurn[] {
  // `{"h":[` … `]}` around the turns, and a comma between two.
  let room = maxBytes - '{"h":[]}'.length;
  let first = turns.length;
  while (first > 0) {
    const size = Buffer.byteLength(JSON.stringify(turns[first - 1])) + (first === turns.length ? 0 : 1);
    if (size > room) break;
    room -= size;
    first -= 1;
  }
  return turns.slice(first);
}

/** The turns a resumed chat's state carried, or none when it has not this adapter's shape. */
function restoreTurns(state: unknown, maxTurns: number): SavedTurn[] {
  const parsed = savedStateSchema.safeParse(state);
  if (!parsed.success || maxTurns === 0) return [];
  return parsed.data.h.slice(-maxTurns);
}

/** One chat's conversation with the model. */
class OpenAiConversation implements ChatbotConversation {
  readonly #client: VendorClient;
  readonly #settings: OpenAiSettings;
  readonly #url: string;
  readonly #conversationId: string;
  /** Whole turns only, so the history always opens with the user, as strict chat templates demand. */
  readonly #maxTurns: number;
  #turns: SavedTurn[];

  constructor(client: VendorClient, settings: OpenAiSettings, url: string, options: ConversationOptions) {
    this.#client = client;
    this.#settings = settings;
    this.#url = url;
    this.#conversationId = options.conversationId;
    this.#maxTurns = Math.floor(settings.historyMessages / MESSAGES_PER_TURN);
    this.#turns = restoreTurns(options.state, this.#maxTurns);
  }

  // An LLM speaks when spoken to: there is no greeting, and so nothing a resume could repeat.
  async *start(): AsyncGenerator<ReplyPart, void> {}

  async *reply(input: ChatInput, signal: AbortSignal): AsyncGenerator<ReplyPart, void> {
    // A model offers no buttons, so no click can name one of its actions.
    if (input.kind !== 'text') throw new VendorFailure('vendor_error', { reason: 'unexpected' });
    const idempotencyKey = idempotencyKeyOf(this.#conversationId, input.messageId);
    const question: ChatMessage = { role: 'user', content: input.text };
    yield* this.#client.turn(signal, (turn) => this.#ask(turn, question, idempotencyKey));
  }

  /**
   * Ask with as much history as the model's context window takes: a conversation that outgrew
   * it is asked again, within the same budget and with the same idempotency key (it is the same
   * question), with the older half of its turns dropped for good, down to none; a message too
   * long on its own is `message_too_large`.
   */
  async *#ask(turn: Turn, question: ChatMessage, idempotencyKey: string): AsyncGenerator<ReplyPart, void> {
    for (;;) {
      const body = { model: this.#settings.model, messages: [...this.#history(), question], stream: true };
      try {
        for await (const text of turn.exchange({ url: this.#url, json: body, idempotencyKey }, readCompletion)) {
          yield { type: 'text', text };
        }
        return;
      } catch (error) {
        if (!(error instanceof ContextLengthExceeded)) throw error;
        if (this.#turns.length === 0) throw new VendorFailure('message_too_large', { reason: 'status', vendorStatus: error.vendorStatus!, cause: error });
        this.#turns = this.#turns.slice(Math.ceil(this.#turns.length / 2));
      }
    }
  }

  #history(): ChatMessage[] {
    const { systemPrompt } = this.#settings;
    const messages: ChatMessage[] = systemPrompt === undefined ? [] : [{ role: 'system', content: systemPrompt }];
    for (const [input, reply] of this.#turns) messages.push({ role: 'user', content: input }, { role: 'assistant', content: reply });
    return messages;
  }

  recordTurn({ input, reply }: AnsweredTurn): void {
    // A reply the widget showed nothing of was no answer; an empty assistant message trips some servers.
    if (reply === '' || this.#maxTurns === 0) return;
    this.#turns.push([input, reply]);
    if (this.#turns.length > this.#maxTurns) this.#turns = this.#turns.slice(-this.#maxTurns);
  }

  saveState(maxBytes: number): unknown {
    const turns = fitTurns(this.#turns, maxBytes);
    return turns.length === 0 ? undefined : { h: turns };
  }

  close(): void {}
}

/**
 * The OpenAI-compatible adapter over `client`.
 *
 * @example
 * ```ts
 * const client = createVendorClient({ kind: 'openai', token: process.env.VENDOR_TOKEN, timeoutMs, metrics, logger });
 * const chatbot = createOpenAiChatbot(client, { baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', historyMessages: 20 });
 * ```
 */
export function createOpenAiChatbot(client: VendorClient, settings: OpenAiSettings): Chatbot {
  const url = completionsUrl(settings.baseUrl);
  return {
    kind: 'openai',
    open: (options) => new OpenAiConversation(client, settings, url, options),
    close: () => client.close(),
  };
}
