import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { completionsUrl, fitTurns } from '../../src/chatbot/openai.js';
import { redact } from '../../src/redact/index.js';
import { OPENAI_ERRORS, STUB_MODEL, completionReply, errorReply, startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { TEST_TOKEN, expectFailure, readOutcomes } from './adapter-harness.js';
import { CONVERSATION_ID, ask, askAndRecord, createOpenAiHarness, type OpenAiHarness } from './openai-harness.js';

let stub: OpenAiStub;
let harness: OpenAiHarness;

beforeAll(async () => {
  stub = await startOpenAiStub({ apiKey: TEST_TOKEN });
});
afterAll(async () => {
  await stub.close();
});
afterEach(async () => {
  await harness.chatbot.close();
  stub.reset();
});

/** The messages of the `index`-th completion request, as `role: content` lines. */
function sentMessages(index: number): string[] {
  return stub.completionRequests()[index]!.messages.map(({ role, content }) => `${role}: ${content}`);
}

describe('openai adapter: the request', () => {
  it('posts model, system prompt, the redacted message and stream: true, with the bearer key and an idempotency key', async () => {
    harness = createOpenAiHarness(stub, { systemPrompt: 'Du er kundeservice. Svar kort.' });
    const answer = await ask(harness.open(), 'Mitt fnr er 010190 12345, hva skylder jeg?', 'msg-a');
    expect(answer.error).toBeUndefined();
    expect(answer.text).toBe('Du skrev: Mitt fnr er , hva skylder jeg?');
    const [request] = stub.completionRequests();
    expect(request!.raw.path).toBe('/v1/chat/completions');
    expect(request!.raw.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(request!.raw.idempotencyKey).toBe(`${CONVERSATION_ID}:msg-a`);
    expect(request!.raw.headers['content-type']).toBe('application/json');
    // Only what the contract names goes out: no `user`, no `stream_options`.
    expect(request!.raw.body).toEqual({
      model: STUB_MODEL,
      stream: true,
      messages: [
        { role: 'system', content: 'Du er kundeservice. Svar kort.' },
        { role: 'user', content: 'Mitt fnr er , hva skylder jeg?' },
      ],
    });
  });

  it('builds the endpoint under any base: trailing slash, a query, or the endpoint itself', () => {
    expect(completionsUrl('https://api.openai.com/v1')).toBe('https://api.openai.com/v1/chat/completions');
    expect(completionsUrl('http://localhost:11434/v1/')).toBe('http://localhost:11434/v1/chat/completions');
    expect(completionsUrl('https://res.openai.azure.com/openai/v1?api-version=preview')).toBe(
      'https://res.openai.azure.com/openai/v1/chat/completions?api-version=preview',
    );
    expect(completionsUrl('http://litellm:4000/chat/completions')).toBe('http://litellm:4000/chat/completions');
  });

  it('has no greeting: start yields nothing and sends nothing', async () => {
    harness = createOpenAiHarness(stub);
    const parts = [];
    for await (const part of harness.open().start(new AbortController().signal)) parts.push(part);
    expect(parts).toEqual([]);
    expect(stub.vendor.requests).toHaveLength(0);
  });

  it('refuses a button click: a model offers no actions', async () => {
    harness = createOpenAiHarness(stub);
    const conversation = harness.open();
    const click = conversation.reply({ kind: 'action', messageId: 'a', label: redact('Ja').text, payload: 'ja' }, new AbortController().signal);
    await expect(click[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'vendor_error' });
    expect(stub.vendor.requests).toHaveLength(0);
  });
});

describe('openai adapter: the history', () => {
  it('sends earlier turns as the widget showed them, both sides redacted, oldest first', async () => {
    harness = createOpenAiHarness(stub);
    stub.setResponder((messages) => [`Svar ${messages.length}: ring 22 33 44 55`]);
    const conversation = harness.open();
    await askAndRecord(conversation, 'Hei, kontonummer 7694.05.20300');
    await askAndRecord(conversation, 'Og nå?');
    await ask(conversation, 'Takk');
    expect(sentMessages(2)).toEqual([
      'user: Hei, kontonummer ',
      'assistant: Svar 1: ring ',
      'user: Og nå?',
      'assistant: Svar 3: ring ',
      'user: Takk',
    ]);
  });

  it('keeps at most VENDOR_HISTORY_MESSAGES messages, in whole turns so it opens with the user', async () => {
    harness = createOpenAiHarness(stub, { historyMessages: 5 });
    const conversation = harness.open();
    for (const text of ['en', 'to', 'tre', 'fire']) await askAndRecord(conversation, text);
    expect(sentMessages(3)).toEqual(['user: to', 'assistant: Du skrev: to', 'user: tre', 'assistant: Du skrev: tre', 'user: fire']);
  });

  it('sends no history with VENDOR_HISTORY_MESSAGES=0, and records no reply the widget showed nothing of', async () => {
    harness = createOpenAiHarness(stub, { historyMessages: 0 });
    const none = harness.open();
    await askAndRecord(none, 'en');
    await ask(none, 'to');
    expect(sentMessages(1)).toEqual(['user: to']);
    harness = createOpenAiHarness(stub);
    stub.setResponder(() => []);
    const silent = harness.open();
    await askAndRecord(silent, 'tre');
    expect(silent.saveState(7_000)).toBeUndefined();
  });

  it('saves the newest turns that fit, and a conversation opened with them goes on with that history', async () => {
    harness = createOpenAiHarness(stub);
    const conversation = harness.open();
    for (const text of ['første', 'andre', 'tredje']) await askAndRecord(conversation, text);
    const all = conversation.saveState(7_000) as { h: string[][] };
    expect(all.h.map(([input]) => input)).toEqual(['første', 'andre', 'tredje']);
    const budget = Buffer.byteLength(JSON.stringify({ h: all.h.slice(1) }));
    const trimmed = conversation.saveState(budget) as { h: string[][] };
    expect(trimmed.h.map(([input]) => input)).toEqual(['andre', 'tredje']);
    const resumed = harness.open(JSON.parse(JSON.stringify(trimmed)));
    await ask(resumed, 'fjerde');
    expect(sentMessages(3)).toEqual(['user: andre', 'assistant: Du skrev: andre', 'user: tredje', 'assistant: Du skrev: tredje', 'user: fjerde']);
  });

  it('starts afresh from a state it cannot use, and trims one longer than the history allows', async () => {
    harness = createOpenAiHarness(stub, { historyMessages: 2 });
    for (const state of [{ h: 'no' }, { h: [['only one side']] }, [1, 2], 'x', { turns: [] }]) await ask(harness.open(state), 'hei');
    expect(stub.completionRequests().map((request) => request.messages.length)).toEqual([1, 1, 1, 1, 1]);
    await ask(harness.open({ h: [['a', 'b'], ['c', 'd']] }), 'e');
    expect(sentMessages(5)).toEqual(['user: c', 'assistant: d', 'user: e']);
  });

  it('fits turns oldest-first into any byte budget (property)', () => {
    const turn = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 12 }), fc.nat({ max: 1_500 }), (turns, budget) => {
        const kept = fitTurns(turns, budget);
        expect(kept).toEqual(turns.slice(turns.length - kept.length));
        if (kept.length > 0) expect(Buffer.byteLength(JSON.stringify({ h: kept }))).toBeLessThanOrEqual(budget);
        // Maximal: one more turn would not have fitted.
        if (kept.length < turns.length) {
          expect(Buffer.byteLength(JSON.stringify({ h: turns.slice(turns.length - kept.length - 1) }))).toBeGreaterThan(budget);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('openai adapter: a conversation longer than the context window', () => {
  it('asks again with the older half of its history dropped, with the same idempotency key, and keeps it dropped', async () => {
    harness = createOpenAiHarness(stub, { historyMessages: 20 });
    const conversation = harness.open();
    for (const text of ['a', 'b', 'c', 'd']) await askAndRecord(conversation, text);
    stub.vendor.script(OPENAI_ERRORS.contextLength());
    const answer = await ask(conversation, 'e', 'msg-e');
    expect(answer).toMatchObject({ text: 'Du skrev: e', error: undefined });
    const [tooLong, shorter] = stub.completionRequests().slice(-2);
    expect(tooLong!.messages).toHaveLength(9);
    expect(shorter!.messages.map((message) => message.content)).toEqual(['c', 'Du skrev: c', 'd', 'Du skrev: d', 'e']);
    expect([tooLong!.raw.idempotencyKey, shorter!.raw.idempotencyKey]).toEqual([`${CONVERSATION_ID}:msg-e`, `${CONVERSATION_ID}:msg-e`]);
    expect((conversation.saveState(7_000) as { h: unknown[] }).h).toHaveLength(2);
  });

  it('recognises vLLM’s and LiteLLM’s context errors by their message', async () => {
    harness = createOpenAiHarness(stub);
    const conversation = harness.open();
    await askAndRecord(conversation, 'a');
    const vllm = JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', param: null, code: 400 });
    stub.vendor.script({ kind: 'raw', status: 400, contentType: 'application/json', body: vllm });
    expect((await ask(conversation, 'b')).error).toBeUndefined();
    await askAndRecord(conversation, 'c');
    stub.vendor.script(errorReply(400, { message: 'litellm.ContextWindowExceededError: prompt too long', code: '400' }));
    expect((await ask(conversation, 'd')).error).toBeUndefined();
    expect(stub.completionRequests().map((request) => request.messages.length)).toEqual([1, 3, 1, 1, 3, 1]);
  });

  it('is message_too_large when the message alone does not fit, and counts as an error, not a breaker failure', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(OPENAI_ERRORS.contextLength());
    expectFailure((await ask(harness.open(), 'en veldig lang tekst')).error, 'message_too_large');
    expect(stub.vendor.requests).toHaveLength(1);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.error, outcomes.ok]).toEqual([1, 0]);
  });

  it('is a plain vendor_error for any other 400', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(errorReply(400, { message: "Invalid value for 'temperature'.", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' }));
    expectFailure((await ask(harness.open(), 'hei')).error, 'vendor_error');
    expect(stub.vendor.requests).toHaveLength(1);
  });
});

describe('openai adapter: what is passed on', () => {
  it('streams the reply part by part, markup reduced, and never anything but content', async () => {
    harness = createOpenAiHarness(stub);
    stub.vendor.script(completionReply(['Ring 21 <b>4', '9</b> 60&nb', 'sp;00', ' <think>hmm</think>nå'], { usage: true }));
    const answer = await ask(harness.open(), 'hei');
    expect(answer.texts).toEqual(['Ring 21 4', '9', ' 60\u00a000', ' nå']);
    expect(redact(answer.text).text).toBe('Ring  nå');
  });

  it('keeps what streamed within the budget and ends with vendor_timeout when the model writes past it', async () => {
    harness = createOpenAiHarness(stub, {}, { timeoutMs: 300 });
    stub.vendor.script(completionReply(['Et ', 'langt ', 'svar ', 'som ', 'aldri ', 'blir ', 'ferdig'], { chunkDelayMs: 80 }));
    const answer = await ask(harness.open(), 'hei');
    expectFailure(answer.error, 'vendor_timeout');
    expect(answer.texts.length).toBeGreaterThan(0);
    expect(answer.text).not.toContain('ferdig');
  });
});
