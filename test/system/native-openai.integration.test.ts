/**
 * `NATIVE_API=on` with `VENDOR_KIND=openai`, end to end: the official `openai` client (nobody
 * here wrote it) talks to the real gateway on loopback, which forwards to the OpenAI stub. Every
 * body the client and the vendor receive is judged by the reference reading of the policy, with
 * the vendor's ids and usage counts set aside (they are not user text and pass untouched).
 */
import fc from 'fast-check';
import OpenAI, { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cutAt, formattedNumber, rawCuts } from '../support/arbitraries.js';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { COMPLETION_ID, OPENAI_ERRORS, STUB_MODEL, completionChunks, completionReply, eventStream, openAiHeaders, startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { redactMarkdown } from '../../src/redact/index.js';
import type { StubReply } from '../support/vendor-stub.js';
import { countMarkdownLeaks } from '../support/markup-judge.js';

const VENDOR_KEY = 'sk-proj-nativeVendorKey';
const NATIVE_TOKEN = 'native-client-token-for-browsers';
const ALLOWED_ORIGIN = 'https://app.example.no';
const REPLY_LIMIT = 65_536;

let stub: OpenAiStub;
let gw: RunningGateway;
/** Every body the client received, as it came over the wire. */
const received: string[] = [];

beforeAll(async () => {
  stub = await startOpenAiStub({ apiKey: VENDOR_KEY });
  gw = await startTestGateway({
    VENDOR_KIND: 'openai',
    VENDOR_URL: stub.baseUrl,
    VENDOR_MODEL: STUB_MODEL,
    VENDOR_TOKEN: VENDOR_KEY,
    NATIVE_API: 'on',
    NATIVE_TOKEN,
    ALLOWED_ORIGINS: ALLOWED_ORIGIN,
    MAX_REPLY_BYTES: String(REPLY_LIMIT),
  });
});
afterAll(async () => {
  await gw.stop();
  await stub.close();
});
afterEach(() => stub.reset());

/** `fetch` that keeps a copy of every answer body for the judge. */
const teeFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  void response
    .clone()
    .text()
    .then((text) => received.push(text), () => undefined);
  return response;
};

const client = (apiKey = NATIVE_TOKEN): OpenAI => new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey, maxRetries: 0, fetch: teeFetch });

/** Vendor ids, timestamps and usage counts: metadata that passes untouched, not text anyone wrote. */
const METADATA_KEYS = new Set(['id', 'created', 'system_fingerprint', 'usage', 'obfuscation']);

/** `text` (JSON, SSE events, or anything) without the vendor's metadata, for the judge. */
function withoutMetadata(text: string): string {
  const strip = (json: string): string => {
    try {
      return JSON.stringify(JSON.parse(json), (key, value: unknown) => (METADATA_KEYS.has(key) ? undefined : value));
    } catch {
      return json;
    }
  };
  if (!text.includes('data:')) return strip(text);
  return text
    .split('\n')
    .map((line) => (line.startsWith('data:') ? `data: ${strip(line.slice(5).trim())}` : line))
    .join('\n');
}

/** Sensitive combinations in everything the client and the vendor received so far, and in the log. */
async function leaksSoFar(): Promise<{ client: number; vendor: number; log: number }> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    client: received.reduce((sum, text) => sum + countLeaks(withoutMetadata(text)), 0),
    vendor: stub.vendor.requests.reduce((sum, request) => sum + countLeaks(request.rawBody), 0),
    log: gw.logs.lines().reduce((sum, line) => sum + countLogLineLeaks(line), 0),
  };
}

const NO_LEAKS = { client: 0, vendor: 0, log: 0 };

/** A streamed answer of raw chunks. */
const streamOf = (chunks: unknown[], chunkDelayMs = 1) => {
  const text = eventStream(chunks);
  return { kind: 'sse' as const, chunks: text.split('\n\n').filter((part) => part !== '').map((part) => `${part}\n\n`), chunkDelayMs, headers: openAiHeaders() };
};

const chunk = (choices: unknown[]) => ({ id: COMPLETION_ID, object: 'chat.completion.chunk', created: 1, model: STUB_MODEL, choices });

