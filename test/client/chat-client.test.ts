/**
 * The client library against the real gateway on a loopback port (with `ws` as its WebSocket, as
 * on Node 20): what goes over the wire, what it reports, and how it carries a conversation
 * through dropped connections and server restarts without losing or repeating a message.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ChatClient,
  createLocalRedactor,
  createMemoryStore,
  fetchWidgetPolicy,
  type ChatClientOptions,
  type SessionStore,
} from '../../src/client/index.js';
import { withResumeIntent } from '../../src/client/chat-client.js';
import { createPolicy } from '../../src/redact/index.js';
import { readMetric } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';
import { startRestartableGateway, type RestartableGateway } from '../support/restartable-gateway.js';
import { jsonReply, sseReply } from '../support/vendor-stub.js';
import { logEvents, recordingWebSocket, type EventLog, type Wire } from './client-recorder.js';

/** Synthetic numbers as people type them: a fødselsnummer with a space, a phone with dots, a card in full-width digits. */
const NATIONAL_ID = '010190 12480';
const PHONE = '915.04.738';
const CARD = '４１１１ １１１１ １１１１ １１１１';
const TYPED = `Fnr ${NATIONAL_ID}, tlf ${PHONE}, kort ${CARD} takk`;
const FAST_RECONNECT = { baseDelayMs: 60, maxDelayMs: 240 } as const;

let gw: RestartableGateway | undefined;
const clients: ChatClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await gw?.stop();
  gw = undefined;
});

interface Started {
  gw: RestartableGateway;
  client: ChatClient;
  log: EventLog;
  wire: Wire;
  store: SessionStore;
}

/** A gateway (stub or demo bot) and a connected client; `store` lets a test begin with a saved session. */
async function start(options: { demoBot?: boolean; store?: SessionStore; client?: Partial<ChatClientOptions> } = {}): Promise<Started> {
  gw = await startRestartableGateway({ demoBot: options.demoBot ?? false });
  const wire: Wire = { sent: [], received: [], urls: [] };
  const store = options.store ?? createMemoryStore();
  const client = new ChatClient({ url: gw.chatUrl, WebSocket: recordingWebSocket(wire), store, reconnect: FAST_RECONNECT, ...options.client });
  clients.push(client);
  const log = logEvents(client);
  client.connect();
  await log.waitFor('state', (event) => event.state === 'open');
  return { gw, client, log, wire, store };
}

const sentFrames = (wire: Wire): Array<Record<string, unknown>> => wire.sent.map((text) => JSON.parse(text) as Record<string, unknown>);
const sessionFrames = (wire: Wire): Array<{ token: string; resumed: boolean }> =>
  wire.received.map((text) => JSON.parse(text) as { type: string; token: string; resumed: boolean }).filter((frame) => frame.type === 'session');

