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
import { SSE_DONE, readChunks, readMediaType } from '../chatbot/response-body.js';
import { SseLimitError, SseParser, type SseEvent } from '../chatbot/sse-parser.js';
import type { VendorResponse } from '../chatbot/vendor-exchange.js';
import { VendorFailure } from '../chatbot/vendor-failure.js';
import type { NativeText } from './native-text.js';
import { ChoiceStream, isObject, redactAnswerMessage, type Json } from './openai-message.js';

/** Choices one answer may have (`n`): their indexes are the vendor's, and each keeps redactors. */
const MAX_CHOICES = 128;
const DEFAULT_EVENT_TYPE = 'message';
const ERROR_EVENT_TYPE = 'error';
const EVENT_STREAM = 'text/event-stream';
/** The fields of a chunk that say which answer it belongs to, copied into a chunk of our own. */
const CHUNK_IDENTITY = ['id', 'object', 'created', 'model', 'system_fingerprint'] as const;

/** One event as SSE text; data that spans lines is written as one `data:` line each. */
export function sseEvent(data: string, type: string = DEFAULT_EVENT_TYPE): string {
  // JSON text, which is all a stream carries but for errors, has no line breaks (JSON.stringify escapes them).
  if (type === DEFAULT_EVENT_TYPE && !data.includes('\n')) return `data: ${data}\n\n`;
  const lines = data.split('\n').map((line) => `data: ${line}\n`);
  return `${type === DEFAULT_EVENT_TYPE ? '' : `event: ${type}\n`}${lines.join('')}\n`;
}

const malformed = (cause?: unknown): VendorFailure => new VendorFailure('vendor_error', { reason: 'malformed', cause });

/** The redaction state of one streamed answer: a {@link ChoiceStream} per choice index. */
class CompletionStream {
  readonly #text: NativeText;
  readonly #maxArgumentChars: number;
  readonly #choices = new Map<number, ChoiceStream>();
  /** The last chunk, whose identity a chunk of our own takes. */
  #last: Json = {};

  constructor(text: NativeText, maxArgumentChars: number) {
    this.#text = text;
    this.#maxArgumentChars = maxArgumentChars;
  }

  /** A chunk with every choice's text redacted so far as is safe. */
  redactChunk(chunk: Json): Json {
    this.#last = chunk;
    if (!Array.isArray(chunk.choices)) return chunk;
    return { ...chunk, choices: chunk.choices.map((choice: unknown) => this.#redactChoice(choice)) };
  }

  /** One chunk of our own with what every choice still holds, or `undefined` when none holds anything. */
  flush(): Json | undefined {
    const choices: Json[] = [];
    for (const [index, choice] of this.#choices) {
      if (choice.isHolding) choices.push({ index, delta: choice.flushInto({}), finish_reason: null });
    }
    if (choices.length === 0) return undefined;
    const last = this.#last;
    return { ...Object.fromEntries(CHUNK_IDENTITY.filter((key) => key in last).map((key) => [key, last[key]])), choices };
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
 * The events of a streamed answer as the client gets them, each redacted, those of one read of
 * the vendor's body in one piece (one write to the client, not one per event). A stream the
 * vendor ends without `[DONE]` ends the same way, after what was held is released. Past
 * `limitBytes` of text (`MAX_REPLY_BYTES`, as on the chat path) or `maxArgumentChars` of one
 * choice's tool calls, the answer fails where it stands: the events before it are passed on first.
 *
 * One piece per read, not per event: each piece climbs the readers' generators and is one
 * `res.write`; a gateway that falls behind its vendor reads several events at once. With the
 * body read of `native-request.ts`, a native turn's CPU went from 3890 to 2544 and 5583 to 4601 µs
 * in two runs on Node 20, a tie on Node 26 (1528 to 1503, 2061 to 2118 µs),
 * `bench/micro/native-turn.js`, 6 fresh processes each, a machine at load 10–20.
 */
export async function* redactCompletionStream(
  response: VendorResponse,
  text: NativeText,
  limits: { readonly limitBytes: number; readonly maxArgumentChars: number },
): AsyncGenerator<string, void> {
  if (readMediaType(response) !== EVENT_STREAM) throw new VendorFailure('vendor_error', { reason: 'content_type' });
  const events = new CompletionEvents(text, limits);
  const parser = new SseParser();
  for await (const chunk of readChunks(response)) {
    const piece = events.passOn(() => parser.push(chunk));
    if (piece !== '') yield piece;
    if (events.failure !== undefined) throw events.failure;
    if (events.isDone) return;
  }
  const last = events.passOn(() => parser.end());
  if (events.failure !== undefined) {
    if (last !== '') yield last;
    throw events.failure;
  }
  const piece = events.isDone ? last : last + events.flush();
  if (piece !== '') yield piece;
}

/** The redaction of one streamed answer's events, read by read. */
class CompletionEvents {
  readonly #text: NativeText;
  readonly #limitBytes: number;
  readonly #stream: CompletionStream;
  /** `data: [DONE]` has been passed on: nothing after it is. */
  isDone = false;
  /** What ended the answer where it stands, once the events before it are passed on. */
  failure: unknown;

  constructor(text: NativeText, limits: { readonly limitBytes: number; readonly maxArgumentChars: number }) {
    this.#text = text;
    this.#limitBytes = limits.limitBytes;
    this.#stream = new CompletionStream(text, limits.maxArgumentChars);
  }

  /** The events `parse` completes, redacted and joined, up to `[DONE]` or a failure. */
  passOn(parse: () => SseEvent[]): string {
    let out = '';
    try {
      for (const event of parse()) {
        out += this.#passOnEvent(event);
        if (this.isDone) break;
      }
    } catch (error) {
      this.failure = error instanceof SseLimitError ? new VendorFailure('vendor_error', { reason: 'too_large' }) : error;
    }
    return out;
  }

  /** What each choice still holds, in one chunk of our own; `''` when nothing is held. */
  flush(): string {
    const chunk = this.#stream.flush();
    return chunk === undefined ? '' : sseEvent(JSON.stringify(chunk));
  }

  #passOnEvent(event: SseEvent): string {
    const data = event.data.trim();
    // An empty event is a keep-alive: nothing to pass on.
    if (data === '') return '';
    if (data === SSE_DONE) {
      this.isDone = true;
      return this.flush() + sseEvent(SSE_DONE);
    }
    if (event.type === ERROR_EVENT_TYPE) return sseEvent(this.#text.redactJson(data), event.type);
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (error) {
      throw malformed(error);
    }
    if (!isObject(chunk)) throw malformed();
    // An error inside a 200 stream: OpenAI's clients raise it; its message may quote input.
    const redacted = 'error' in chunk ? this.#text.redactJson(data) : JSON.stringify(this.#stream.redactChunk(chunk));
    if (this.#text.tally.bytes > this.#limitBytes) throw new VendorFailure('vendor_error', { reason: 'too_large' });
    return sseEvent(redacted, event.type);
  }
}
