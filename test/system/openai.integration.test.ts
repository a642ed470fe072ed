/**
 * `VENDOR_KIND=openai` end to end: the real gateway (as `serve` starts it) with a real `ws`
 * client, in front of the OpenAI stub. Leaks are judged by the reference implementation of the
 * policy, never by the engine.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formattedNumber, chatText, cutAt, rawCuts } from '../support/arbitraries.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import {
  FLAVORS,
  OPENAI_ERRORS,
  STUB_MODEL,
  VENDOR_ID_MARKERS,
  completionChunks,
  completionReply,
  contentText,
  eventStream,
  startOpenAiStub,
  type OpenAiStub,
} from '../support/openai-stub.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { connectClient, type Frame, type TestClient } from '../support/ws-client.js';

const API_KEY = 'sk-proj-integrationKey';
const SESSION_SECRET = 'openai-integration-secret-shared-by-both-gateways';
const SYSTEM_PROMPT = 'Du er kundeservice for Eksempel AS. Be aldri om personnummer.';

let stub: OpenAiStub;
let gw: RunningGateway;
const clients: TestClient[] = [];
let seq = 0;

/** The gateway's settings for the stub; `extra` adds or overrides. */
const openAiEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  VENDOR_KIND: 'openai',
  VENDOR_URL: stub.baseUrl,
  VENDOR_MODEL: STUB_MODEL,
  VENDOR_TOKEN: API_KEY,
  VENDOR_SYSTEM_PROMPT: SYSTEM_PROMPT,
  VENDOR_HISTORY_MESSAGES: '6',
  SESSION_SECRET,
  ...extra,
});

beforeAll(async () => {
  stub = await startOpenAiStub({ apiKey: API_KEY });
  gw = await startTestGateway(openAiEnv());
});
afterAll(async () => {
  await gw.stop();
  await stub.close();
});
afterEach(() => {
  stub.reset();
});

async function connect(url = gw.chatUrl): Promise<TestClient> {
  const client = await connectClient(url);
  clients.push(client);
  return client;
}

/** What the widget got for one message: the reply as shown, and the error code, if any. */
interface Exchange {
  readonly id: string;
  readonly reply: string;
  readonly error: string | undefined;
  readonly frames: Frame[];
}

/** Send one message and wait for its final reply or its error. */
async function chat(client: TestClient, text: string): Promise<Exchange> {
  const id = `m${(seq += 1)}`;
  client.send({ type: 'message', id, text });
  await client.waitFor((f) => f.type === 'ack' && f.id === id);
  const end = await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
  const frames = client.frames.filter((f) => f.id === id);
  const reply = frames.filter((f) => f.type === 'reply').map((f) => f.text).join('');
  return { id, reply, error: end.type === 'error' ? end.code : undefined, frames };
}

/** The `role: content` lines of the `index`-th completion request. */
const sentMessages = (index: number): string[] => stub.completionRequests()[index]!.messages.map(({ role, content }) => `${role}: ${content}`);

/** The tags and entities the property writes: none may reach the widget. */
const MARKUP = /<\/?(?:b|i|span|strong|a|p|br)\b|&#\d+;|&nbsp;/;

const isSensitive = (text: string): boolean => countLeaks(text) > 0;

