import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formattedNumber } from '../support/arbitraries.js';
import { STUB_SECRET, startDirectLineStub, watermarkOf, type BotStep, type DirectLineStub } from '../support/directline-stub.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { connectClient, type Frame, type TestClient } from '../support/ws-client.js';

const SESSION_SECRET = 'directline-integration-secret-0123456789-abcdef';
type ActionFrame = { id: string; label: string; url?: string };
type ReplyFrame = Frame & { actions?: ActionFrame[] };

let stub: DirectLineStub;
let gw: RunningGateway;
let client: TestClient;
let seq = 0;

/** The judge of every leak check: the independent reference, never the engine. */
const holdsSensitive = (text: string): boolean => countLeaks(text) > 0;

/** A bot that answers with `steps`, its last message a prompt (`expectingInput`) so the reply ends at once. */
const answerWith = (...steps: BotStep[]) => () => steps.map((step, k) => (k === steps.length - 1 ? { inputHint: 'expectingInput', ...step } : step));

function startGateway(): Promise<RunningGateway> {
  return startTestGateway({ VENDOR_KIND: 'directline', VENDOR_URL: stub.url, VENDOR_TOKEN: STUB_SECRET, SESSION_SECRET });
}

beforeAll(async () => {
  stub = await startDirectLineStub();
  gw = await startGateway();
});
afterAll(async () => {
  await gw.stop();
  await stub.close();
});
beforeEach(async () => {
  client?.ws.close();
  stub.reset();
  stub.bot = answerWith({ text: 'ok' });
  client = await connectClient(gw.chatUrl);
});

/** Send a message (or a click) and wait for its final reply or its error. */
async function send(frame: { text: string } | { action: string }, on: TestClient = client) {
  const id = `m${seq++}`;
  on.send('text' in frame ? { type: 'message', id, ...frame } : { type: 'action', id, ...frame });
  const end = await on.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
  const replies = on.frames.filter((f) => f.id === id && f.type === 'reply') as ReplyFrame[];
  return { text: replies.map((f) => f.text).join(''), actions: replies.flatMap((f) => f.actions ?? []), error: end.type === 'error' ? end.code : undefined };
}

/** Every id, watermark and token prefix the vendor used: none may reach the widget. */
function vendorIds(): string[] {
  return [...stub.conversations.values()].flatMap((c) => [c.id, ...c.history.map((a) => String(a.id)), ...c.history.map((_, k) => watermarkOf(k + 1))]).concat('dlt.', 'bot-7734521980');
}

function expectNoVendorIdIn(frames: readonly Frame[]): void {
  const text = JSON.stringify(frames);
  for (const id of vendorIds()) expect(text).not.toContain(id);
}

describe('direct line through the gateway: the conversation', () => {
  it('shows the greeting, and a multi-turn chat is one conversation at the vendor, with the conversation token', async () => {
    client.ws.close();
    stub.greeting = [{ text: 'Hei! Jeg er **Testbot**.' }];
    client = await connectClient(gw.chatUrl);
    const greeting = await client.waitFor((f) => f.type === 'reply' && f.id === undefined);
    expect(greeting).toMatchObject({ text: 'Hei! Jeg er Testbot.', final: true });
    for (const text of ['første', 'andre', 'tredje']) expect(await send({ text })).toMatchObject({ text: 'ok', error: undefined });
    expect(stub.requestsOf('POST', '/conversations')).toHaveLength(1);
    const posts = stub.requestsOf('POST', '/activities');
    const [conversation] = [...stub.conversations.values()].slice(-1);
    expect(posts.map((r) => r.path)).toEqual(Array(3).fill(`/v3/directline/conversations/${conversation!.id}/activities`));
    expect(posts.map((r) => (r.body as { text: string }).text)).toEqual(['første', 'andre', 'tredje']);
    expect(stub.requestsOf('POST', '/conversations')[0]!.authorization).toBe(`Bearer ${STUB_SECRET}`);
    expect(posts.every((r) => r.authorization !== `Bearer ${STUB_SECRET}` && r.authorization?.startsWith('Bearer dlt.'))).toBe(true);
    const from = (posts[0]!.body as { from: { id: string } }).from.id;
    expect(from).toMatch(/^user-[a-z]+$/);
    expect(new Set(posts.map((r) => (r.body as { from: { id: string } }).from.id))).toEqual(new Set([from]));
    expectNoVendorIdIn(client.frames);
  });

  it('ends a reply of several messages after a quiet second, keeps the messages apart, and skips the echo', async () => {
    stub.bot = () => [{ text: 'Første melding.' }, { type: 'typing', delayMs: 20 }, { text: 'Andre melding.', delayMs: 40 }];
    const started = performance.now();
    const reply = await send({ text: 'hei' });
    expect(reply).toEqual({ text: 'Første melding.\n\nAndre melding.', actions: [], error: undefined });
    expect(performance.now() - started).toBeGreaterThan(900);
    expect(client.frames.filter((f) => f.type === 'reply' && f.text?.includes('hei'))).toEqual([]);
  });

  it('relays a proactive message as a reply without id', async () => {
    await send({ text: 'hei' });
    const [conversation] = [...stub.conversations.values()].slice(-1);
    stub.send(conversation!.id, { text: 'Saken din er oppdatert.' });
    await client.waitFor((f) => f.type === 'reply' && f.id === undefined && f.text === 'Saken din er oppdatert.');
  });
});

