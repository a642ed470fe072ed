/**
 * `NATIVE_API=on` with `VENDOR_KIND=directline`: Microsoft's own Direct Line client
 * (`botframework-directlinejs`, as Web Chat uses it) sets its domain to the gateway's
 * `/v3/directline` and nothing else, with the Direct Line stub behind — over the stream and by
 * polling. A conversation with a hero card, an Adaptive Card, suggested actions and Markdown,
 * each holding numbers: nothing with a sensitive combination reaches the client or the bot
 * (vendor ids, tokens and watermarks aside), judged by the reference. Tokens are generated and
 * refreshed through the gateway, an upload is refused in Direct Line's shape, a dropped stream
 * is renewed from its watermark, and a stream from a foreign origin is refused.
 */
import { DirectLine, type Activity } from 'botframework-directlinejs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import XMLHttpRequest from 'xhr2';
import { ADAPTIVE_CARD, conversationBot, judge } from '../support/directline-conversation.js';
import { STUB_SECRET, startDirectLineStub, type DirectLineStub } from '../support/directline-stub.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';

// DirectLineJS is browser code: in Node it takes these two from the global scope (its README says so).
Object.assign(globalThis, { XMLHttpRequest, WebSocket });

const FOREIGN_ORIGIN = 'https://evil.example';

/** What a test reads of an activity the client received. */
interface Received {
  readonly text?: string;
  readonly attachments?: readonly { readonly content: unknown }[];
  readonly suggestedActions?: { readonly actions: readonly unknown[] };
}

let stub: DirectLineStub;
let gw: RunningGateway;
const clients: DirectLine[] = [];

beforeAll(async () => {
  stub = await startDirectLineStub();
  gw = await startTestGateway({ VENDOR_KIND: 'directline', VENDOR_URL: stub.url, VENDOR_TOKEN: STUB_SECRET, NATIVE_API: 'on', ALLOWED_ORIGINS: 'https://bank.example' });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.end();
  stub.reset();
});
afterAll(async () => {
  await gw.stop();
  await stub.close();
});

const domain = (): string => `${gw.httpUrl}/v3/directline`;

/** A token as a team's token service gets one — here through the gateway, with the secret. */
async function generateToken(): Promise<{ conversationId: string; token: string }> {
  const answer = await fetch(`${domain()}/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${STUB_SECRET}` } });
  expect(answer.status).toBe(200);
  return (await answer.json()) as { conversationId: string; token: string };
}

/** A DirectLineJS client on `token`, and every activity it receives. */
function connect(token: string, webSocket: boolean): { client: DirectLine; activities: Activity[]; next: (test: (activity: Activity) => boolean) => Promise<Activity> } {
  const client = new DirectLine({ token, domain: domain(), webSocket, pollingInterval: 250 });
  clients.push(client);
  const activities: Activity[] = [];
  const waiters: { test: (activity: Activity) => boolean; resolve: (activity: Activity) => void }[] = [];
  client.activity$.subscribe({
    next: (activity) => {
      activities.push(activity);
      for (const waiter of [...waiters]) {
        if (waiter.test(activity)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(activity);
        }
      }
    },
    // `end()` ends the stream of activities with an error ("conversation ended").
    error: () => undefined,
  });
  const next = (test: (activity: Activity) => boolean): Promise<Activity> => {
    const seen = activities.find(test);
    return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
  };
  return { client, activities, next };
}

function post(client: DirectLine, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.postActivity({ type: 'message', from: { id: 'user-1' }, text } as Activity).subscribe({ next: resolve, error: reject });
  });
}

const isPrompt = (activity: Activity): boolean => activity.type === 'message' && (activity as { inputHint?: string }).inputHint === 'expectingInput';