describe('openai through the gateway: the conversation', () => {
  it('sends no greeting, and keeps a multi-turn chat one conversation: each message goes with the history the widget saw', async () => {
    const client = await connect();
    stub.setResponder((messages) => [`Svar nr. ${messages.length}: ring oss på `, '22 33 4', '4 55.']);
    const first = await chat(client, 'Hei, mitt fnr er 010190 12345');
    expect(first).toMatchObject({ reply: 'Svar nr. 2: ring oss på .', error: undefined });
    await chat(client, 'Og kontonummer 7694.05.20300?');
    await chat(client, 'Takk!');
    expect(client.frames.filter((f) => f.type === 'reply' && f.id === undefined)).toEqual([]);
    expect(stub.completionRequests()).toHaveLength(3);
    expect(sentMessages(2)).toEqual([
      `system: ${SYSTEM_PROMPT}`,
      'user: Hei, mitt fnr er ',
      'assistant: Svar nr. 2: ring oss på .',
      'user: Og kontonummer ?',
      'assistant: Svar nr. 4: ring oss på .',
      'user: Takk!',
    ]);
    const keys = stub.completionRequests().map((request) => request.raw.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
  });

  it('makes one number of digits split across HTML tags, entities and stream chunks', async () => {
    const client = await connect();
    stub.vendor.script(completionReply(['Ring 21 <b>4', '9</b> 60&nb', 'sp;00 eller <a href="https://x.no">skriv</a> &#50;&#49;&#52;96000.'], { chunkDelayMs: 2 }));
    const result = await chat(client, 'hei');
    expect(result).toMatchObject({ reply: 'Ring  eller skriv .', error: undefined });
    for (const frame of result.frames) expect(frame.text ?? '').not.toMatch(/[<>&]/);
  });

  it('makes one number of digits that Markdown emphasis or code marks split, across chunks', async () => {
    const client = await connect();
    stub.vendor.script(completionReply(['**Viktig:** ring 21 **4', '9** 60 00, eller `98 76', ' 54 32`.'], { chunkDelayMs: 2 }));
    const result = await chat(client, 'hei');
    expect(result).toMatchObject({ reply: '**Viktig:** ring , eller .', error: undefined });
  });

  it.each(FLAVORS)('reads a %s stream through the gateway', async (flavor) => {
    const client = await connect();
    stub.vendor.script(completionReply(['Hei ', 'fra ', flavor], { flavor, usage: true, keepAlive: true }));
    expect(await chat(client, 'hei')).toMatchObject({ reply: `Hei fra ${flavor}`, error: undefined });
  });

  it('goes on with the same history on a second gateway that shares SESSION_SECRET, starting nothing again', async () => {
    const other = await startTestGateway(openAiEnv());
    try {
      const client = await connect();
      await chat(client, 'Første spørsmål');
      await chat(client, 'Andre spørsmål');
      const token = client.frames.filter((f) => f.type === 'session').map((f) => f.token!).at(-1)!;
      client.ws.close();
      const resumed = await connect(other.chatUrl);
      resumed.send({ type: 'resume', token });
      await resumed.waitFor((f) => f.type === 'session' && f.resumed === true);
      expect(await chat(resumed, 'Tredje spørsmål')).toMatchObject({ reply: 'Du skrev: Tredje spørsmål', error: undefined });
      expect(stub.completionRequests()).toHaveLength(3);
      expect(sentMessages(2)).toEqual([
        `system: ${SYSTEM_PROMPT}`,
        'user: Første spørsmål',
        'assistant: Du skrev: Første spørsmål',
        'user: Andre spørsmål',
        'assistant: Du skrev: Andre spørsmål',
        'user: Tredje spørsmål',
      ]);
      expect(resumed.frames.filter((f) => f.type === 'reply' && f.id === undefined)).toEqual([]);
    } finally {
      await other.gateway.stop();
      await other.stub.close();
    }
  });
});

describe('openai through the gateway: vendor failures become error frames, and the chat goes on', () => {
  it('maps each kind of failure, retrying only what may be retried, with the same idempotency key', async () => {
    const client = await connect();
    const midStream = { kind: 'sse', chunks: [eventStream([...completionChunks(['Halvt svar'], { finishReason: null }).slice(0, -1), { error: { message: 'boom', type: 'server_error', code: null } }])] } as const;
    const cases = [
      ['429 with retry-after-ms, then an answer', [OPENAI_ERRORS.rateLimited({ 'retry-after-ms': '50' })], undefined, 2],
      ['429 with Retry-After in seconds, then an answer', [OPENAI_ERRORS.rateLimited({ 'retry-after': '1' })], undefined, 2],
      ['503, then an answer', [OPENAI_ERRORS.overloaded()], undefined, 2],
      ['500', [OPENAI_ERRORS.server()], 'vendor_error', 1],
      ['401', [OPENAI_ERRORS.badKey()], 'vendor_error', 1],
      ['404 model_not_found', [OPENAI_ERRORS.noModel(STUB_MODEL)], 'vendor_error', 1],
      ['429 insufficient_quota', [OPENAI_ERRORS.quota()], 'vendor_unavailable', 1],
      ['400 context_length_exceeded without history', [OPENAI_ERRORS.contextLength()], 'message_too_large', 1],
      ['an error in the middle of the stream', [midStream], 'vendor_error', 1],
    ] as const;
    for (const [name, replies, code, requests] of cases) {
      stub.reset();
      stub.vendor.script(...replies);
      const fresh = await connect();
      const result = await chat(fresh, 'hei');
      expect(result.error, name).toBe(code);
      if (code === undefined) expect(result.reply, name).toBe('Du skrev: hei');
      expect(stub.vendor.requests, name).toHaveLength(requests);
      expect(new Set(stub.vendor.requests.map((request) => request.idempotencyKey)).size, name).toBe(1);
      if (name.includes('Retry-After')) expect(stub.vendor.requests[1]!.receivedAt - stub.vendor.requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
      // The chat survives the failure: the next message is answered.
      expect((await chat(fresh, 'igjen')).error, name).toBeUndefined();
    }
    expect((await chat(client, 'til slutt')).reply).toBe('Du skrev: til slutt');
  });

  it('shows what streamed before a mid-stream failure, then the error', async () => {
    const client = await connect();
    const chunks = [...completionChunks(['Første del, ', 'andre del'], { finishReason: null }).slice(0, -1), { error: { message: 'x', code: 503 } }];
    stub.vendor.script({ kind: 'sse', chunks: [eventStream(chunks)] });
    const result = await chat(client, 'hei');
    expect(result).toMatchObject({ reply: 'Første del, andre del', error: 'vendor_error' });
    expect(stub.vendor.requests).toHaveLength(1);
  });
});

describe('openai through the gateway: nothing leaks', () => {
  it('puts no 7+ digit combination in any frame, vendor request or log line, and no vendor id in any frame', async () => {
    const client = await connect();
    stub.setResponder((messages) => ['Kunde ', contentText(messages.at(-1)!.content), ' — ring 9', '8 76 54 32 eller se https://example.no/sak/12345678']);
    await chat(client, 'fnr 010190 12345, konto 7694.05.20300, tlf +47 98 76 54 32');
    await chat(client, 'kort ４１１１ １１１１ １１１１ １１１１');
    await chat(client, 'mer');
    const frames = clients.flatMap((each) => each.frames);
    for (const frame of frames) {
      const text = JSON.stringify(frame);
      expect(isSensitive(text), text).toBe(false);
      for (const marker of VENDOR_ID_MARKERS) expect(text).not.toContain(marker);
    }
    for (const request of stub.vendor.requests) expect(isSensitive(request.rawBody), request.rawBody).toBe(false);
    for (const line of gw.logs.text().split('\n').filter((each) => each !== '')) {
      expect(countLogLineLeaks(line), line).toBe(0);
      for (const marker of VENDOR_ID_MARKERS) expect(line).not.toContain(marker);
    }
  });

  it('any reply — text, HTML, entities, links, numbers in every format, split anywhere — reaches the widget with no sensitive combination and no vendor id (property)', async () => {
    const client = await connect();
    const asEntities = formattedNumber.map((number) => Array.from(number, (ch) => (/\d/.test(ch) ? `&#${ch.codePointAt(0)};` : ch)).join(''));
    const inTags = fc.tuple(formattedNumber, fc.constantFrom('b', 'i', 'span', 'strong')).map(([number, tag]) => {
      const middle = Math.floor(number.length / 2);
      return `${number.slice(0, middle)}<${tag}>${number.slice(middle)}</${tag}>`;
    });
    const link = formattedNumber.map((number) => `<a href="https://example.no/?ref=${encodeURIComponent(number)}">https://example.no/sak/${number}</a>`);
    const piece = fc.oneof(chatText, formattedNumber, asEntities, inTags, link, fc.constantFrom('<p>', '</p>', '<br>', '&nbsp;', ' '));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), rawCuts(8), async (pieces, cuts) => {
        const deltas = cutAt(pieces.join(''), cuts).filter((delta) => delta !== '');
        stub.vendor.script(completionReply(deltas));
        const result = await chat(client, 'hei');
        expect(result.error).toBeUndefined();
        expect(isSensitive(result.reply), result.reply).toBe(false);
        // Markup left in would hide a number from the policy yet show it to the reader.
        expect(result.reply).not.toMatch(MARKUP);
        for (const frame of result.frames) for (const marker of VENDOR_ID_MARKERS) expect(JSON.stringify(frame)).not.toContain(marker);
      }),
      { numRuns: 40 },
    );
  });
});
