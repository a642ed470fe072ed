import type { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Chatbot, ChatbotConversation, ReplyPart } from '../../src/chatbot/chatbot.js';
import { createDirectLineChatbot, directLineApiUrl, type DirectLineOptions } from '../../src/chatbot/directline.js';
import { createVendorClient } from '../../src/chatbot/vendor-client.js';
import { createVendorEgress, type VendorEgress } from '../../src/chatbot/vendor-egress.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { redact, type RedactedText } from '../../src/redact/index.js';
import { STUB_SECRET, startDirectLineStub, watermarkOf, type DirectLineStub } from '../support/directline-stub.js';
import { FAST_RETRY, expectFailure, readOutcomes } from './adapter-harness.js';

let stub: DirectLineStub;
let chatbot: Chatbot;
let metrics: Metrics;
let seq = 0;

beforeAll(async () => {
  stub = await startDirectLineStub();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
  stub.bot = () => [{ text: 'ok', inputHint: 'expectingInput' }];
  chatbot = createAdapter();
});
afterEach(async () => {
  await chatbot.close();
});

function createAdapter(options: DirectLineOptions = {}, timeoutMs = 2_000, egress?: VendorEgress): Chatbot {
  metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const logger = createLogger({ level: 'silent', scrub: (text) => redact(text).text });
  const client = createVendorClient({ kind: 'directline', token: STUB_SECRET, timeoutMs, metrics, logger, retry: FAST_RETRY, ...(egress !== undefined && { egress }) });
  return createDirectLineChatbot(client, stub.url, logger, { quietMs: 100, typingQuietMs: 300, reconnectDelayMs: 20, ...options });
}

/** A conversation and what the bot said on its own in it. */
function open(state?: unknown): { conversation: ChatbotConversation; unsolicited: ReplyPart[][] } {
  const unsolicited: ReplyPart[][] = [];
  const conversation = chatbot.open({ conversationId: 'abcdefghij', ...(state !== undefined && { state }), onMessage: (parts) => void unsolicited.push([...parts]) });
  return { conversation, unsolicited };
}

async function start(conversation: ChatbotConversation): Promise<void> {
  for await (const _ of conversation.start(new AbortController().signal)) throw new Error('start yields nothing');
}

/** The reply's text, or its error. */
async function ask(conversation: ChatbotConversation, text: string): Promise<{ text: string; error?: unknown; ms: number }> {
  const started = performance.now();
  let reply = '';
  try {
    for await (const part of conversation.reply({ kind: 'text', messageId: `m${seq++}`, text: text as RedactedText }, new AbortController().signal)) {
      if (part.type === 'text') reply += part.text;
    }
    return { text: reply, ms: performance.now() - started };
  } catch (error) {
    return { text: reply, error, ms: performance.now() - started };
  }
}

const lastConversation = () => [...stub.conversations.values()].at(-1)!;
const texts = (unsolicited: ReplyPart[][]) => unsolicited.flat().flatMap((part) => (part.type === 'text' ? [part.text] : []));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  for (const started = Date.now(); !check(); await sleep(10)) if (Date.now() - started > timeoutMs) throw new Error('timed out');
}

