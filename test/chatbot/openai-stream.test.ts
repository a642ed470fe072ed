import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONTENT_CHARS } from '../../src/chatbot/openai-stream.js';
import { countLogLineLeaks } from '../support/leak-judge.js';
import {
  FLAVORS,
  OPENAI_ERRORS,
  VENDOR_ID_MARKERS,
  completionChunks,
  completionReply,
  errorReply,
  eventStream,
  openAiHeaders,
  startOpenAiStub,
  type OpenAiStub,
} from '../support/openai-stub.js';
import type { StubReply } from '../support/vendor-stub.js';
import { expectFailure, readOutcomes } from './adapter-harness.js';
import { ask, createOpenAiHarness, type OpenAiHarness } from './openai-harness.js';

let stub: OpenAiStub;
let harness: OpenAiHarness;

beforeAll(async () => {
  stub = await startOpenAiStub();
});
afterAll(async () => {
  await stub.close();
});
afterEach(async () => {
  await harness.chatbot.close();
  stub.reset();
});

/** A 200 event stream of these chunks (objects, or raw `data` strings). */
function streamOf(chunks: readonly unknown[], options: { done?: boolean } = {}): StubReply {
  return { kind: 'sse', chunks: [eventStream(chunks, options)], headers: openAiHeaders() };
}

/** The content chunks of a reply, without its finish. */
const contentChunks = (deltas: readonly string[]): unknown[] => completionChunks(deltas, { finishReason: null }).slice(0, -1);

/** Ask once in a fresh conversation. */
const askOnce = (text = 'hei') => ask(harness.open(), text);

describe('openai stream: the shapes every compatible server sends', () => {
  it.each(FLAVORS)('reads %s: role-only and usage chunks, keep-alives, only the content passed on', async (flavor) => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(completionReply(['Hei', ' og ', 'velkommen.'], { flavor, usage: true, keepAlive: true }));
    const answer = await askOnce();
    expect(answer).toMatchObject({ texts: ['Hei', ' og ', 'velkommen.'], error: undefined });
    expect((await readOutcomes(harness.metrics)).ok).toBe(1);
  });

  it('reads data lines without a space and CRLF line ends, and empty keep-alive events', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(completionReply(['a', 'b'], { compact: true }));
    expect((await askOnce()).text).toBe('ab');
    stub.vendor.script(streamOf(['', ...completionChunks(['c'])]));
    expect((await askOnce()).text).toBe('c');
  });

  it('passes a refusal on as the answer, and never a reasoning model’s reasoning_content', async () => {
    harness = createOpenAiHarness(stub);
    const thinking = completionChunks([''], { finishReason: null })[0];
    stub.vendor.script(
      streamOf([
        { ...(thinking as object), choices: [{ index: 0, delta: { reasoning_content: 'Brukeren skrev 12345678' } }] },
        { choices: [{ index: 0, delta: { refusal: 'Det kan jeg ikke hjelpe med.' }, finish_reason: 'stop' }] },
      ]),
    );
    expect((await askOnce()).text).toBe('Det kan jeg ikke hjelpe med.');
  });

  it('ends well with a finish reason and no [DONE], but a stream cut off without either is vendor_error', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(streamOf(completionChunks(['ferdig']), { done: false }));
    expect(await askOnce()).toMatchObject({ text: 'ferdig', error: undefined });
    stub.vendor.script(streamOf(contentChunks(['halv', 'veis']), { done: false }));
    const cut = await askOnce();
    expect(cut.text).toBe('halvveis');
    expectFailure(cut.error, 'vendor_error');
  });

  it('stops reading at [DONE], whatever follows it', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script({ kind: 'sse', chunks: [eventStream(completionChunks(['ja'])), 'data: {not json}\n\n'] });
    expect(await askOnce()).toMatchObject({ text: 'ja', error: undefined });
  });

  it('reads one JSON chat.completion from a server that does not stream', async () => {
    harness = createOpenAiHarness(stub);
    const completion = { id: 'chatcmpl-1234567', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hele <i>svaret</i>' }, finish_reason: 'stop' }] };
    stub.vendor.script({ kind: 'json', body: completion });
    expect(await askOnce()).toMatchObject({ text: 'Hele svaret', error: undefined });
  });

  it('fails a reply the vendor cut with finish_reason content_filter, after what was already passed on', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(completionReply(['Begynnelsen'], { flavor: 'azure', finishReason: 'content_filter' }));
    const answer = await askOnce();
    expect(answer.text).toBe('Begynnelsen');
    expectFailure(answer.error, 'vendor_error');
  });

  it('refuses a 200 that is neither an event stream nor JSON, and a reply past its size limit', async () => {
    // 5 MB of text streamed and redacted: a budget far from what a loaded machine takes (5 s ran out
    // once at load 15 and made it a vendor_timeout).
    harness = createOpenAiHarness(stub, {}, { timeoutMs: 20_000 });
    stub.vendor.script({ kind: 'raw', contentType: 'text/html', body: '<html>Gateway</html>' });
    expectFailure((await askOnce()).error, 'vendor_error');
    const piece = 'x'.repeat(1_000_000);
    const pieces = Array.from({ length: Math.ceil(MAX_CONTENT_CHARS / piece.length) + 1 }, () => piece);
    stub.vendor.script(completionReply(pieces));
    const answer = await askOnce();
    expectFailure(answer.error, 'vendor_error');
    expect(answer.text.length).toBeLessThanOrEqual(MAX_CONTENT_CHARS);
  });
});

