import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formattedNumber } from '../support/arbitraries.js';
import {
  LINKS,
  MAX_INPUT_CHARS,
  boostError,
  htmlElement,
  linksElement,
  startBoostStub,
  textElement,
  type BoostElement,
  type BoostStub,
} from '../support/boost-stub.js';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { connectClient, type Frame, type TestClient } from '../support/ws-client.js';

/** A frame with what the Frame type of the client leaves out. */
type FullFrame = Frame & { actions?: { id: string; label: string; url?: string }[]; token?: string; resumed?: boolean };

const SESSION_SECRET = 'boost-integration-secret-of-enough-letters';
/** The SDKs' poll interval, which the gateway uses: a POLL comes this long after the last answer. */
const POLL_MS = 2_500;

let boost: BoostStub;
let gw: RunningGateway;
let other: RunningGateway;
let seq = 0;
const clients: TestClient[] = [];

beforeAll(async () => {
  boost = await startBoostStub();
  const env = { VENDOR_KIND: 'boost', VENDOR_URL: boost.baseUrl, SESSION_SECRET };
  [gw, other] = await Promise.all([startTestGateway(env), startTestGateway(env)]);
});
afterAll(async () => {
  await Promise.all([gw.stop(), other.stop()]);
  await boost.close();
});
beforeEach(() => {
  boost.reset();
});
afterEach(async () => {
  // A chat left open would go on polling into the next test.
  for (const client of clients.splice(0)) {
    client.ws.close();
    await client.closed;
  }
});

async function connect(gateway: RunningGateway = gw): Promise<TestClient> {
  const client = await connectClient(gateway.chatUrl);
  clients.push(client);
  return client;
}

const framesOf = (client: TestClient): FullFrame[] => client.frames as FullFrame[];
const isEnd = (id: string) => (f: Frame) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error');
const commandsNamed = (name: string) => boost.commands().filter((command) => command.command === name);
const waitMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Send one message (or, with `action`, a click); resolve with the reply text, its actions and its error code. */
async function send(client: TestClient, input: { text: string } | { action: string }): Promise<{ id: string; reply: string; actions: FullFrame['actions']; error?: string }> {
  const id = `b${seq++}`;
  client.send('text' in input ? { type: 'message', id, text: input.text } : { type: 'action', id, action: input.action });
  const end = await client.waitFor(isEnd(id), 8_000);
  const replies = framesOf(client).filter((f) => f.id === id && f.type === 'reply');
  return { id, reply: replies.map((f) => f.text).join(''), actions: replies.flatMap((f) => f.actions ?? []), ...(end.type === 'error' && { error: end.code! }) };
}

/** The greeting: the first reply frame without an id. */
const greetingOf = (client: TestClient): Promise<FullFrame> => client.waitFor((f) => f.type === 'reply' && f.id === undefined, 5_000) as Promise<FullFrame>;
const actionNamed = (frame: FullFrame, label: string): string => frame.actions!.find((action) => action.label === label)!.id;

/** Every id Boost handed out: the conversations', the responses' and the links'. */
const vendorIds = (): string[] => [...boost.conversationIds(), ...boost.responseIds(), ...Object.values(LINKS).map((link) => link.id)];

/** No frame holds a sensitive number or one of Boost's ids; every action id is opaque. */
function expectCleanFrames(frames: readonly FullFrame[]): void {
  const ids = vendorIds();
  for (const frame of frames) {
    const json = JSON.stringify(frame);
    expect(countLeaks(json)).toBe(0);
    for (const id of ids) expect(json).not.toContain(id);
    for (const action of frame.actions ?? []) expect(action.id).toMatch(/^[a-z]{12}$/);
  }
}

