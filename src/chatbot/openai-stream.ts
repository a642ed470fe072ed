/**
 * Reading one answer of an OpenAI-compatible `POST /chat/completions`, as OpenAI, Azure OpenAI,
 * Ollama, vLLM and LiteLLM send it: a `text/event-stream` of `chat.completion.chunk` objects
 * until `data: [DONE]` (or, from a server that ignores `stream: true`, one JSON
 * `chat.completion`), or an error status whose body says what went wrong
 * (`{"error":{"message","type","param","code"}}`).
 *
 * Only `choices[0].delta.content` (and a `refusal`, which is the model's answer too) is passed
 * on; ids, fingerprints, usage and a reasoning model's `reasoning_content` never are.
 *
 * @module
 */
import { z } from 'zod';
import { HTTP_STATUS, isHttpStatus } from '../http-status.js';
import { HtmlTextStream } from './html-text-stream.js';
import { MarkdownMarks } from './markdown-marks.js';
import { SSE_DONE, isJsonMediaType, onSuccess, parseJsonAs, readBodyText, readMediaType, readSseEvents, type FailureReader } from './response-body.js';
import type { ResponseReader, VendorResponse } from './vendor-exchange.js';
import { VendorFailure, failureFromStatus } from './vendor-failure.js';

/** Content of one reply past this many characters is refused: far beyond any model's output. */
export const MAX_CONTENT_CHARS = 4_194_304;
/** Read of an error answer's body; an OpenAI error body is a few hundred bytes. */
const ERROR_BODY_LIMIT_BYTES = 65_536;
/** What an error without a status of its own (OpenAI's in-stream `server_error`) stands for. */
const IN_STREAM_ERROR_STATUS = HTTP_STATUS.internalServerError;
const CONTENT_FILTER = 'content_filter';
const RATE_LIMITS = ['requests', 'tokens'] as const;
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const MS_PER_UNIT = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const ERROR_EVENT = 'error';
/** OpenAI's and Azure's code, vLLM's and LiteLLM's messages, for a prompt the model cannot take. */
const CONTEXT_LENGTH_MESSAGE = /context[ _-]?(?:length|window)|maximum context|prompt is too long/i;

/**
 * The conversation was longer than the model's context window (a 400 that says so): the
 * adapter may ask again with less history. Shown to the widget as `vendor_error` if it escapes.
 */
export class ContextLengthExceeded extends VendorFailure {
  constructor() {
    super('vendor_error', { reason: 'status', vendorStatus: HTTP_STATUS.badRequest });
  }
}

/** An error object as the servers send it: OpenAI's shape; vLLM's numeric and LiteLLM's string codes. */
const errorDetailSchema = z.looseObject({
  message: z.string().nullish(),
  type: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
});
type ErrorDetail = z.infer<typeof errorDetailSchema>;
const deltaSchema = z.looseObject({ content: z.string().nullish(), refusal: z.string().nullish() });
const choiceSchema = z.looseObject({
  index: z.number().optional(),
  delta: deltaSchema.nullish(),
  message: deltaSchema.nullish(),
  finish_reason: z.string().nullish(),
});
/** A `chat.completion.chunk` or a `chat.completion`; every field this adapter does not read may be anything. */
const completionSchema = z.looseObject({ error: z.unknown().optional(), choices: z.array(choiceSchema).nullish() });
type Choice = z.infer<typeof choiceSchema>;

/** The error object of a body or event: `{"error":{…}}`, `{"error":"…"}` (Ollama's own API) or vLLM's bare `{"object":"error",…}`. */
function errorDetailOf(value: unknown): ErrorDetail | undefined {
  const inner = typeof value === 'object' && value !== null && 'error' in value ? (value as { error: unknown }).error : value;
  if (typeof inner === 'string') return { message: inner };
  const parsed = errorDetailSchema.safeParse(inner);
  return parsed.success ? parsed.data : undefined;
}