describe('openai stream: an error inside the stream', () => {
  const vllmError = (code: number) => ({ error: { object: 'error', message: 'Engine error 1234567', type: 'InternalServerError', param: null, code } });

  it('fails the reply on vLLM’s error chunk, without a retry for a 500', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(streamOf([...contentChunks([]), vllmError(500)]));
    expectFailure((await askOnce()).error, 'vendor_error');
    expect(stub.vendor.requests).toHaveLength(1);
  });

  it('retries one that says 429 or 503 before any text (LiteLLM writes the code as a string)', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(streamOf([{ error: { message: 'Rate limited', type: null, param: null, code: '429' } }]), streamOf([vllmError(503)]), completionReply(['ok']));
    expect(await askOnce()).toMatchObject({ text: 'ok', error: undefined });
    expect(new Set(stub.vendor.requests.map((request) => request.idempotencyKey)).size).toBe(1);
    expect(stub.vendor.requests).toHaveLength(3);
  });

  it('ends a reply already under way with vendor_error, and does not send it again', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(streamOf([...contentChunks(['Første del']), vllmError(503)]));
    const answer = await askOnce();
    expect(answer.text).toBe('Første del');
    expectFailure(answer.error, 'vendor_error');
    expect(stub.vendor.requests).toHaveLength(1);
  });

  it('fails on an `event: error` and on Ollama’s `{"error":"…"}`', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script({ kind: 'sse', chunks: ['event: error\ndata: {"message":"overloaded"}\n\n'] });
    expectFailure((await askOnce()).error, 'vendor_error');
    stub.vendor.script(streamOf([{ error: 'model runner has unexpectedly stopped' }]));
    expectFailure((await askOnce()).error, 'vendor_error');
  });
});

