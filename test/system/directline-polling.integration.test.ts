/**
 * Direct Line from a service that offers no stream (as offline-directline, a third-party Direct
 * Line server, does), through the real server and a real ws client: the greeting arrives without
 * a user message, a message the bot sends on its own arrives while nobody writes, a watermark
 * written as a JSON number is taken, and a resumed chat's first reply comes without waiting out
 * the budget.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STUB_SECRET, startDirectLineStub, type DirectLineStub } from '../support/directline-stub.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const SESSION_SECRET = 'directline-polling-secret-0123456789-abcdefgh';
const BUDGET_MS = 6_000;
let stub: DirectLineStub;
let gw: RunningGateway;

beforeAll(async () => {
  stub = await startDirectLineStub();
  gw = await startTestGateway({ VENDOR_KIND: 'directline', VENDOR_URL: stub.url, VENDOR_TOKEN: STUB_SECRET, SESSION_SECRET, VENDOR_TIMEOUT_MS: String(BUDGET_MS) });
});
afterAll(async () => {
  await gw.stop();
  await stub.close();
});
beforeEach(() => {
  stub.reset();
  stub.offerStreams = false;
  stub.bot = (activity) => [{ text: `Svar: ${String(activity.text ?? '')}`, inputHint: 'expectingInput' }];
});

const unsolicited = (client: TestClient) => client.frames.filter((f) => f.type === 'reply' && f.id === undefined).map((f) => f.text);

async function ask(client: TestClient, id: string, text: string): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  client.send({ type: 'message', id, text });
  await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'), BUDGET_MS + 2_000);
  const error = client.frames.find((f) => f.id === id && f.type === 'error');
  expect(error).toBeUndefined();
  return { text: client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join(''), ms: performance.now() - started };
}

describe('Direct Line without a stream', () => {
  it('the greeting arrives without a user message, and a later message of the bot while nobody writes', async () => {
    stub.greeting = [{ text: 'Hei! Hva kan jeg hjelpe med?' }];
    const client = await connectClient(gw.chatUrl);
    await client.waitFor((f) => f.type === 'reply' && f.id === undefined, 4_000);
    expect(unsolicited(client)).toEqual(['Hei! Hva kan jeg hjelpe med?']);
    expect(stub.requestsOf('POST', '/activities')).toHaveLength(0);
    const conversationId = [...stub.conversations.keys()].at(-1)!;
    // A human agent (or a proactive bot) writes on its own: polled about once a second.
    stub.send(conversationId, { text: 'En rådgiver er nå med i samtalen.' });
    await client.waitFor((f) => f.type === 'reply' && f.id === undefined && f.text === 'En rådgiver er nå med i samtalen.', 3_000);
    client.ws.close();
  });

  it('takes a watermark written as a JSON number, and answers each message once', async () => {
    stub.numericWatermarks = true;
    const client = await connectClient(gw.chatUrl);
    expect((await ask(client, 'a', 'første')).text).toBe('Svar: første');
    expect((await ask(client, 'b', 'andre')).text).toBe('Svar: andre');
    // The numeric watermark was kept: later polls ask only for what is new.
    const polls = stub.requestsOf('GET', '/activities').map((r) => new URL(r.path, 'http://x').searchParams.get('watermark'));
    expect(polls.at(-1)).toMatch(/^\d+$/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(unsolicited(client)).toEqual([]);
    client.ws.close();
  });

  it('a resumed chat goes on at once: its first reply does not wait out the budget', async () => {
    const conversationsBefore = stub.conversations.size;
    const first = await connectClient(gw.chatUrl);
    expect((await ask(first, 'a', 'hei')).text).toBe('Svar: hei');
    const token = [...first.frames].reverse().find((f) => f.type === 'session')!.token!;
    first.ws.close();
    await first.closed;
    const resumed = await connectClient(gw.chatUrl);
    resumed.send({ type: 'resume', token });
    await resumed.waitFor((f) => f.type === 'session' && f.resumed === true);
    const answer = await ask(resumed, 'b', 'igjen');
    expect(answer.text).toBe('Svar: igjen');
    expect(answer.ms).toBeLessThan(BUDGET_MS / 2);
    expect(stub.conversations.size).toBe(conversationsBefore + 1);
    resumed.ws.close();
  });
});