describe('direct line through the gateway: rich replies', () => {
  it('maps suggested actions and hero card buttons to actions, and sends each click as Web Chat would', async () => {
    stub.bot = answerWith({
      text: 'Velg:',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: { title: 'Faktura', subtitle: 'Forfall snart', text: 'Beløp *1 250* kr', buttons: [{ type: 'openUrl', title: 'Åpne', value: 'https://bank.example.no/faktura' }, { type: 'postBack', title: 'Betal', value: { action: 'pay', invoice: 'INV-5521904417' } }] },
        },
      ],
      suggestedActions: { actions: [{ type: 'imBack', title: 'Ja', value: 'ja takk' }, { type: 'messageBack', title: 'Nei', text: 'nei', value: { answer: 'no' }, displayText: 'Nei takk' }, { type: 'call', title: 'Ring', value: 'tel:+4721496000' }] },
    });
    const reply = await send({ text: 'faktura' });
    expect(reply.text).toBe('Velg:\nFaktura\nForfall snart\nBeløp 1 250 kr');
    expect(reply.actions.map((a) => [a.label, a.url])).toEqual([['Åpne', 'https://bank.example.no/faktura'], ['Betal', undefined], ['Ja', undefined], ['Nei', undefined]]);
    expect(reply.actions.every((a) => /^[a-z]{12}$/.test(a.id))).toBe(true);
    stub.bot = answerWith({ text: 'mottatt' });
    for (const label of ['Betal', 'Ja', 'Nei']) expect((await send({ action: reply.actions.find((a) => a.label === label)!.id })).text).toBe('mottatt');
    const clicks = stub.requestsOf('POST', '/activities').slice(-3).map((r) => r.body as Record<string, unknown>);
    expect(clicks[0]).toMatchObject({ type: 'message', value: { action: 'pay', invoice: 'INV-5521904417' }, channelData: { postBack: true } });
    expect(clicks[1]).toMatchObject({ type: 'message', text: 'ja takk' });
    expect(clicks[2]).toMatchObject({ type: 'message', text: 'nei', value: { answer: 'no' }, channelData: { messageBack: { displayText: 'Nei takk' } } });
    expect((await send({ action: 'unknownaction' })).error).toBe('unknown_action');
  });

  it('reads a number split across HTML tags, entities and markdown as one number', async () => {
    stub.bot = answerWith(
      { text: '<p>Ring 21 <b>49</b> 60&nbsp;00</p><p>Konto 7694<i>.</i>05&#46;20300</p>', textFormat: 'xml' },
      { text: 'Kort **4111** 1111 _1111_ 1111 &amp; mer' },
      { text: 'Rå <b>12</b>34567', textFormat: 'plain' },
    );
    const reply = await send({ text: 'nummer?' });
    expect(reply.text).toBe('Ring \n\nKonto \n\nKort  & mer\n\nRå <b>12</b>34567');
    expect(holdsSensitive(reply.text)).toBe(false);
  });
});