describe('Boost through the real gateway and a real ws client', () => {
  it('the greeting START returns reaches the widget, links as opaque actions, Boost’s ids nowhere', async () => {
    const client = await connect();
    const greeting = await greetingOf(client);
    expect(greeting).toMatchObject({ type: 'reply', text: 'Hei! Jeg er Boost-boten. Ikke del personnummer\u00a0her.', final: true });
    expect(greeting.actions!.map(({ label, url }) => ({ label, url }))).toEqual([
      { label: 'Faktura', url: undefined },
      { label: 'Snakk med en rådgiver', url: undefined },
      { label: 'Personvern', url: 'https://www.boost.ai/privacy-policy' },
    ]);
    expect(boost.commands()).toEqual([{ command: 'START', clean: true }]);
    expectCleanFrames(framesOf(client));
  });

  it('a conversation of several messages is one conversation at Boost, and Boost gets only redacted text', async () => {
    const client = await connect();
    const first = await send(client, { text: 'Mitt fnr er 010190 12345' });
    const second = await send(client, { text: 'og telefon +47 98 76 54 32' });
    expect([first.reply, second.reply]).toEqual(['Du skrev: Mitt fnr er', 'Du skrev: og telefon +']);
    const [conversationId] = boost.conversationIds();
    expect(boost.conversationIds()).toHaveLength(1);
    expect(commandsNamed('POST')).toEqual([
      { command: 'POST', type: 'text', value: 'Mitt fnr er ', conversation_id: conversationId, clean: true },
      { command: 'POST', type: 'text', value: 'og telefon +', conversation_id: conversationId, clean: true },
    ]);
    expectCleanFrames(framesOf(client));
  });

  it('a click sends Boost the link id; the HTML answer’s number, split by tags and entities, is deleted whole', async () => {
    const client = await connect();
    const greeting = await greetingOf(client);
    const clicked = await send(client, { action: actionNamed(greeting, 'Faktura') });
    expect(framesOf(client).find((f) => f.type === 'ack' && f.id === clicked.id)).toMatchObject({ text: 'Faktura', redactions: 0 });
    expect(commandsNamed('POST')).toEqual([{ command: 'POST', type: 'action_link', id: LINKS.invoice.id, conversation_id: boost.conversationIds()[0], clean: true }]);
    expect(clicked.reply).toBe('Betal til konto , KID .');
    expect((await send(client, { action: 'zzzzzzzzzzzz' })).error).toBe('unknown_action');
    expectCleanFrames(framesOf(client));
  });

  it('a message longer than max_input_chars is refused with message_too_large before it is acked', async () => {
    const client = await connect();
    await greetingOf(client);
    const refused = await send(client, { text: 'x'.repeat(MAX_INPUT_CHARS + 1) });
    expect(refused.error).toBe('message_too_large');
    expect(framesOf(client).some((f) => f.type === 'ack' && f.id === refused.id)).toBe(false);
    expect((await send(client, { text: 'x'.repeat(MAX_INPUT_CHARS) })).error).toBeUndefined();
    expect(commandsNamed('POST')).toHaveLength(1);
  });
});

describe('Boost’s failures become error frames', () => {
  it('429 with Retry-After and 503 are waited out and sent again; the reply comes', async () => {
    const client = await connect();
    await greetingOf(client);
    boost.http.script(boostError(429, 'Too many requests', 1));
    const started = performance.now();
    expect((await send(client, { text: 'hei' })).reply).toBe('Du skrev: hei');
    expect(performance.now() - started).toBeGreaterThanOrEqual(980);
    boost.http.script({ kind: 'raw', status: 503, contentType: 'text/html', body: '<html>503 Service Temporarily Unavailable</html>' });
    expect((await send(client, { text: 'igjen' })).reply).toBe('Du skrev: igjen');
    expect(commandsNamed('POST').map((command) => command.value)).toEqual(['hei', 'hei', 'igjen', 'igjen']);
  });

  it('400 and 500 with Boost’s error body are vendor_error; 502 on a POST is vendor_unavailable and not resent', async () => {
    const client = await connect();
    await greetingOf(client);
    boost.http.script(boostError(400, 'Invalid request 4711'), boostError(500, 'Internal server error'), boostError(502, 'Bad gateway'));
    const results = [await send(client, { text: 'en' }), await send(client, { text: 'to' }), await send(client, { text: 'tre' })];
    expect(results.map((result) => result.error)).toEqual(['vendor_error', 'vendor_error', 'vendor_unavailable']);
    expect(commandsNamed('POST')).toHaveLength(3);
    const messages = framesOf(client).filter((f) => f.type === 'error').map((f) => f.message);
    for (const message of messages) expect(message).not.toMatch(/Invalid request|Internal server|Bad gateway/);
    expect(await readMetric(gw.httpUrl, 'chat_redact_vendor_requests_total{vendor="boost",outcome="error"}')).toBeGreaterThanOrEqual(2);
  });
});

