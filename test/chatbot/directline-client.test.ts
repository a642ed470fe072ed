/**
 * The Direct Line stub driven by Microsoft's own client, botframework-directlinejs, so that the
 * stub the adapter is tested against is known to speak the real protocol. The client runs under
 * Node with `ws` as its WebSocket and xhr2 as the XMLHttpRequest that its RxJS ajax needs; with
 * `webSocket: false` it polls `GET …/activities?watermark=`.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Activity, DirectLine as DirectLineClient, DirectLineOptions } from 'botframework-directlinejs';
import { STUB_SECRET, startDirectLineStub, watermarkOf, type DirectLineStub } from '../support/directline-stub.js';

type Globals = { XMLHttpRequest?: unknown; WebSocket?: unknown };
(globalThis as Globals).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');
// DirectLineJS chooses the stream only when a global WebSocket exists (Node 20 has none).
(globalThis as Globals).WebSocket ??= WebSocket;
const { DirectLine, ConnectionStatus } = await import('botframework-directlinejs');

let stub: DirectLineStub;
const opened: DirectLineClient[] = [];

beforeAll(async () => {
  stub = await startDirectLineStub();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  for (const client of opened.splice(0)) client.end();
  stub.reset();
});

/** A client of the stub; its activities are collected as they come. */
function open(options: DirectLineOptions): { client: DirectLineClient; activities: Activity[] } {
  const client = new DirectLine({ domain: `${stub.url}/v3/directline`, pollingInterval: 200, ...options });
  opened.push(client);
  const activities: Activity[] = [];
  client.activity$.subscribe({ next: (activity) => void activities.push(activity), error: () => undefined });
  return { client, activities };
}

const post = (client: DirectLineClient, text: string): Promise<string> =>
  new Promise((resolve, reject) => client.postActivity({ type: 'message', from: { id: 'user-nora' }, text }).subscribe({ next: resolve, error: reject }));

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each([
  ['the WebSocket stream', true],
  ['polling', false],
])('botframework-directlinejs against the stub, over %s', (_, webSocket) => {
  it('starts with the secret, gets the greeting, posts, and sees its echo and the reply to it', async () => {
    stub.greeting = [{ text: 'Velkommen!' }];
    const { client, activities } = open({ secret: STUB_SECRET, webSocket });
    const id = await post(client, 'hei');
    await until(() => activities.length >= 3);
    expect(id).toMatch(/\|\d{7}$/);
    expect(activities.map((a) => [a.from.id, (a as { text?: string }).text])).toEqual([
      ['bot-7734521980', 'Velkommen!'],
      ['user-nora', 'hei'],
      ['bot-7734521980', 'Du skrev: hei'],
    ]);
    expect((activities[2] as { replyToId?: string }).replyToId).toBe(id);
    expect(stub.requestsOf('POST', '/conversations').map((r) => [r.authorization, r.headers['x-ms-bot-agent']])).toEqual([
      [`Bearer ${STUB_SECRET}`, 'DirectLine/3.0 (directlinejs 0.15.8)'],
    ]);
    const polls = stub.requestsOf('GET', '/activities');
    expect(webSocket ? polls : polls.slice(0, 1).map((r) => r.path.split('?')[1])).toEqual(webSocket ? [] : ['watermark=']);
  });

  it('takes up a conversation by its id and watermark, and gets only what came after it', async () => {
    const first = open({ secret: STUB_SECRET, webSocket });
    await post(first.client, 'en');
    await until(() => first.activities.length >= 2);
    const [conversation] = [...stub.conversations.values()].slice(-1);
    first.client.end();
    stub.send(conversation!.id, { text: 'mens du var borte' });
    const resumed = open({ secret: STUB_SECRET, conversationId: conversation!.id, watermark: watermarkOf(2), webSocket });
    await until(() => resumed.activities.length >= 1);
    expect(resumed.activities.map((a) => (a as { text?: string }).text)).toEqual(['mens du var borte']);
    expect(stub.requestsOf('POST', '/conversations')).toHaveLength(1);
    expect(stub.requestsOf('GET', `/conversations/${conversation!.id}`).map((r) => r.path.split('?')[1])).toEqual([`watermark=${watermarkOf(2)}`]);
  });
});

describe('botframework-directlinejs against the stub: tokens and failures', () => {
  it('refreshes a token with POST /tokens/refresh, and reads 403 TokenExpired as an expired token', async () => {
    const generated = (await (await fetch(`${stub.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${STUB_SECRET}` } })).json()) as { token: string };
    const { client } = open({ token: generated.token, webSocket: false });
    await post(client, 'hei');
    const refreshed = await new Promise<string>((resolve, reject) =>
      (client as unknown as { refreshToken(): { subscribe(o: object): void } }).refreshToken().subscribe({ next: resolve, error: reject }),
    );
    expect(refreshed).toMatch(/^dlt\./);
    expect(refreshed).not.toBe(generated.token);
    stub.expireTokens();
    expect(await post(client, 'igjen')).toBe('retry');
    expect(client.connectionStatus$.getValue()).toBe(ConnectionStatus.ExpiredToken);
  });

  it('reads 502 BotError and 429 with Retry-After as posts to try again, 400 as a failed post', async () => {
    const { client } = open({ secret: STUB_SECRET, webSocket: false });
    await post(client, 'hei');
    stub.fail('post', { status: 502, code: 'BotError', message: 'Failed to send activity: bot timed out' });
    expect(await post(client, 'igjen')).toBe('retry');
    stub.fail('post', { status: 429, code: 'TooManyRequests', message: 'Too many requests', retryAfter: '0' });
    expect(await post(client, 'fort')).toBe('retry');
    stub.fail('post', { status: 400, code: 'MissingProperty', message: 'Invalid activity' });
    await expect(post(client, 'feil')).rejects.toMatchObject({ status: 400, response: { error: { code: 'MissingProperty' } } });
  });
});
