/**
 * Reading one vendor response: the status decides success, the content type decides how the
 * body becomes reply deltas (a JSON list of replies, or server-sent events), and zod checks the
 * shape. Vendor text is never put into an error or a log line.
 *
 * @module
 */
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { SseLimitError, SseParser, type SseEvent } from './sse-parser.js';
import { VendorFailure, failureFromStatus } from './vendor-failure.js';

const HTTP_OK = 200;
/** A JSON answer larger than this is refused rather than buffered. */
export const MAX_JSON_BYTES = 1_048_576;
/** Read of an error answer's body, so its connection can be reused; more is not worth waiting for. */
const DISCARD_LIMIT_BYTES = 65_536;
/** What stands between two replies of one JSON answer (the adapter contract's blank line). */
export const REPLY_SEPARATOR = '\n\n';
const DONE_MARKER = '[DONE]';

const jsonAnswerSchema = z.object({ replies: z.array(z.object({ text: z.string() })) });
const sseDeltaSchema = z.object({ text: z.string() });

type ResponseBody = Dispatcher.ResponseData['body'];

/**
 * The reply deltas of one response, in order. Fails with a {@link VendorFailure} for a status
 * other than 200, an unknown content type or a malformed body; transport errors pass through
 * untouched for the caller to classify. The body is released however iteration ends.
 */
export async function* readReplyBody(response: Dispatcher.ResponseData, signal: AbortSignal): AsyncGenerator<string, void> {
  const { body } = response;
  try {
    if (response.statusCode !== HTTP_OK) {
      await body.dump({ limit: DISCARD_LIMIT_BYTES, signal }).catch(() => undefined);
      throw failureFromStatus(response.statusCode, response.headers['retry-after']);
    }
    const mediaType = readMediaType(response.headers['content-type']);
    if (mediaType === 'application/json') yield* readJsonReplies(body);
    else if (mediaType === 'text/event-stream') yield* readSseDeltas(body);
    else throw new VendorFailure('vendor_error', { reason: 'content_type' });
  } finally {
    // Destroying an unread body makes it emit an abort error; nobody is listening any more.
    if (!body.destroyed) body.on('error', ignoreError).destroy();
  }
}

function ignoreError(): void {}

function readMediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

async function* readJsonReplies(body: ResponseBody): AsyncGenerator<string, void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new VendorFailure('vendor_error', { reason: 'too_large' });
    chunks.push(chunk);
  }
  let answer: z.infer<typeof jsonAnswerSchema>;
  try {
    answer = jsonAnswerSchema.parse(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
  } catch (error) {
    throw new VendorFailure('vendor_error', { reason: 'malformed', cause: error });
  }
  let first = true;
  for (const { text } of answer.replies) {
    if (text === '') continue;
    if (!first) yield REPLY_SEPARATOR;
    first = false;
    yield text;
  }
}

async function* readSseDeltas(body: ResponseBody): AsyncGenerator<string, void> {
  const parser = new SseParser();
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const finished = yield* yieldDeltas(parser.push(chunk));
      if (finished) return;
    }
    yield* yieldDeltas(parser.end());
  } catch (error) {
    if (error instanceof SseLimitError) throw new VendorFailure('vendor_error', { reason: 'too_large' });
    throw error;
  }
}

/** Yield the text of each event; `true` once `[DONE]` has ended the reply. */
function* yieldDeltas(events: readonly SseEvent[]): Generator<string, boolean> {
  for (const event of events) {
    if (event.data.trim() === DONE_MARKER) return true;
    const result = safeParseJson(event.data);
    const delta = result.ok ? sseDeltaSchema.safeParse(result.value) : undefined;
    if (delta?.success !== true) throw new VendorFailure('vendor_error', { reason: 'malformed' });
    if (delta.data.text !== '') yield delta.data.text;
  }
  return false;
}

function safeParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