describe('human chat: POLL while state.poll is true', () => {
  it('relays the agent’s messages, redacted, until the agent ends the chat; then polling stops', async () => {
    const client = await connect();
    const greeting = await greetingOf(client);
    expect((await send(client, { action: actionNamed(greeting, 'Snakk med en rådgiver') })).reply).toBe('Du er satt i kø til en rådgiver.');
    const [id] = boost.conversationIds();
    boost.agentWrites(id!, htmlElement('<p>Hei, jeg heter Kari. Ring meg på <b>22 33</b> 44&nbsp;55.</p>'));
    const agent = await client.waitFor((f) => f.type === 'reply' && f.id === undefined && f.text !== greeting.text, POLL_MS + 2_000);
    expect(agent).toMatchObject({ text: 'Hei, jeg heter Kari. Ring meg på .', final: true, from: 'agent' });
    // What the user writes now goes to the agent; Boost answers it with nothing but its posted_id.
    const toAgent = await send(client, { text: 'Hei Kari, kundenummer 1234567' });
    expect([toAgent.reply, toAgent.error]).toEqual(['', undefined]);
    boost.endHumanChat(id!);
    await client.waitFor((f) => f.type === 'reply' && f.text === 'Rådgiveren har avsluttet chatten.', POLL_MS + 2_000);
    const polled = commandsNamed('POLL');
    expect(polled[0]).toEqual({ command: 'POLL', conversation_id: id, value: '1683980', clean: true });
    await waitMs(POLL_MS + 300);
    expect(commandsNamed('POLL')).toHaveLength(polled.length);
    // The user's own message, which POLL brings back as `source: client`, was not echoed.
    expect(framesOf(client).filter((f) => f.type === 'reply' && f.id === undefined).map((f) => f.text)).toEqual([
      greeting.text,
      'Hei, jeg heter Kari. Ring meg på .',
      'Rådgiveren har avsluttet chatten.',
    ]);
    expectCleanFrames(framesOf(client));
  });

  it('stops polling when the widget goes away', async () => {
    const client = await connect();
    const greeting = await greetingOf(client);
    await send(client, { action: actionNamed(greeting, 'Snakk med en rådgiver') });
    client.ws.close();
    await client.closed;
    await waitMs(POLL_MS + 500);
    expect(commandsNamed('POLL')).toHaveLength(0);
  });
});

describe('a resumed chat goes on with the same Boost conversation, on another gateway', () => {
  const latestToken = (client: TestClient): string => framesOf(client).filter((f) => f.type === 'session').at(-1)!.token!;

  it('no second START; the next message reaches the same conversation', async () => {
    const first = await connect(gw);
    await send(first, { text: 'hei' });
    const token = latestToken(first);
    first.ws.close();
    const second = await connect(other);
    second.send({ type: 'resume', token });
    await second.waitFor((f) => (f as FullFrame).type === 'session' && (f as FullFrame).resumed === true);
    expect((await send(second, { text: 'er du der fortsatt?' })).reply).toBe('Du skrev: er du der fortsatt?');
    expect(commandsNamed('START')).toHaveLength(1);
    expect(new Set(commandsNamed('POST').map((command) => command.conversation_id))).toEqual(new Set(boost.conversationIds()));
    expect(framesOf(second).some((f) => f.type === 'reply' && f.id === undefined)).toBe(false);
  });

  it('a human chat resumed elsewhere polls again at once, for what the agent wrote meanwhile', async () => {
    const first = await connect(gw);
    const greeting = await greetingOf(first);
    await send(first, { action: actionNamed(greeting, 'Snakk med en rådgiver') });
    const token = latestToken(first);
    first.ws.close();
    await first.closed;
    boost.agentWrites(boost.conversationIds()[0]!, textElement('Er du fortsatt der?'));
    const second = await connect(other);
    second.send({ type: 'resume', token });
    const agent = await second.waitFor((f) => f.type === 'reply' && f.id === undefined, 1_500);
    expect(agent.text).toBe('Er du fortsatt der?');
    expect(commandsNamed('START')).toHaveLength(1);
    second.ws.close();
  });
});

