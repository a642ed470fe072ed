/**
 * A real HTTP chatbot vendor for tests: a node:http server on an ephemeral loopback port that
 * records every request it receives and answers each as scripted — JSON replies, server-sent
 * events in raw chunks (split anywhere, dripped with pauses), error statuses with `Retry-After`,
 * pauses before the headers, sockets reset before or during the answer, malformed bodies.
 *
 * @example
 * ```ts
 * const stub = await startVendorStub();
 * stub.script(statusReply(503, 0), sseReply(['Hei', ' der']));
 * // … point the adapter at stub.url …
 * expect(stub.requests.map((r) => r.idempotencyKey)).toEqual(['c:1', 'c:1']);
 * await stub.close();
 * ```
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** setTimeout's longest delay: "until the client goes away". */
const FOREVER_MS = 2 ** 31 - 1;

/** One request as the stub received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly idempotencyKey: string | undefined;
  readonly authorization: string | undefined;
  readonly rawBody: string;
  /** The body parsed as JSON; `undefined` when it is not JSON. */
  readonly body: unknown;
  /** When the body had arrived, on the `performance.now()` clock. */
  readonly receivedAt: number;
  /** How the answer ended: still `open`, `finished`, `client-closed` early, or `reset` by the stub. */
  outcome: 'open' | 'finished' | 'client-closed' | 'reset';
}

