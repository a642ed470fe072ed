/**
 * A streamed Chat Completions answer, redacted as it streams (SSE `chat.completion.chunk`s until
 * `data: [DONE]`): every event is passed on at once, rewritten — each choice's text released as
 * far as the engine's stream redactor allows (the same prompt emission as the chat path: only
 * the digits of a combination still open are held), so a number split across chunks is deleted
 * whole, per choice. What a choice holds back comes out in the chunk that carries its
 * `finish_reason`, or in one chunk of its own before the stream ends. Usage chunks (no
 * choices) and ids pass as they came; an `error` inside the stream is passed on redacted, so
 * the client raises it as it would have.
 *
 * @module
 */
import { SSE_DONE, readSseEvents } from '../chatbot/response-body.js';
import type { VendorResponse } from '../chatbot/vendor-exchange.js';
import { VendorFailure } from '../chatbot/vendor-failure.js';
import type { NativeText } from './native-text.js';
import { ChoiceStream, isObject, redactAnswerMessage, type Json } from './openai-message.js';

/** Choices one answer may have (`n`): their indexes are the vendor's, and each keeps redactors. */
const MAX_CHOICES = 128;
const DEFAULT_EVENT_TYPE = 'message';
const ERROR_EVENT_TYPE = 'error';
/** The fields of a chunk that say which answer it belongs to, copied into a chunk of our own. */
const CHUNK_IDENTITY = ['id', 'object', 'created', 'model', 'system_fingerprint'] as const;

/** One event as SSE text; data that spans lines is written as one `data:` line each. */
export function sseEvent(data: string, type: string = DEFAULT_EVENT_TYPE): string {
  const lines = data.split('\n').map((line) => `data: ${line}\n`);
  return `${type === DEFAULT_EVENT_TYPE ? '' : `event: ${type}\n`}${lines.join('')}\n`;
}

const malformed = (cause?: unknown): VendorFailure => new VendorFailure('vendor_error', { reason: 'malformed', cause });

/** The redaction state of one streamed answer: a {@link ChoiceStream} per choice index. */
class CompletionStream {
  readonly #text: NativeText;
  readonly #maxArgumentChars: number;
  readonly #choices = new Map<number, ChoiceStream>();
  /** The last chunk's identity, for a chunk of our own. */
  #identity: Json = {};

  constructor(text: NativeText, maxArgumentChars: number) {
    this.#text = text;
    this.#maxArgumentChars = maxArgumentChars;
  }

  /** A chunk with every choice's text redacted so far as is safe. */
  redactChunk(chunk: Json): Json {
    this.#identity = Object.fromEntries(CHUNK_IDENTITY.filter((key) => key in chunk).map((key) => [key, chunk[key]]));
    if (!Array.isArray(chunk.choices)) return chunk;
    return { ...chunk, choices: chunk.choices.map((choice: unknown) => this.#redactChoice(choice)) };
  }

  /** One chunk of our own with what every choice still holds, or `undefined` when none holds anything. */
  flush(): Json | undefined {
    const choices: Json[] = [];
    for (const [index, choice] of this.#choices) {
      if (choice.isHolding) choices.push({ index, delta: choice.flushInto({}), finish_reason: null });
    }
    return choices.length === 0 ? undefined : { ...this.#identity, choices };
  }

  #redactChoice(choice: unknown): Json {
    if (!isObject(choice)) throw malformed();
    const index = typeof choice.index === 'number' ? choice.index : 0;
    const stream = this.#streamOf(index);
    const out: Json = { ...choice };
    if (isObject(choice.delta)) out.delta = stream.redactDelta(choice.delta);
    if (isObject(choice.message)) out.message = redactAnswerMessage(choice.message, this.#text);
    // Token by token text, with alternatives: it would need redaction of its own; it is not asked for.
    if ('logprobs' in choice) out.logprobs = null;
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
      out.delta = stream.flushInto(isObject(out.delta) ? out.delta : {});
    }
    return out;
  }

  #streamOf(index: number): ChoiceStream {
    let stream = this.#choices.get(index);
    if (stream === undefined) {
      if (this.#choices.size >= MAX_CHOICES) throw new VendorFailure('vendor_error', { reason: 'too_large' });
      stream = new ChoiceStream(this.#text, this.#maxArgumentChars);
      this.#choices.set(index, stream);
    }
    return stream;
  }
}

/**
 * The events of a streamed answer as the client gets them, each redacted. A stream the vendor
 * ends without `[DONE]` ends the same way, after what was held is released. Past `limitBytes`
 * of text (`MAX_REPLY_BYTES`, as on the chat path) or `maxArgumentChars` of one choice's tool
 * calls, the answer fails where it stands.
 */
export async function* redactCompletionStream(
  response: VendorResponse,
  text: NativeText,
  limits: { readonly limitBytes: number; readonly maxArgumentChars: number },
): AsyncGenerator<string, void> {
  const { limitBytes, maxArgumentChars } = limits;
  const stream = new CompletionStream(text, maxArgumentChars);
  const flush = (): string => {
    const chunk = stream.flush();
    return chunk === undefined ? '' : sseEvent(JSON.stringify(chunk));
  };
  for await (const event of readSseEvents(response)) {
    const data = event.data.trim();
    // An empty event is a keep-alive: nothing to pass on.
    if (data === '') continue;
    if (data === SSE_DONE) {
      yield flush() + sseEvent(SSE_DONE);
      return;
    }
    if (event.type === ERROR_EVENT_TYPE) {
      yield sseEvent(text.redactJson(data), event.type);
      continue;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (error) {
      throw malformed(error);
    }
    if (!isObject(chunk)) throw malformed();
    // An error inside a 200 stream: OpenAI's clients raise it; its message may quote input.
    const redacted = 'error' in chunk ? text.redactJson(data) : JSON.stringify(stream.redactChunk(chunk));
    if (text.tally.bytes > limitBytes) throw new VendorFailure('vendor_error', { reason: 'too_large' });
    yield sseEvent(redacted, event.type);
  }
  const rest = flush();
  if (rest !== '') yield rest;
}