describe('ChatClient', () => {
  it('opens: the notice, a session token kept in the store, the state open', async () => {
    const { client, log, store } = await start();
    await log.waitFor('session');
    expect(log.all('state').map((event) => event.state)).toEqual(['connecting', 'open']);
    expect((await log.waitFor('notice')).text).toMatch(/seven or more digits/);
    const [session] = log.all('session');
    expect(session?.resumed).toBe(false);
    expect(client.token).toBe(session?.token);
    expect(store.load()).toEqual({ token: session?.token, pending: [] });
    expect(session?.token).not.toMatch(/\p{Nd}/u);
  });

  it('redacts on the device: no number on the wire, removals by kind in the frame and the metric, the ack shows what was sent', async () => {
    const { gw, client, log, wire } = await start();
    const expected = referenceRedact(TYPED).text;
    const sent = client.send(TYPED);
    expect(sent).toEqual({ id: sent.id, text: expected, redactions: 3, removed: { national_id: 1, phone: 1, payment_card: 1 }, split: false });
    expect(sent.id).toMatch(/^m[a-z]{20}$/);

    const ack = await log.waitFor('ack');
    expect(ack).toEqual({ type: 'ack', id: sent.id, redactions: 0, text: expected });
    const reply = await log.waitFor('reply', (event) => event.final);
    expect(reply).toMatchObject({ id: sent.id, text: `echo: ${expected}`, final: true, first: true, actions: [] });

    const [message] = sentFrames(wire).filter((frame) => frame.type === 'message');
    expect(message).toEqual({ type: 'message', id: sent.id, text: expected, removed: { national_id: 1, phone: 1, payment_card: 1 } });
    for (const frame of wire.sent) expect(countLeaks(frame), frame).toBe(0);
    expect((gw.stub!.requests[0]!.body as { text: string }).text).toBe(expected);
    for (const kind of ['national_id', 'phone', 'payment_card']) {
      expect(await readMetric(gw.httpUrl, `chat_redact_widget_redactions_total{kind="${kind}"}`), kind).toBe(1);
    }
    expect(client.pending).toEqual([]);
  });

  it('writes every line break as \\n before it redacts and sends, as the gateway does', async () => {
    const { gw, client, log, wire } = await start();
    const sent = client.send('98\r76\u202854\u202932\r\nhei');
    expect(sent.text).toBe('98\n76\n54\n32\nhei');
    expect(sent.redactions).toBe(0);
    expect((await log.waitFor('ack')).text).toBe(sent.text);
    const [message] = sentFrames(wire).filter((frame) => frame.type === 'message');
    expect(message?.text).toBe(sent.text);
    await log.waitFor('reply', (event) => event.final);
    expect((gw.stub!.requests[0]!.body as { text: string }).text).toBe(sent.text);
    for (const frame of wire.sent) expect(countLeaks(frame), frame).toBe(0);
  });

  it("redacts with the gateway's own policy, read from /widget-policy.json", async () => {
    gw = await startRestartableGateway({ env: { REDACT_MIN_DIGITS: '9', REDACT_REPLACEMENT: '[fjernet]' } });
    const policy = await fetchWidgetPolicy(gw.httpUrl);
    expect({ ...policy }).toEqual({ ...createPolicy({ minDigits: 9, replacement: '[fjernet]' }) });
    const wire: Wire = { sent: [], received: [], urls: [] };
    const client = new ChatClient({ url: gw.chatUrl, WebSocket: recordingWebSocket(wire), redactor: createLocalRedactor(policy) });
    clients.push(client);
    const log = logEvents(client);
    client.connect();
    await log.waitFor('state', (event) => event.state === 'open');
    const sent = client.send(`tlf 98 76 54 32, fnr ${NATIONAL_ID}`);
    expect(sent.text).toBe('tlf 98 76 54 32, fnr [fjernet]');
    expect((await log.waitFor('ack')).text).toBe('tlf 98 76 54 32, fnr [fjernet]');
  });

  it('clicks a button of the demo bot: the action frame, its ack with the label, and the answer', async () => {
    const { client, log, wire } = await start({ demoBot: true });
    client.send('Hei, jeg har et spørsmål om en faktura');
    const withActions = await log.waitFor('reply', (event) => event.actions.length > 0);
    const button = withActions.actions.find((action) => action.url === undefined)!;
    const link = withActions.actions.find((action) => action.url !== undefined)!;
    expect(button.id).toMatch(/^[a-z]+$/);
    expect(link.url).toMatch(/^https:\/\/www\.datatilsynet\.no\//);

    const id = client.sendAction(button.id);
    expect(sentFrames(wire).at(-1)).toEqual({ type: 'action', id, action: button.id });
    expect(await log.waitFor('ack', (ack) => ack.id === id)).toEqual({ type: 'ack', id, redactions: 0, text: button.label });
    const answer = await log.waitFor('reply', (event) => event.id === id && event.final);
    expect(answer.actions.length).toBeGreaterThan(0);
    expect(client.pending).toEqual([]);
  });

  it('resumes after a dropped connection with the newest token, not the one the gateway sends before the answer', async () => {
    const { gw, client, log, wire } = await start();
    const first = client.send('Hei');
    await log.waitFor('reply', (event) => event.id === first.id && event.final);
    const heldToken = client.token;

    gw.dropConnections();
    await log.waitFor('state', (event) => event.state === 'waiting');
    await log.waitFor('session', (session) => session.resumed);
    const resume = sentFrames(wire).find((frame) => frame.type === 'resume');
    expect(resume).toEqual({ type: 'resume', token: heldToken });
    // The upgrade said what the first frame would be: a new chat at first, a resume after the drop.
    expect(wire.urls.map((url) => new URL(url).searchParams.get('resume'))).toEqual(['0', '1']);
    const sessions = sessionFrames(wire);
    const [beforeAnswer, answer] = sessions.slice(-2);
    expect(beforeAnswer?.resumed).toBe(false);
    expect(answer?.resumed).toBe(true);
    expect(client.token).toBe(answer?.token);
    expect(client.token).not.toBe(beforeAnswer?.token);
    expect(log.all('session').map((session) => session.token)).not.toContain(beforeAnswer?.token);

    const second = client.send('Er dere der fortsatt?');
    await log.waitFor('reply', (event) => event.id === second.id && event.final);
    const conversations = gw.stub!.requests.map((request) => (request.body as { conversationId: string }).conversationId);
    expect(conversations).toHaveLength(2);
    expect(conversations[1]).toBe(conversations[0]);
  });

  it('sends an acked, unanswered message again with the same id after a drop; the new answer replaces the partial one; nothing is sent twice', async () => {
    const { gw, client, log, wire } = await start();
    gw.stub!.script(sseReply(['Vi sjekker '], { done: false, then: 'hang' }), jsonReply('Svaret er klart.'));
    const sent = client.send('Hva skylder jeg?');
    await log.waitFor('reply', (event) => event.id === sent.id && event.text === 'Vi sjekker ');
    expect(client.pending.map((frame) => frame.id)).toEqual([sent.id]);

    gw.dropConnections();
    const final = await log.waitFor('reply', (event) => event.id === sent.id && event.final);
    expect(final).toMatchObject({ text: 'Svaret er klart.', first: true });
    const replies = log.all('reply').filter((event) => event.id === sent.id);
    expect(replies.map((event) => [event.text, event.first, event.final])).toEqual([
      ['Vi sjekker ', true, false],
      ['Svaret er klart.', true, true],
    ]);
    const keys = gw.stub!.requests.map((request) => request.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[0]).toMatch(new RegExp(`:${sent.id}$`));
    expect(sentFrames(wire).filter((frame) => frame.type === 'message').map((frame) => frame.id)).toEqual([sent.id, sent.id]);
    expect(client.pending).toEqual([]);

    // Answered now: another drop sends nothing but the resume.
    const before = wire.sent.length;
    gw.dropConnections();
    await log.waitFor('session', (session) => session.resumed, { count: 2 });
    expect(sentFrames(wire).slice(before).map((frame) => frame.type)).toEqual(['resume']);
    expect(gw.stub!.requests).toHaveLength(2);
  });

  it('survives a server restart with the same secret: the message cut by the shutdown is answered once, in the same conversation', async () => {
    const { gw, client, log } = await start();
    const opening = client.send('Hei');
    await log.waitFor('reply', (event) => event.id === opening.id && event.final);
    gw.stub!.script(sseReply(['Et øyeblikk '], { done: false, then: 'hang' }), jsonReply('Her er svaret.'));
    const cut = client.send('Kan jeg utsette betalingen?');
    await log.waitFor('reply', (event) => event.id === cut.id);

    await gw.stopInstance();
    await log.waitFor('state', (event) => event.state === 'waiting');
    expect(client.pending.map((frame) => frame.id)).toEqual([cut.id]);
    await gw.startInstance();

    const answer = await log.waitFor('reply', (event) => event.id === cut.id && event.final);
    expect(answer.text).toBe('Her er svaret.');
    expect(log.all('session').at(-1)?.resumed).toBe(true);
    const requests = gw.stub!.requests.map((request) => request.body as { conversationId: string; messageId: string });
    expect(requests.map((request) => request.messageId)).toEqual([opening.id, cut.id, cut.id]);
    expect(new Set(requests.map((request) => request.conversationId)).size).toBe(1);
    expect(log.all('reply').filter((event) => event.id === cut.id && event.final)).toHaveLength(1);
  });

  it('takes up a saved session (a reloaded page): a refused token starts a new conversation, and what waited is sent there', async () => {
    const store = createMemoryStore();
    store.save({ token: 'notavalidtoken', pending: [{ type: 'message', id: 'mwaitingforanswer', text: 'Er dere der?' }] });
    const { gw, client, log, wire } = await start({ store });
    expect(sentFrames(wire)[0]).toEqual({ type: 'resume', token: 'notavalidtoken' });
    const session = await log.waitFor('session');
    expect(session.resumed).toBe(false);
    await log.waitFor('reply', (event) => event.id === 'mwaitingforanswer' && event.final);
    expect(gw.stub!.requests.map((request) => (request.body as { text: string }).text)).toEqual(['Er dere der?']);
    expect(client.pending).toEqual([]);
    expect(store.load()?.token).toBe(client.token);
  });

  it('backs off with jitter between attempts while the gateway is gone, and stays closed after close()', async () => {
    const { gw, client, log } = await start({ client: { reconnect: { baseDelayMs: 100, maxDelayMs: 400, random: () => 0 } } });
    await gw.stopInstance();
    await log.waitFor('state', (event) => event.state === 'waiting', { count: 4 });
    const waits = log.all('state').filter((event) => event.state === 'waiting');
    // "Equal jitter": half the doubling ceiling plus a random share of the other half (here none).
    expect(waits.slice(0, 4).map((event) => event.retryInMs)).toEqual([50, 100, 200, 200]);
    expect(waits[0]?.closeCode).toBe(1001);
    client.close();
    expect(client.state).toBe('closed');
  });

  it('says plainly when there is no WebSocket to use', () => {
    vi.stubGlobal('WebSocket', undefined);
    try {
      expect(() => new ChatClient({ url: 'ws://127.0.0.1:9/chat' })).toThrow('No WebSocket here: pass options.WebSocket (on Node 20, the `ws` package).');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('withResumeIntent', () => {
  it('says in the chat URL whether a token is coming, keeping what the URL had', () => {
    expect(withResumeIntent('wss://chat.example.no/chat', true)).toBe('wss://chat.example.no/chat?resume=1');
    expect(withResumeIntent('ws://127.0.0.1:8080/chat?token=abc', false)).toBe('ws://127.0.0.1:8080/chat?token=abc&resume=0');
    expect(withResumeIntent('wss://chat.example.no/chat?resume=0', true)).toBe('wss://chat.example.no/chat?resume=1');
    expect(withResumeIntent('not a url', true)).toBe('not a url');
  });
});