describe('direct line through the gateway: vendor failures', () => {
  it('retries 429 (Retry-After) and 503 with the same clientActivityID', async () => {
    stub.fail('post', { status: 429, code: 'TooManyRequests', retryAfter: '0' }, { status: 503, code: 'ServiceUnavailable' });
    expect(await send({ text: 'hei' })).toMatchObject({ text: 'ok', error: undefined });
    const ids = stub.requestsOf('POST', '/activities').map((r) => (r.body as { channelData: { clientActivityID: string } }).channelData.clientActivityID);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it.each([
    [{ status: 502, code: 'BotError', message: 'Failed to send activity: bot returned an error' }, 'vendor_unavailable'],
    [{ status: 400, code: 'MissingProperty', message: 'Invalid activity' }, 'vendor_error'],
    [{ status: 500, code: 'ServiceError', message: 'Internal error' }, 'vendor_error'],
  ])('a post answered %o is not resent and becomes %s', async (failure, code) => {
    await send({ text: 'første' });
    stub.requests.length = 0;
    stub.fail('post', failure);
    expect((await send({ text: 'hei' })).error).toBe(code);
    expect(stub.requestsOf('POST', '/activities')).toHaveLength(1);
    expect(await send({ text: 'igjen' })).toMatchObject({ text: 'ok' });
  });

  it('a refused start leaves the chat usable: the next message starts the conversation', async () => {
    client.ws.close();
    stub.fail('start', { status: 403, code: 'BadArgument', message: 'Invalid token or secret' });
    client = await connectClient(gw.chatUrl);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await send({ text: 'hei' })).toMatchObject({ text: 'ok', error: undefined });
    expect(stub.requestsOf('POST', '/conversations')).toHaveLength(2);
  });

  it('a bot that never answers: vendor_timeout; its late answer comes on its own', async () => {
    stub.bot = () => [{ text: 'sent svar', delayMs: 2_300 }];
    expect((await send({ text: 'hei' })).error).toBe('vendor_timeout');
    await client.waitFor((f) => f.type === 'reply' && f.id === undefined && f.text === 'sent svar');
  });
});

describe('direct line through the gateway: sessions', () => {
  it('resumes on a second gateway with the same vendor conversation, and shows what the bot said meanwhile', async () => {
    await send({ text: 'hei' });
    const token = client.frames.filter((f) => f.type === 'session').at(-1) as Frame & { token: string };
    const [conversation] = [...stub.conversations.values()].slice(-1);
    client.ws.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    stub.send(conversation!.id, { text: 'Mens du var borte' });
    stub.requests.length = 0;
    const second = await startGateway();
    try {
      const resumed = await connectClient(second.chatUrl);
      resumed.send({ type: 'resume', token: token.token });
      await resumed.waitFor((f) => f.type === 'session' && (f as { resumed?: boolean }).resumed === true);
      await resumed.waitFor((f) => f.type === 'reply' && f.id === undefined && f.text === 'Mens du var borte');
      expect(await send({ text: 'fortsatt her' }, resumed)).toMatchObject({ text: 'ok' });
      expect(stub.requestsOf('POST', '/conversations')).toHaveLength(0);
      expect(stub.requestsOf('GET', `/conversations/${conversation!.id}`)).toHaveLength(1);
      expect(stub.requestsOf('POST', '/activities').at(-1)!.path).toContain(conversation!.id);
      expectNoVendorIdIn(resumed.frames);
      resumed.ws.close();
    } finally {
      await second.stop();
    }
  });
});

describe('direct line through the gateway: nothing leaks', () => {
  it('any reply with numbers in any format reaches the widget without a sensitive number or a vendor id (property)', async () => {
    const piece = fc.oneof(fc.constantFrom('Hei', 'konto', 'ring', '<b>', '</b>', '**', '_', '&nbsp;', ' ', '\n'), formattedNumber);
    const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
    await fc.assert(
      fc.asyncProperty(text, text, formattedNumber, fc.constantFrom('xml', 'markdown', 'plain'), async (body, label, number, textFormat) => {
        stub.bot = answerWith({
          text: body,
          textFormat,
          attachments: [{ contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: label, buttons: [{ type: 'openUrl', title: label, value: `https://bank.example.no/sak/${number}` }] } }],
          suggestedActions: { actions: [{ type: 'imBack', title: `${label} ${number}`, value: number }] },
        });
        const reply = await send({ text: `mitt nummer er ${number}` });
        expect(reply.error).toBeUndefined();
        expect(holdsSensitive(reply.text)).toBe(false);
        for (const action of reply.actions) expect(holdsSensitive(action.label) || holdsSensitive(decodeURIComponent(action.url ?? ''))).toBe(false);
      }),
      { numRuns: 25, interruptAfterTimeLimit: 20_000 },
    );
    expectNoVendorIdIn(client.frames);
    for (const frame of client.frames.filter((f) => f.type !== 'session')) expect(holdsSensitive(JSON.stringify(frame))).toBe(false);
    for (const request of stub.requests) expect(holdsSensitive(JSON.stringify(request.body ?? ''))).toBe(false);
    for (const line of gw.logs.lines()) expect(countLogLineLeaks(line), JSON.stringify(line)).toBe(0);
  });
});