/** A reply of generated Boost elements: texts, HTML with tags inside numbers, links with numbers in labels and URLs. */
const numbered = fc.tuple(fc.constantFrom('Ring', 'Konto', 'KID', 'Saksnr', ''), formattedNumber).map(([word, number]) => `${word} ${number}`);
const inside = fc.constantFrom('', '<b>', '</b>', '<i>', '</i>', '<span>', '</span>', '&nbsp;', '&#8203;', '<br>');
const element: fc.Arbitrary<BoostElement> = fc.oneof(
  numbered.map((text) => textElement(`Svar: ${text}`)),
  fc.tuple(numbered, fc.array(inside, { minLength: 8, maxLength: 8 })).map(([text, tags]) =>
    htmlElement(`<p>Svar: ${Array.from(text).map((ch, index) => ch + (tags[index % tags.length] ?? '')).join('')}</p>`),
  ),
  fc
    .array(
      fc.record({
        label: numbered,
        external: fc.boolean(),
        path: fc.oneof(fc.constant('faktura'), formattedNumber),
        id: fc.integer({ min: 10_000_000, max: 99_999_999 }).map(String),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((links) =>
      linksElement(
        ...links.map(({ label, external, path, id }) =>
          external ? { id, text: label, type: 'external_link', url: `https://www.example.no/${path}?ref=${path}` } : { id, text: label, type: 'action_link' },
        ),
      ),
    ),
);

describe('property: any Boost reply reaches the widget with no sensitive number and no Boost id', () => {
  it('texts, HTML, labels and URLs with numbers in every format', async () => {
    const client = await connect();
    await greetingOf(client);
    await fc.assert(
      fc.asyncProperty(fc.array(element, { minLength: 1, maxLength: 4 }), async (elements) => {
        boost.answerTextWith(() => elements);
        const { id, reply, error } = await send(client, { text: 'hei' });
        expect(error).toBeUndefined();
        if (elements.some((e) => e.type !== 'links')) expect(reply).toContain('Svar:');
        const frames = framesOf(client).filter((f) => f.id === id);
        expectCleanFrames(frames);
        const linkIds = elements.flatMap((e) => (e.type === 'links' ? (e.payload.links as { id: string }[]).map((link) => link.id) : []));
        for (const frame of frames) for (const linkId of linkIds) expect(JSON.stringify(frame)).not.toContain(linkId);
      }),
      { numRuns: 100 },
    );
    // What went to Boost and into the logs meanwhile is clean too.
    for (const command of commandsNamed('POST')) expect(countLeaks(String(command.value))).toBe(0);
    for (const line of gw.logs.lines()) expect(countLogLineLeaks(line)).toBe(0);
  });
});

describe('nothing leaks anywhere', () => {
  it('Boost requests carry Boost’s ids exactly as Boost gave them and no sensitive user text; logs are clean', async () => {
    const client = await connect();
    const greeting = await greetingOf(client);
    await send(client, { text: 'fnr 010190 12345, konto 7694.05.20300' });
    await send(client, { action: actionNamed(greeting, 'Faktura') });
    const [conversationId] = boost.conversationIds();
    for (const command of boost.commands().slice(1)) {
      expect(command.conversation_id).toBe(conversationId);
      expect(countLeaks(String(command.value ?? ''))).toBe(0);
    }
    expect(boost.commands()[2]!.id).toBe(LINKS.invoice.id);
    for (const gateway of [gw, other]) for (const line of gateway.logs.lines()) expect(countLogLineLeaks(line)).toBe(0);
    expectCleanFrames(framesOf(client));
  });
});