function statusOfCode(code: ErrorDetail['code']): number | undefined {
  const status = typeof code === 'number' ? code : /^\d{3}$/.test(code ?? '') ? Number(code) : Number.NaN;
  return isHttpStatus(status) ? status : undefined;
}

function isContextLengthError(detail: ErrorDetail | undefined): boolean {
  return detail?.code === 'context_length_exceeded' || CONTEXT_LENGTH_MESSAGE.test(detail?.message ?? '');
}

/** A 429 for an account out of credit: no wait within one message's budget will help. */
function isQuotaError(detail: ErrorDetail | undefined): boolean {
  return detail?.code === 'insufficient_quota' || detail?.type === 'insufficient_quota';
}

/** The failure a status and its error object stand for; `headers` say how long to wait before another attempt. */
function failureOf(status: number, detail: ErrorDetail | undefined, headers: VendorResponse['headers']): VendorFailure {
  if (status === HTTP_STATUS.badRequest && isContextLengthError(detail)) return new ContextLengthExceeded();
  if (status === HTTP_STATUS.tooManyRequests && isQuotaError(detail)) {
    return new VendorFailure('vendor_unavailable', { reason: 'status', tripsBreaker: true, vendorStatus: status });
  }
  const base = failureFromStatus(status, headers['retry-after']);
  if (!base.retryable) return base;
  // OpenAI's own header, which its client obeys too.
  if (headerOf(headers, 'x-should-retry') === 'false') return base.with({ retryable: false, retryAfterMs: undefined });
  const retryAfterMs = readRetryAfterMs(headers) ?? base.retryAfterMs ?? (status === HTTP_STATUS.tooManyRequests ? readRateLimitReset(headers) : undefined);
  return base.with({ retryAfterMs });
}