describe.each([
  ['over the stream', true],
  ['by polling', false],
])('DirectLineJS through the native Direct Line API, %s', (_name, webSocket) => {
  it('chats with cards, suggested actions and Markdown, and no number reaches the client or the bot', async () => {
    stub.bot = conversationBot;
    const { token } = await generateToken();
    const { client, activities, next } = connect(token, webSocket);
    await post(client, 'Mitt nummer er 98 76 54 32, kontonr 1234.56.78901');
    await next(isPrompt);

    // The bot heard the message without its numbers.
    const sent = stub.requestsOf('POST', '/activities').map((request) => request.body as { text: string });
    expect(sent.map((body) => body.text)).toEqual(['Mitt nummer er , kontonr ']);
    // Nothing the client got holds a sensitive combination; the bot's data and ids came through untouched.
    const bot = activities.filter((activity) => activity.from.id !== 'user-1');
    expect(bot).toHaveLength(4);
    expect(judge(activities)).toBe(0);
    const [text, hero, cards, prompt] = bot as unknown as Received[];
    expect(text).toMatchObject({ speak: 'Ring ', summary: 'Nummer ' });
    // Markdown: the numbers go, the marks around them may stay.
    expect(text!.text).toMatch(/^Du skrev: «ok»\. Ring oss på \**\s*eller _*\.$/);
    expect(hero!.attachments![0]!.content).toEqual({
      title: 'Faktura nr 2233',
      subtitle: 'KID ',
      text: 'Betal til ',
      images: [{ url: 'https://bank.example/ok.png', alt: 'Kvittering ' }],
      buttons: [
        { type: 'imBack', title: 'Ring ', value: 'Ring meg på ' },
        { type: 'postBack', title: 'Velg', value: 'case-998877665544' },
      ],
    });
    const adaptive = cards!.attachments![0]!.content as typeof ADAPTIVE_CARD;
    expect(adaptive.body.map((element) => element.type)).toEqual(['TextBlock', 'RichTextBlock', 'FactSet', 'Input.Text', 'Input.ChoiceSet', 'Image']);
    expect(adaptive.body[3]).toMatchObject({ label: 'Nummer (f.eks. )', placeholder: '', value: '' });
    expect(adaptive.body[4]).toMatchObject({ choices: [{ title: 'Konto ', value: 'acct-12345678901' }] });
    expect(adaptive.actions.map((action) => action.title)).toEqual(['Hjelp ', 'Send', 'Mer']);
    expect(adaptive.actions[1]).toMatchObject({ data: { account: '12345678901' } });
    expect(cards!.attachments![1]!.content).toMatchObject({ title: 'Kvittering for ', total: 'kr ', facts: [{ key: 'Ordre ', value: 'Konto ' }] });
    expect(prompt!.suggestedActions!.actions).toEqual([
      { type: 'imBack', title: 'Nummer ', value: '', displayText: 'Vis ' },
      { type: 'postBack', title: 'Nei', value: { choice: 'no', ref: '99887766554' } },
    ]);
    expect(stub.requests.reduce((sum, request) => sum + judge(request.body ?? null), 0)).toBe(0);
    expect(gw.logs.lines().filter((line) => countLogLineLeaks(line) > 0)).toEqual([]);
  });
});