describe('direct line adapter: the end of a reply', () => {
  it('ends at once on expectingInput, after the quiet window otherwise, and later after a typing activity', async () => {
    // Windows wide enough that "at once" and "after the window" stay apart on a loaded machine.
    await chatbot.close();
    chatbot = createAdapter({ quietMs: 400, typingQuietMs: 1_200 });
    const { conversation } = open();
    await start(conversation);
    await ask(conversation, 'warm-up');
    const prompt = await ask(conversation, 'a');
    expect(prompt).toMatchObject({ text: 'ok' });
    expect(prompt.ms).toBeLessThan(350);
    stub.bot = () => [{ text: 'en' }, { type: 'typing' }];
    const typed = await ask(conversation, 'b');
    expect(typed.text).toBe('en');
    expect(typed.ms).toBeGreaterThanOrEqual(1_190);
    stub.bot = () => [{ text: 'to' }];
    const quiet = await ask(conversation, 'c');
    expect(quiet.ms).toBeGreaterThanOrEqual(395);
    expect(quiet.ms).toBeLessThan(1_190);
  });

  it('passes on what comes after the reply, or answers another message, as messages of their own', async () => {
    const { conversation, unsolicited } = open();
    await start(conversation);
    await ask(conversation, 'warm-up');
    stub.bot = (activity) => [{ text: 'svar' }, { text: 'annet', replyToId: `${String(activity.id)}x` }, { text: 'etterpå', delayMs: 250, afterAnswer: true }];
    expect((await ask(conversation, 'a')).text).toBe('svar');
    await until(() => unsolicited.length === 2);
    expect(texts(unsolicited)).toEqual(['annet', 'etterpå']);
  });

  it('gives vendor_timeout when the bot says nothing within the budget, and shows the late answer on its own', async () => {
    await chatbot.close();
    chatbot = createAdapter({}, 400);
    const { conversation, unsolicited } = open();
    stub.bot = () => [{ text: 'sent', delayMs: 600 }];
    expectFailure((await ask(conversation, 'a')).error, 'vendor_timeout');
    await until(() => unsolicited.length === 1);
    expect((await readOutcomes(metrics)).timeout).toBe(1);
  });
});

describe('direct line adapter: tokens', () => {
  it('refreshes the conversation token at half its life and keeps the new one in the session state', async () => {
    stub.tokenLifetimeSeconds = 2;
    const { conversation } = open();
    await start(conversation);
    const first = (conversation.saveState(4_096) as { t: string }).t;
    await until(() => stub.requestsOf('POST', '/tokens/refresh').length === 1);
    expect(stub.requestsOf('POST', '/tokens/refresh')[0]!.authorization).toBe(`Bearer ${first}`);
    await until(() => (conversation.saveState(4_096) as { t: string }).t !== first);
    await ask(conversation, 'a');
    expect(stub.requestsOf('POST', '/activities')[0]!.authorization).toBe(`Bearer ${(conversation.saveState(4_096) as { t: string }).t}`);
  });

  it('falls back to the secret when the token is refused as expired', async () => {
    const { conversation } = open();
    await start(conversation);
    stub.expireTokens();
    expect((await ask(conversation, 'a')).text).toBe('ok');
    expect(stub.requestsOf('POST', '/activities').map((r) => r.authorization?.startsWith('Bearer dlt.'))).toEqual([true, false]);
    expect(stub.requestsOf('POST', '/activities')[1]!.authorization).toBe(`Bearer ${STUB_SECRET}`);
  });
});

describe('direct line adapter: the conversation', () => {
  it('starts a new conversation when Direct Line no longer knows this one', async () => {
    const { conversation } = open({ c: 'DL999000111gone-in', w: watermarkOf(3) });
    await start(conversation);
    expect(stub.requestsOf('GET', '/conversations/DL999000111gone-in')).toHaveLength(1);
    expect(stub.requestsOf('POST', '/conversations')).toHaveLength(1);
    expect((await ask(conversation, 'a')).text).toBe('ok');
  });

  it('ignores a session state of the wrong shape and starts afresh', async () => {
    const { conversation } = open({ conversation: 'x' });
    await start(conversation);
    expect(stub.requestsOf('POST', '/conversations')).toHaveLength(1);
  });

  it('begins a new conversation after the bot ended this one', async () => {
    const { conversation } = open();
    await start(conversation);
    stub.send(lastConversation().id, { type: 'endOfConversation' });
    await sleep(50);
    await ask(conversation, 'a');
    expect(stub.requestsOf('POST', '/conversations')).toHaveLength(2);
  });

  it('fits its state into the room it gets: the token goes first, then the watermark', async () => {
    const { conversation } = open();
    await start(conversation);
    await ask(conversation, 'a');
    const full = conversation.saveState(4_096) as Record<string, unknown>;
    expect(Object.keys(full).sort()).toEqual(['c', 'e', 't', 'w']);
    const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
    expect(Object.keys(conversation.saveState(size(full) - 1) as object).sort()).toEqual(['c', 'w']);
    expect(conversation.saveState(size({ c: full.c }))).toEqual({ c: full.c });
    expect(conversation.saveState(size({ c: full.c }) - 1)).toBeUndefined();
  });

  it('counts each reply once in the vendor metrics, and a 502 to a post once as unavailable', async () => {
    const { conversation } = open();
    await ask(conversation, 'a');
    stub.fail('post', { status: 502, code: 'BotError', message: 'Failed to send activity: bot timed out' });
    expectFailure((await ask(conversation, 'b')).error, 'vendor_unavailable');
    expect(await readOutcomes(metrics)).toMatchObject({ ok: 1, unavailable: 1, retried: 0 });
  });
});