function headerOf(headers: VendorResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Azure's and OpenAI's `retry-after-ms`: the wait in (possibly fractional) milliseconds. */
function readRetryAfterMs(headers: VendorResponse['headers']): number | undefined {
  const value = Number.parseFloat(headerOf(headers, 'retry-after-ms') ?? '');
  return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
}

/**
 * When the exhausted one of OpenAI's rate limits (requests, tokens) resets, in ms: its
 * `x-ratelimit-reset-*` header is a Go duration (`1s`, `6m0s`, `20ms`). `undefined` when no
 * limit says it is spent.
 */
function readRateLimitReset(headers: VendorResponse['headers']): number | undefined {
  const waits = RATE_LIMITS.filter((limit) => headerOf(headers, `x-ratelimit-remaining-${limit}`)?.trim() === '0').map((limit) =>
    parseDuration(headerOf(headers, `x-ratelimit-reset-${limit}`) ?? ''),
  );
  const known = waits.filter((wait): wait is number => wait !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (!DURATION.test(value)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(DURATION_PART)) ms += Number(amount) * MS_PER_UNIT[unit as keyof typeof MS_PER_UNIT];
  return Math.ceil(ms);
}

/** The failure an error inside a 200 answer stands for; once text is out it can only be `vendor_error`. */
function streamFailureOf(value: unknown, released: boolean): VendorFailure {
  const detail = errorDetailOf(value);
  const failure = failureOf(statusOfCode(detail?.code) ?? IN_STREAM_ERROR_STATUS, detail, {});
  if (!released) return failure;
  return failure.with({ code: 'vendor_error', retryable: false, retryAfterMs: undefined });
}

/** The failure of a non-2xx answer: its status, and what its error body (bounded) says. */
const readOpenAiFailure: FailureReader = async (response) => {
  let detail: ErrorDetail | undefined;
  try {
    detail = errorDetailOf(JSON.parse(await readBodyText(response, ERROR_BODY_LIMIT_BYTES)));
  } catch {
    // An error body that is no JSON, or too long, says nothing more than its status.
  }
  return failureOf(response.statusCode, detail, response.headers);
};

/** The answer's first choice (this adapter never asks for more than one). */
function firstChoice(choices: readonly Choice[] | null | undefined): Choice | undefined {
  return choices?.find((choice) => (choice.index ?? 0) === 0);
}

/** Content pieces to text: markup reduced as it streams (HTML, and Markdown's marks around digits), the whole bounded. */
class ReplyText {
  readonly #markup = new HtmlTextStream();
  readonly #marks = new MarkdownMarks();
  #length = 0;
  /** Some text has been passed on. */
  released = false;

  push(piece: string): string {
    this.#length += piece.length;
    if (this.#length > MAX_CONTENT_CHARS) throw new VendorFailure('vendor_error', { reason: 'too_large' });
    return this.#release(this.#marks.write(this.#markup.write(piece)));
  }

  end(): string {
    return this.#release(this.#marks.write(this.#markup.end()) + this.#marks.end());
  }

  #release(text: string): string {
    if (text !== '') this.released = true;
    return text;
  }
}

/** The text of one choice, or a failure when the vendor filtered it. */
function* textOfChoice(choice: Choice, reply: ReplyText): Generator<string, boolean> {
  const part = choice.delta ?? choice.message;
  const text = reply.push((part?.content ?? '') + (part?.refusal ?? ''));
  if (text !== '') yield text;
  if (choice.finish_reason === CONTENT_FILTER) throw new VendorFailure('vendor_error', { reason: 'status' });
  return choice.finish_reason !== null && choice.finish_reason !== undefined;
}

async function* readEventStream(response: VendorResponse): AsyncGenerator<string, void> {
  const reply = new ReplyText();
  let complete = false;
  for await (const event of readSseEvents(response)) {
    const data = event.data.trim();
    // An empty event is a keep-alive; `[DONE]` ends the answer, whatever may follow it.
    if (data === '') continue;
    if (data === SSE_DONE) {
      complete = true;
      break;
    }
    const chunk = event.type === ERROR_EVENT ? { error: parseErrorEvent(data) } : parseJsonAs(data, completionSchema);
    if (chunk.error !== undefined && chunk.error !== null) throw streamFailureOf(chunk.error, reply.released);
    // A usage chunk has no choices; Azure's first chunk carries only prompt filter results.
    const choice = firstChoice(chunk.choices);
    if (choice !== undefined && (yield* textOfChoice(choice, reply))) complete = true;
  }
  // A stream that stopped without `[DONE]` or a finish reason was cut off on the way.
  if (!complete) throw new VendorFailure('vendor_error', { reason: 'malformed' });
  const rest = reply.end();
  if (rest !== '') yield rest;
}

function parseErrorEvent(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return {};
  }
}

async function* readJsonCompletion(response: VendorResponse): AsyncGenerator<string, void> {
  const completion = parseJsonAs(await readBodyText(response), completionSchema);
  if (completion.error !== undefined && completion.error !== null) throw streamFailureOf(completion.error, false);
  const reply = new ReplyText();
  const choice = firstChoice(completion.choices);
  if (choice === undefined) throw new VendorFailure('vendor_error', { reason: 'malformed' });
  yield* textOfChoice(choice, reply);
  const rest = reply.end();
  if (rest !== '') yield rest;
}

/**
 * The reader of one Chat Completions answer: the reply's text in pieces, as it streams. A
 * status failure carries the wait the vendor asked for (`retry-after-ms`, `Retry-After`, or
 * the `x-ratelimit-reset-*` of an exhausted limit); an out-of-quota 429 is not retried, and a
 * context-window 400 is a {@link ContextLengthExceeded}.
 */
export const readCompletion: ResponseReader<string> = onSuccess(async function* readAnswer(response) {
  yield* isJsonMediaType(readMediaType(response)) ? readJsonCompletion(response) : readEventStream(response);
}, readOpenAiFailure);