describe('native OpenAI API: the one line that changes', () => {
  it('answers a completion with the redacted text; the vendor gets the redacted question and VENDOR_TOKEN, never the client’s token', async () => {
    stub.setResponder(() => ['Ring oss på 22 33 44 55', ' i dag.']);
    const answer = await client().chat.completions.create({
      model: STUB_MODEL,
      messages: [
        { role: 'system', content: 'Du er kundeservice.' },
        { role: 'user', content: 'Mitt fnr er 010190 12345, hjelp' },
      ],
    });
    expect(answer.choices[0]!.message.content).toBe('Ring oss på  i dag.');
    expect(answer.id).toBe(COMPLETION_ID);
    const [request] = stub.completionRequests();
    expect(request!.messages).toEqual([
      { role: 'system', content: 'Du er kundeservice.' },
      { role: 'user', content: 'Mitt fnr er , hjelp' },
    ]);
    expect(request!.raw.authorization).toBe(`Bearer ${VENDOR_KEY}`);
    expect(request!.raw.rawBody).not.toContain(NATIVE_TOKEN);
    expect(await leaksSoFar()).toEqual(NO_LEAKS);
  });

  it('streams, deleting a number the vendor split across SSE chunks, and passes the usage chunk', async () => {
    stub.vendor.script(completionReply(['Kontonummer 7694', '.05.2', '0300 er', ' ditt.'], { usage: true, chunkDelayMs: 2 }));
    const stream = await client().chat.completions.create({
      model: STUB_MODEL,
      messages: [{ role: 'user', content: 'Hva er kontonummeret?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let usage: unknown;
    for await (const part of stream) {
      deltas.push(part.choices[0]?.delta.content ?? '');
      if (part.usage) usage = part.usage;
    }
    expect(deltas.join('')).toBe('Kontonummer  er ditt.');
    for (const delta of deltas) expect(countLeaks(delta)).toBe(0);
    expect(usage).toEqual({ prompt_tokens: 1234567, completion_tokens: 89, total_tokens: 1234656 });
    expect(await leaksSoFar()).toEqual(NO_LEAKS);
  });

  it('keeps each choice split-safe on its own (n = 2, interleaved)', async () => {
    stub.vendor.script(
      streamOf([
        chunk([{ index: 0, delta: { role: 'assistant', content: 'A: 98 7' } }, { index: 1, delta: { role: 'assistant', content: 'B: 41 4' } }]),
        chunk([{ index: 1, delta: { content: '1 12 34' } }, { index: 0, delta: { content: '6 54 32 ok' } }]),
        chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
        chunk([{ index: 1, delta: {}, finish_reason: 'stop' }]),
      ]),
    );
    const stream = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'to svar' }], n: 2, stream: true });
    const text = ['', ''];
    for await (const part of stream) for (const choice of part.choices) text[choice.index] += choice.delta.content ?? '';
    expect(text).toEqual(['A:  ok', 'B: ']);
  });

  it('redacts tool-call arguments as JSON, streamed and not: the client parses them', async () => {
    const call = (args: string[]) =>
      streamOf([
        chunk([{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_Abc1234567', type: 'function', function: { name: 'lookup', arguments: '' } }] } }]),
        ...args.map((piece) => chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] } }])),
        chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
      ]);
    stub.vendor.script(call(['{"phone":"98 7', '6 54 32","account":7694052', '0300,"note":"ring 22 33 4', '4 55"}']));
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } }];
    const runner = client().chat.completions.stream({ model: STUB_MODEL, messages: [{ role: 'user', content: 'slå opp' }], tools });
    const final = await runner.finalChatCompletion();
    const toolCall = final.choices[0]!.message.tool_calls![0]! as { id: string; function: { name: string; arguments: string } };
    expect(toolCall.id).toBe('call_Abc1234567');
    expect(toolCall.function.name).toBe('lookup');
    expect(JSON.parse(toolCall.function.arguments)).toEqual({ phone: '', account: null, note: 'ring ' });

    const message = { role: 'assistant', content: null, tool_calls: [{ id: 'call_X', type: 'function', function: { name: 'lookup', arguments: '{"fnr":"01019012345"}' } }] };
    stub.vendor.script({ kind: 'json', body: { id: COMPLETION_ID, object: 'chat.completion', created: 1, model: STUB_MODEL, choices: [{ index: 0, message, finish_reason: 'tool_calls' }] } });
    const whole = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'slå opp' }], tools });
    expect(JSON.parse(whole.choices[0]!.message.tool_calls![0]!.type === 'function' ? (whole.choices[0]!.message.tool_calls![0] as { function: { arguments: string } }).function.arguments : '')).toEqual({ fnr: '' });
    expect(await leaksSoFar()).toEqual(NO_LEAKS);
  });

  it('redacts tool results and earlier tool calls on their way to the vendor', async () => {
    await client().chat.completions.create({
      model: STUB_MODEL,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Finn kunde 010190 12345' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'find', arguments: '{"fnr":"010190 12345"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'Kunden har telefon 98 76 54 32' },
      ],
    });
    const [request] = stub.completionRequests();
    expect(request!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Finn kunde ' }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'find', arguments: '{"fnr":""}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'Kunden har telefon ' },
    ]);
  });

  it('passes an error inside the stream on, redacted: the client raises it', async () => {
    const error = { error: { message: 'Upstream failed for request 98765432', type: 'server_error', param: null, code: null } };
    stub.vendor.script(streamOf([...completionChunks(['Hei ']).slice(0, 2), error]));
    const stream = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'hei' }], stream: true });
    const failure = await (async () => {
      for await (const _ of stream) {
        // read until it fails
      }
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toContain('Upstream failed for request');
    expect((failure as APIError).message).not.toMatch(/\d{5}/);
  });

  it('ends a stream whose text outgrows MAX_REPLY_BYTES with an error the client raises, after what fit', async () => {
    stub.vendor.script(completionReply(Array.from({ length: 20 }, () => 'ord '.repeat(1_000))));
    const stream = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'skriv mye' }], stream: true });
    let length = 0;
    const failure = await (async () => {
      for await (const part of stream) length += part.choices[0]?.delta.content?.length ?? 0;
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(APIError);
    expect(length).toBeGreaterThan(0);
    expect(length).toBeLessThanOrEqual(REPLY_LIMIT);
  });

  it('deletes every number however the vendor cuts its stream (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(formattedNumber, fc.constantFrom('Hei ', ' ring ', 'nå. ', '\n')), { minLength: 1, maxLength: 6 }), rawCuts(6), async (pieces, cuts) => {
        stub.reset();
        const text = pieces.join('');
        stub.vendor.script(completionReply(cutAt(text, cuts)));
        const stream = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
        const deltas: string[] = [];
        for await (const part of stream) deltas.push(part.choices[0]?.delta.content ?? '');
        // An LLM's answer is Markdown: judged as markdown-it shows it and as sent (a soft line break
        // shows as a space, so `0\n000000` is one combination there), and the same however cut.
        const received = deltas.join('');
        expect(received).toBe(redactMarkdown(text).text);
        expect(countMarkdownLeaks(received)).toBe(0);
        for (const delta of deltas) expect(countLeaks(delta)).toBe(0);
      }),
      { numRuns: 25, interruptAfterTimeLimit: 8_000 },
    );
  });
});