describe('the native Direct Line stream', () => {
  it('is renewed from its watermark after a drop: what the bot said meanwhile arrives, redacted', async () => {
    stub.bot = () => [{ text: 'Hei', inputHint: 'expectingInput' }];
    const { conversationId, token } = await generateToken();
    const { client, next } = connect(token, true);
    await post(client, 'hei');
    await next(isPrompt);
    stub.dropStreams();
    stub.send(conversationId, { text: 'Mens du var borte: ring 22 33 44 55' });
    const missed = await next((activity) => ((activity as Received).text ?? '').startsWith('Mens'));
    expect((missed as Received).text).toBe('Mens du var borte: ring ');
    const renewals = stub.requestsOf('GET', `/conversations/${conversationId}`);
    expect(renewals.length).toBeGreaterThan(0);
    expect(renewals.at(-1)!.path).toMatch(/\?watermark=\d+$/);
  }, 30_000);

  it('passes a number streamed in growing pieces without it in any frame the client gets', async () => {
    const { conversationId, token } = await generateToken();
    const start = (await (await fetch(`${domain()}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { streamUrl: string };
    expect(start.streamUrl.startsWith(`ws://127.0.0.1:${gw.gateway.port}/v3/directline/conversations/`)).toBe(true);
    const socket = new WebSocket(start.streamUrl);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve) => socket.once('open', resolve));
    // Copilot Studio streams a reply as typing activities, each with the text so far.
    for (const text of ['Ring 98', 'Ring 98 76', 'Ring 98 76 54', 'Ring 98 76 54 32 nå']) stub.send(conversationId, { type: 'typing', text, channelData: { streamType: 'streaming' } });
    stub.send(conversationId, { text: 'Ring 98 76 54 32 nå', channelData: { streamType: 'final' } });
    await expect.poll(() => frames.filter((frame) => frame.includes('final')).length).toBe(1);
    socket.close();
    expect(frames.filter((frame) => frame !== '').length).toBe(5);
    for (const frame of frames) expect(countLeaks(frame.replace(/"(id|conversation|from|timestamp|watermark)":("[^"]*"|\{[^}]*\})/g, ''))).toBe(0);
    expect(JSON.parse(frames.at(-1)!).activities[0].text).toBe('Ring  nå');
  });

  it('is refused to a foreign origin, before Direct Line hears of it', async () => {
    const { token } = await generateToken();
    const start = (await (await fetch(`${domain()}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { streamUrl: string };
    const refused = new WebSocket(start.streamUrl, { origin: FOREIGN_ORIGIN });
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
    const allowed = new WebSocket(start.streamUrl, { origin: 'https://bank.example' });
    await new Promise((resolve, reject) => {
      allowed.once('open', resolve);
      allowed.once('error', reject);
    });
    allowed.close();
  });
});

describe('the native Direct Line API', () => {
  it('generates and refreshes tokens through the gateway, ids and tokens untouched', async () => {
    const { conversationId, token } = await generateToken();
    expect(stub.conversations.has(conversationId)).toBe(true);
    const refreshed = await fetch(`${domain()}/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { conversationId: string; token: string; expires_in: number };
    expect(body.conversationId).toBe(conversationId);
    expect(body.token).not.toBe(token);
    expect(body.token).toMatch(/^dlt\./);
    expect(stub.requestsOf('POST', '/tokens/refresh').at(-1)!.authorization).toBe(`Bearer ${token}`);
  });

  it('refuses an upload in Direct Line’s error shape, and Direct Line never hears of it', async () => {
    const { conversationId, token } = await generateToken();
    const form = new FormData();
    form.append('file', new Blob(['kontonr 1234.56.78901'], { type: 'text/plain' }), 'konto.txt');
    const answer = await fetch(`${domain()}/conversations/${conversationId}/upload?userId=user-1`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: { code: 'unsupported_content', message: 'Uploads are not passed on: only text is.' } });
    expect(stub.requestsOf('POST', '/upload')).toEqual([]);
  });

  it('passes Direct Line’s own refusal in its shape, and answers CORS for allowed origins only', async () => {
    const expired = await fetch(`${domain()}/conversations/nope/activities`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(expired.status).toBe(403);
    expect(await expired.json()).toEqual({ error: { code: 'BadArgument', message: 'Invalid token or secret' } });
    const preflight = await fetch(`${domain()}/conversations`, { method: 'OPTIONS', headers: { origin: 'https://bank.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://bank.example');
    const foreign = await fetch(`${domain()}/conversations`, { method: 'POST', headers: { origin: FOREIGN_ORIGIN, authorization: `Bearer ${STUB_SECRET}` } });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  it('refuses an activity with attachments, and one that is no activity', async () => {
    const { conversationId, token } = await generateToken();
    const postJson = (body: unknown) =>
      fetch(`${domain()}/conversations/${conversationId}/activities`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const attached = await postJson({ type: 'message', from: { id: 'user-1' }, attachments: [{ contentType: 'image/png', contentUrl: 'https://x.example/a.png' }] });
    expect(attached.status).toBe(400);
    expect(await attached.json()).toMatchObject({ error: { code: 'unsupported_content' } });
    expect((await postJson({ text: 'hei' })).status).toBe(400);
    expect(stub.requestsOf('POST', '/activities')).toEqual([]);
  });
});