describe('openai stream: status failures and the waits they ask for', () => {
  it.each([
    ['401 invalid_api_key', () => OPENAI_ERRORS.badKey()],
    ['404 model_not_found', () => OPENAI_ERRORS.noModel('gpt-x')],
    ['500 server_error', () => OPENAI_ERRORS.server()],
    ['403 from a proxy, no JSON', () => ({ kind: 'status', status: 403 }) as const],
  ])('%s is vendor_error, sent once', async (_name, reply) => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(reply());
    expectFailure((await askOnce()).error, 'vendor_error');
    expect(stub.vendor.requests).toHaveLength(1);
  });

  it('retries 503 and a 502 HTML page with the same idempotency key', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(OPENAI_ERRORS.overloaded(), { kind: 'raw', status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }, completionReply(['ok']));
    expect(await askOnce()).toMatchObject({ text: 'ok', error: undefined });
    expect(stub.vendor.requests.map((request) => request.idempotencyKey)).toEqual(Array(3).fill(stub.vendor.requests[0]!.idempotencyKey));
    expect((await readOutcomes(harness.metrics)).retried).toBe(2);
  });

  it('waits what retry-after-ms asks before Retry-After, and an exhausted x-ratelimit-reset-* without either', async () => {
    harness = createOpenAiHarness(stub, {}, { timeoutMs: 3_000 });
    stub.vendor.script(OPENAI_ERRORS.rateLimited({ 'retry-after-ms': '300', 'retry-after': '9' }), completionReply(['ok']));
    const first = await askOnce();
    expect(first.text).toBe('ok');
    const [a, b] = stub.vendor.requests;
    expect(b!.receivedAt - a!.receivedAt).toBeGreaterThanOrEqual(290);
    stub.vendor.reset();
    const spent = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '0.25s', 'x-ratelimit-remaining-tokens': '12', 'x-ratelimit-reset-tokens': '6m0s' };
    stub.vendor.script(OPENAI_ERRORS.rateLimited(spent), completionReply(['ok']));
    expect((await askOnce()).text).toBe('ok');
    const [c, d] = stub.vendor.requests;
    expect(d!.receivedAt - c!.receivedAt).toBeGreaterThanOrEqual(240);
  });

  it('fails at once when the limit resets past the budget, or the account is out of quota: vendor_unavailable', async () => {
    harness = createOpenAiHarness(stub, {}, { timeoutMs: 3_000 });
    stub.vendor.script(OPENAI_ERRORS.rateLimited({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }));
    const limited = await askOnce();
    expectFailure(limited.error, 'vendor_unavailable');
    expect(limited.texts).toEqual([]);
    stub.vendor.script(OPENAI_ERRORS.quota());
    expectFailure((await askOnce()).error, 'vendor_unavailable');
    expect(stub.vendor.requests).toHaveLength(2);
  });

  it('does not retry what the vendor marks x-should-retry: false', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(errorReply(503, { message: 'Maintenance', type: 'server_error' }, { 'x-should-retry': 'false' }));
    expectFailure((await askOnce()).error, 'vendor_unavailable');
    expect(stub.vendor.requests).toHaveLength(1);
  });

  it('opens the breaker after five failures of the vendor in a row: then vendor_unavailable without a request', async () => {
    harness = createOpenAiHarness(stub);
    for (let failure = 0; failure < 5; failure += 1) stub.vendor.script(OPENAI_ERRORS.server());
    for (let failure = 0; failure < 5; failure += 1) expectFailure((await askOnce()).error, 'vendor_error');
    expectFailure((await askOnce()).error, 'vendor_unavailable');
    expect(stub.vendor.requests).toHaveLength(5);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.error, outcomes.shed]).toEqual([5, 1]);
  });

  it('logs no message text, vendor text, vendor id or number, whatever failed', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(OPENAI_ERRORS.server(), streamOf([...contentChunks(['Svar 98765432']), { error: { message: 'Engine 1234567', code: 500 } }]));
    await askOnce('Kvitteringsspørsmål 010190 12345');
    await askOnce('Kvitteringsspørsmål');
    expect(harness.logLines.length).toBeGreaterThan(1);
    for (const line of harness.logLines) {
      expect(countLogLineLeaks(line), line).toBe(0);
      for (const word of ['Kvittering', 'Svar', 'Engine', 'server had', ...VENDOR_ID_MARKERS]) expect(line).not.toContain(word);
    }
  });
});