describe('direct line adapter: the stream', () => {
  it('renews a dropped stream with the watermark and passes on what it missed exactly once', async () => {
    const { conversation, unsolicited } = open();
    await start(conversation);
    await ask(conversation, 'a');
    stub.dropStreams();
    stub.send(lastConversation().id, { text: 'mens strømmen var nede' });
    await until(() => unsolicited.length === 1);
    await sleep(100);
    expect(texts(unsolicited)).toEqual(['mens strømmen var nede']);
    const renewals = stub.requestsOf('GET', `/conversations/${lastConversation().id}`);
    expect(renewals.map((r) => r.path.split('?')[1])).toEqual([`watermark=${watermarkOf(2)}`]);
    expect((await ask(conversation, 'b')).text).toBe('ok');
  });

  it('lets the stream go when another connection takes the conversation over', async () => {
    const { conversation } = open();
    await start(conversation);
    const taken = open(conversation.saveState(4_096));
    await start(taken.conversation);
    await sleep(200);
    expect(stub.requestsOf('GET', `/conversations/${lastConversation().id}`)).toHaveLength(1);
    stub.send(lastConversation().id, { text: 'til den nye' });
    await until(() => taken.unsolicited.length === 1);
    taken.conversation.close();
  });

  it('polls GET …/activities while a reply is awaited when no stream can be opened', async () => {
    stub.acceptStreams = false;
    const { conversation } = open();
    await start(conversation);
    expect((await ask(conversation, 'a')).text).toBe('ok');
    const polls = stub.requestsOf('GET', '/activities');
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((r) => r.authorization?.startsWith('Bearer dlt.'))).toBe(true);
  });
});

describe('direct line adapter: addresses', () => {
  it('finds the API under the service root or a URL that names it already', () => {
    expect(directLineApiUrl('https://europe.directline.botframework.com')).toBe('https://europe.directline.botframework.com/v3/directline');
    expect(directLineApiUrl('https://directline.botframework.com/v3/directline/')).toBe('https://directline.botframework.com/v3/directline');
  });
});

describe('direct line adapter: the road to the vendor', () => {
  it('sends every request and opens every stream through the client’s egress', async () => {
    const road = createVendorEgress();
    const paths: string[] = [];
    const streams: string[] = [];
    const egress: VendorEgress = {
      dispatcher: road.dispatcher.compose((dispatch) => (request, handler) => {
        paths.push(`${request.method} ${String(request.path).split('?', 1)[0]}`);
        return dispatch(request, handler);
      }),
      openWebSocket: (url, socketOptions) => {
        streams.push(new URL(url).pathname);
        return road.openWebSocket(url, socketOptions);
      },
      proxyHostOf: (url) => road.proxyHostOf(url),
      close: () => road.close(),
    };
    const adapter = createAdapter({}, 2_000, egress);
    const conversation = adapter.open({ conversationId: 'egressroad', onMessage: () => undefined });
    await start(conversation);
    expect(await ask(conversation, 'hei')).toMatchObject({ text: 'ok' });
    const id = lastConversation().id;
    expect(paths).toEqual(['POST /v3/directline/conversations', `POST /v3/directline/conversations/${id}/activities`]);
    expect(streams).toHaveLength(1);
    conversation.close();
    await adapter.close();
    // The client leaves an egress it was given open: it is whoever made it who closes it.
    expect((road.dispatcher as Agent).destroyed).toBe(false);
    await road.close();
  });
});