interface ReplyTiming {
  /** Pause before the status line and headers, in ms. */
  readonly delayMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How the stub answers one request. */
export type StubReply =
  | (ReplyTiming & { readonly kind: 'json'; readonly body: unknown; readonly status?: number })
  | (ReplyTiming & {
      readonly kind: 'sse';
      /** Written one by one, exactly as given. */
      readonly chunks: ReadonlyArray<string | Uint8Array>;
      /** Pause between chunks, in ms (default: none, but each chunk is its own write). */
      readonly chunkDelayMs?: number;
      /** After the last chunk: end the response (default), reset the socket, or stay silent. */
      readonly then?: 'end' | 'reset' | 'hang';
    })
  | (ReplyTiming & { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string | number; readonly body?: string })
  | (ReplyTiming & { readonly kind: 'raw'; readonly status?: number; readonly contentType: string; readonly body: string | Uint8Array })
  | (ReplyTiming & { readonly kind: 'reset' })
  | { readonly kind: 'hang' };

/** Decides the answer to requests that no scripted reply is queued for. */
export type StubHandler = (request: RecordedRequest) => StubReply;

/** A running stub. */
export interface VendorStub {
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  readonly connectionCount: number;
  /** Queue answers for the next requests, in order; when the queue is empty the handler answers. */
  script(...replies: StubReply[]): void;
  /** Answer unscripted requests with `handler` (default: {@link echoHandler}). */
  setHandler(handler: StubHandler): void;
  /** Forget the requests, the queued replies and the handler, for the next test. */
  reset(): void;
  /** Resolves once every answer so far has ended, one way or another. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Answers JSON `echo: <text>`, so a test without a script still gets a well-formed reply. */
export const echoHandler: StubHandler = (request) => {
  const text = (request.body as { text?: unknown } | undefined)?.text;
  return jsonReply(`echo: ${typeof text === 'string' ? text : ''}`);
};

/** A 200 JSON answer `{"replies":[{"text":…},…]}`. */
export function jsonReply(...texts: string[]): StubReply {
  return { kind: 'json', body: { replies: texts.map((text) => ({ text })) } };
}

/** An error status, with `Retry-After` when given (seconds, or an HTTP-date string). */
export function statusReply(status: number, retryAfter?: string | number): StubReply {
  return retryAfter === undefined ? { kind: 'status', status } : { kind: 'status', status, retryAfter };
}

/** The event stream of a reply: one `data: {"text":…}` event per delta, then `[DONE]` unless `done` is false. */
export function sseText(deltas: readonly string[], options: { done?: boolean } = {}): string {
  const events = deltas.map((text) => `data: ${JSON.stringify({ text })}\n\n`);
  if (options.done ?? true) events.push('data: [DONE]\n\n');
  return events.join('');
}

/** A 200 event-stream answer, one chunk per event. */
export function sseReply(
  deltas: readonly string[],
  options: { done?: boolean; chunkDelayMs?: number; then?: 'end' | 'reset' | 'hang' } = {},
): StubReply {
  const chunks = sseText(deltas, { done: options.done ?? true }).split(/(?<=\n\n)/u);
  return { kind: 'sse', chunks, chunkDelayMs: options.chunkDelayMs ?? 0, then: options.then ?? 'end' };
}

/** The UTF-8 bytes of `text` cut at the given byte offsets (sorted, deduplicated, clamped). */
export function splitBytes(text: string | Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const points = [...new Set(cuts.map((cut) => Math.max(0, Math.min(bytes.length, cut))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return chunks;
}

/** The UTF-8 bytes of `text`, one byte per chunk. */
export function dripBytes(text: string): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8');
  return Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));
}

/**
 * One stub for the test file that calls it: started before its tests, reset after each, closed
 * after all. The object stands for the stub once `beforeAll` has run.
 */
export function useVendorStub(): VendorStub {
  let started: VendorStub | undefined;
  const stub = (): VendorStub => {
    if (started === undefined) throw new Error('the vendor stub starts in beforeAll; use it inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    started = await startVendorStub();
  });
  afterEach(() => stub().reset());
  afterAll(() => stub().close());
  return {
    get url() {
      return stub().url;
    },
    get requests() {
      return stub().requests;
    },
    get connectionCount() {
      return stub().connectionCount;
    },
    script: (...replies) => stub().script(...replies),
    setHandler: (handler) => stub().setHandler(handler),
    reset: () => stub().reset(),
    settled: () => stub().settled(),
    close: () => stub().close(),
  };
}

/** Start a stub on 127.0.0.1 and an ephemeral port. */
export async function startVendorStub(): Promise<VendorStub> {
  const requests: RecordedRequest[] = [];
  const queue: StubReply[] = [];
  const answers: Promise<void>[] = [];
  let handler: StubHandler = echoHandler;
  let connectionCount = 0;

  const server = http.createServer((req, res) => {
    answers.push(
      recordRequest(req).then((recorded) => {
        requests.push(recorded);
        res.on('close', () => {
          if (recorded.outcome === 'open') recorded.outcome = res.writableFinished ? 'finished' : 'client-closed';
        });
        return answer(res, recorded, queue.shift() ?? handler(recorded));
      }),
    );
  });
  server.on('connection', () => {
    connectionCount += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1/reply`,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    script: (...replies) => void queue.push(...replies),
    setHandler: (next) => void (handler = next),
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      handler = echoHandler;
    },
    settled: async () => void (await Promise.all(answers)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function recordRequest(req: http.IncomingMessage): Promise<RecordedRequest> {
  // Not `for await`: its end destroys the request, which can cost the keep-alive connection.
  const rawBody = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: req.headers,
    idempotencyKey: header('idempotency-key'),
    authorization: header('authorization'),
    rawBody,
    body,
    receivedAt: performance.now(),
    outcome: 'open',
  };
}

/** Wait `ms`, or less if the client goes away; `true` if the response is still open. */
async function pause(res: http.ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return false;
  if (ms > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      res.once('close', done);
      function done(): void {
        clearTimeout(timer);
        res.off('close', done);
        resolve();
      }
    });
  }
  return !res.destroyed;
}

function resetSocket(res: http.ServerResponse, recorded: RecordedRequest): void {
  recorded.outcome = 'reset';
  res.socket?.resetAndDestroy();
}

async function answer(res: http.ServerResponse, recorded: RecordedRequest, reply: StubReply): Promise<void> {
  if (reply.kind === 'hang') {
    await pause(res, FOREVER_MS);
    return;
  }
  if (!(await pause(res, reply.delayMs ?? 0))) return;
  const headers = reply.headers ?? {};
  switch (reply.kind) {
    case 'reset':
      resetSocket(res, recorded);
      return;
    case 'json':
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(reply.body));
      return;
    case 'raw':
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType, ...headers });
      res.end(reply.body);
      return;
    case 'status': {
      const retryAfter = reply.retryAfter === undefined ? {} : { 'retry-after': String(reply.retryAfter) };
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...retryAfter, ...headers });
      res.end(reply.body ?? `status ${reply.status}`);
      return;
    }
    case 'sse':
      await writeEventStream(res, recorded, reply);
      return;
  }
}

async function writeEventStream(
  res: http.ServerResponse,
  recorded: RecordedRequest,
  reply: Extract<StubReply, { kind: 'sse' }>,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', ...reply.headers });
  res.flushHeaders();
  for (const [index, chunk] of reply.chunks.entries()) {
    if (index > 0 && !(await pauseBetweenChunks(res, reply.chunkDelayMs))) return;
    res.write(chunk);
  }
  if (reply.then === 'reset') {
    // A reset discards what is still in flight; let the chunks arrive first, as on a real network.
    if (await pauseBetweenChunks(res, reply.chunkDelayMs)) resetSocket(res, recorded);
  } else if (reply.then === 'hang') await pause(res, FOREVER_MS);
  else res.end();
}

/** Separate writes by the given pause, or at least a turn of the event loop, so they tend to arrive apart. */
async function pauseBetweenChunks(res: http.ServerResponse, delayMs = 0): Promise<boolean> {
  if (delayMs > 0) return pause(res, delayMs);
  await yieldToEventLoop();
  return !res.destroyed;
}