describe('native OpenAI API: refusals, in OpenAI’s shape', () => {
  it('refuses image parts before anything reaches the vendor', async () => {
    const failure = await client()
      .chat.completions.create({
        model: STUB_MODEL,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'se bildet' }, { type: 'image_url', image_url: { url: 'https://x.no/a.png' } }] }],
      })
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as APIError).code).toBe('unsupported_content');
    expect((failure as APIError).param).toBe('messages[0].content[1]');
    expect(stub.vendor.requests).toHaveLength(0);
  });

  it('refuses a wrong NATIVE_TOKEN with 401, and never passes the client’s key on', async () => {
    const failure = await client('sk-wrong').models.list().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(stub.vendor.requests).toHaveLength(0);
  });

  it('lists the models', async () => {
    const models = await client().models.list();
    expect(models.data.map((model) => model.id)).toEqual([STUB_MODEL]);
    expect(stub.vendor.requests[0]!.authorization).toBe(`Bearer ${VENDOR_KEY}`);
  });

  it('passes the vendor’s own refusal on, with its status and code', async () => {
    stub.vendor.script(OPENAI_ERRORS.noModel('gpt-ukjent'));
    const failure = await client().chat.completions.create({ model: 'gpt-ukjent', messages: [{ role: 'user', content: 'hei' }] }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect((failure as APIError).code).toBe('model_not_found');
  });

  it('answers an unreachable vendor with 503 in OpenAI’s shape', async () => {
    stub.vendor.script({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    const failure = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'hei' }] }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).status).toBe(503);
    expect((failure as APIError).code).toBe('vendor_unavailable');
  });

  it('sends a request the vendor surely did not act on (503) again, within the budget, and the client never knows', async () => {
    stub.vendor.script(OPENAI_ERRORS.overloaded());
    const answer = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'hei' }] });
    expect(answer.choices[0]!.message.content).toBe('Du skrev: hei');
    expect(stub.completionRequests()).toHaveLength(2);
  });

  it('does not send a request the vendor may have acted on (500) again', async () => {
    stub.vendor.script(OPENAI_ERRORS.server());
    const failure = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'hei' }] }).catch((caught: unknown) => caught);
    expect((failure as APIError).status).toBe(500);
    expect(stub.completionRequests()).toHaveLength(1);
  });

  it('closes the vendor’s stream when the client goes away', async () => {
    stub.vendor.script({ ...(completionReply(['Hei ', 'der']) as Extract<StubReply, { kind: 'sse' }>), then: 'hang' });
    const controller = new AbortController();
    const stream = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'hei' }], stream: true }, { signal: controller.signal });
    const reading = (async () => {
      for await (const part of stream) if (part.choices[0]?.delta.content === 'der') controller.abort();
    })().catch(() => undefined);
    await reading;
    await expect.poll(() => stub.vendor.requests[0]?.outcome, { timeout: 2_000 }).toBe('client-closed');
  });

  it('fails closed on an answer it cannot read: a 502 before anything went out, an error event after', async () => {
    stub.vendor.script({ kind: 'json', body: { id: COMPLETION_ID, object: 'chat.completion', choices: { text: 'ring 98 76 54 32' } } });
    const whole = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'hei' }] }).catch((caught: unknown) => caught);
    expect((whole as APIError).status).toBe(502);
    expect((whole as APIError).code).toBe('vendor_error');
    stub.vendor.script(streamOf([...completionChunks(['Hei ']).slice(0, 2), '{"choices":[{"index":0,"delta":{"content":"98 76 54 32']));
    const stream = await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'hei' }], stream: true });
    const failure = await (async () => {
      for await (const _ of stream) {
        // read until it fails
      }
    })().catch((caught: unknown) => caught);
    expect((failure as APIError).message).toContain('could not answer');
    expect(await leaksSoFar()).toEqual(NO_LEAKS);
  });

  it('refuses a body that is no JSON, and one over the limit', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${gw.httpUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${NATIVE_TOKEN}` }, body });
    const bad = await post('{"model":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_request' } });
    expect((await post('hei', 'text/plain')).status).toBe(415);
    const large = await post(JSON.stringify({ model: STUB_MODEL, messages: [{ role: 'user', content: 'x'.repeat(1_100_000) }] }));
    expect(large.status).toBe(413);
    expect(stub.vendor.requests).toHaveLength(0);
  });
});

describe('native OpenAI API without NATIVE_TOKEN', () => {
  it('passes the client’s own key on, and never spends VENDOR_TOKEN for a client without one', async () => {
    const open = await startTestGateway({ VENDOR_KIND: 'openai', VENDOR_URL: stub.baseUrl, VENDOR_MODEL: STUB_MODEL, VENDOR_TOKEN: VENDOR_KEY, NATIVE_API: 'on' });
    try {
      const own = new OpenAI({ baseURL: `${open.httpUrl}/v1`, apiKey: 'sk-client-own', maxRetries: 0 });
      const failure = await own.models.list().catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(stub.vendor.requests.at(-1)!.authorization).toBe('Bearer sk-client-own');
      const bare = await fetch(`${open.httpUrl}/v1/models`);
      expect(bare.status).toBe(401);
      expect(stub.vendor.requests.at(-1)!.authorization).toBeUndefined();
    } finally {
      await open.stop();
    }
  });
});

describe('native OpenAI API: browsers', () => {
  it('answers a preflight from an allowed origin, and lets the page read the answer', async () => {
    const preflight = await fetch(`${gw.httpUrl}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-stainless-os' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-stainless-os');
    const models = await fetch(`${gw.httpUrl}/v1/models`, { headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${NATIVE_TOKEN}` } });
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('refuses another origin, preflight or not, before the vendor hears of it', async () => {
    const headers = { origin: 'https://evil.example', authorization: `Bearer ${NATIVE_TOKEN}` };
    const preflight = await fetch(`${gw.httpUrl}/v1/chat/completions`, { method: 'OPTIONS', headers: { ...headers, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const models = await fetch(`${gw.httpUrl}/v1/models`, { headers });
    expect(models.status).toBe(403);
    expect(await models.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
    expect(stub.vendor.requests).toHaveLength(0);
  });

  it('documents the native routes in /openapi.json', async () => {
    const doc = (await (await fetch(`${gw.httpUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths['/v1/chat/completions']?.post?.operationId).toBe('createChatCompletion');
    expect(doc.paths['/v1/models']?.get?.operationId).toBe('listModels');
    expect(doc.paths['/v1/redact']).toBeDefined();
  });

  it('counts native traffic with endpoint="native"', async () => {
    await client().chat.completions.create({ model: STUB_MODEL, messages: [{ role: 'user', content: 'ring 98 76 54 32' }] });
    expect(await readMetric(gw.httpUrl, 'chat_redact_vendor_requests_total{vendor="openai",outcome="ok",endpoint="native"}')).toBeGreaterThanOrEqual(1);
    expect(await readMetric(gw.httpUrl, 'chat_redact_redactions_total{direction="inbound",kind="phone",endpoint="native"}')).toBeGreaterThanOrEqual(1);
    expect(await leaksSoFar()).toEqual(NO_LEAKS);
  });
});
