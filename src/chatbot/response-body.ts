/**
 * Reading vendor answers, shared by every adapter: the status decides success, the content type
 * must be what the adapter expects, bodies are size-limited before they are buffered, and zod
 * checks the shape. Vendor text is never put into an error or a log line.
 *
 * @module
 */
import type { z } from 'zod';
import { isSuccessStatus } from '../http-status.js';
import { SseLimitError, SseParser, type SseEvent } from './sse-parser.js';
import type { ResponseReader, VendorResponse } from './vendor-exchange.js';
import { VendorFailure, failureFromStatus } from './vendor-failure.js';

/** A JSON answer larger than this is refused rather than buffered. */
export const MAX_JSON_BYTES = 1_048_576;
/** Read of an error answer's body, so its connection can be reused; more is not worth waiting for. */
const DISCARD_LIMIT_BYTES = 65_536;
/** The `data` of the event some vendors send last (the generic contract, OpenAI). */
export const SSE_DONE = '[DONE]';

/** The media type of a `content-type` header, lower-case, without parameters. */
export function readMediaType(response: VendorResponse): string {
  const header = response.headers['content-type'];
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** `application/json` or any `+json` type (`application/problem+json`). */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Reads an answer that is not 2xx into the failure it stands for. */
export type FailureReader = (response: VendorResponse, signal: AbortSignal) => Promise<VendorFailure>;

/**
 * The failure an answer's status stands for (429, 502, 503 and 504 may be retried, with the
 * vendor's `Retry-After`); its body is read and dropped, so the connection can be reused.
 */
export const readStatusFailure: FailureReader = async (response, signal) => {
  await response.body.dump({ limit: DISCARD_LIMIT_BYTES, signal }).catch(() => undefined);
  return failureFromStatus(response.statusCode, response.headers['retry-after']);
};

/**
 * Wrap `read` so that it runs only on a 2xx answer; any other answer is read by `readFailure`
 * (by default {@link readStatusFailure}: its status alone) and thrown. The body is released
 * however reading ends.
 */
export function onSuccess<T>(read: ResponseReader<T>, readFailure: FailureReader = readStatusFailure): ResponseReader<T> {
  return async function* readChecked(response, signal) {
    const { body } = response;
    try {
      if (!isSuccessStatus(response.statusCode)) throw await readFailure(response, signal);
      yield* read(response, signal);
    } finally {
      releaseBody(body);
    }
  };
}

function ignoreError(): void {}

/**
 * Why a body is let go before it was read to its end; made once. Destroyed without a reason,
 * undici's body builds a `RequestAbortedError`, stack and all — on every streamed answer left
 * at `[DONE]` (chat and native). An answer read to `[DONE]` and let go: 15.6 → 11.8 and
 * 18.4 → 12.2 µs CPU on Node 20, 20.1 → 10.5 and 18.0 → 9.62 µs on Node 26
 * (bench/micro/body-release.js, two runs each, load 9).
 */
const RELEASED = new Error('vendor answer released');

/**
 * Let go of an answer's body, however reading ended: one read to its end is already closed; one
 * left early is destroyed (its request aborted if it is still arriving) and its error, which
 * nobody is listening for any more, dropped. Readers that may leave early iterate with
 * {@link readChunks}, so that leaving does not destroy it first.
 */
export function releaseBody(body: VendorResponse['body']): void {
  if (!body.destroyed) body.on('error', ignoreError).destroy(RELEASED);
}

/** A body's chunks; leaving the loop early leaves the body to {@link releaseBody}. */
export function readChunks(response: VendorResponse): AsyncIterable<Buffer> {
  return response.body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
}

/**
 * The whole body as text, refused past `limit` bytes (the body let go then, {@link releaseBody}). Read with listeners rather than the stream's async iterator,
 * which costs a promise and its jobs per chunk and an end-of-stream watch per body. The HTTP
 * vendor stub's JSON answer read by the generic adapter: 17.0 → 14.3, 12.2 → 11.2 and
 * 16.1 → 14.9 µs CPU on Node 20, 14.1 → 11.4 and 13.5 → 9.00 µs on Node 26
 * (bench/micro/json-answer.js, load 7–8). A chat turn through the stub (bench/micro/chat-turn.js
 * stub): 295 → 275 µs on Node 20, 214 → 189 on Node 26 with a shape check since dropped (a tie on
 * Node 20); alone, 266 → 304 on Node 20 (noise above the effect), 208 → 188 on Node 26.
 * A body already ended, destroyed or in paused mode is read by iterating, as before.
 */
export function readBodyText(response: VendorResponse, limit: number = MAX_JSON_BYTES): Promise<string> {
  const body = response.body;
  if (body.destroyed || body.readableEnded || body.isPaused()) return iterateBodyText(body, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      body.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      releaseBody(body);
      reject(new VendorFailure('vendor_error', { reason: 'too_large' }));
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: unknown): void => {
      stop();
      reject(error);
    };
    // Closed without its end or an error: what `for await` reports as a premature close.
    const onClose = (): void => {
      stop();
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    body.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

async function iterateBodyText(body: VendorResponse['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new VendorFailure('vendor_error', { reason: 'too_large' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Parse JSON text and check it with `schema`; anything else is a `malformed` vendor error. */
export function parseJsonAs<S extends z.ZodType>(text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new VendorFailure('vendor_error', { reason: 'malformed', cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new VendorFailure('vendor_error', { reason: 'malformed', cause: parsed.error });
  return parsed.data;
}

/**
 * A reader of one JSON answer checked with `schema`: a 2xx status, a JSON content type, at most
 * {@link MAX_JSON_BYTES}. An empty 2xx body (204) reads as `undefined` when `schema` takes it.
 */
export function readJson<S extends z.ZodType>(schema: S): ResponseReader<z.output<S>> {
  return onSuccess(async function* readJsonBody(response) {
    const text = await readBodyText(response);
    if (text === '' && schema.safeParse(undefined).success) {
      yield schema.parse(undefined);
      return;
    }
    if (!isJsonMediaType(readMediaType(response))) throw new VendorFailure('vendor_error', { reason: 'content_type' });
    yield parseJsonAs(text, schema);
  });
}

/** The events of a `text/event-stream` body, each event at most the parser's limit. */
export async function* readSseEvents(response: VendorResponse): AsyncGenerator<SseEvent, void> {
  if (readMediaType(response) !== 'text/event-stream') throw new VendorFailure('vendor_error', { reason: 'content_type' });
  const parser = new SseParser();
  try {
    for await (const chunk of readChunks(response)) yield* parser.push(chunk);
    yield* parser.end();
  } catch (error) {
    if (error instanceof SseLimitError) throw new VendorFailure('vendor_error', { reason: 'too_large' });
    throw error;
  }
}
