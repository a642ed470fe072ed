/**
 * The egress proxy through the real server, a real `ws` client and a real forward proxy that no
 * one here wrote (the npm `proxy` package, HTTP and CONNECT): every vendor kind's traffic — the
 * Direct Line stream included — goes through it, as the proxy's own events show; `NO_PROXY`
 * bypasses it; a proxy that refuses gives `vendor_unavailable`, the chat stays open, and the log
 * names the proxy's host, never its credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoostStub, type BoostStub } from '../support/boost-stub.js';
import { STUB_SECRET, startDirectLineStub, type DirectLineStub } from '../support/directline-stub.js';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { STUB_MODEL, startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { rasaBaseUrl, rasaHandler } from '../support/rasa-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const CREDENTIALS = 'gateway:proxy-pass-word';
let proxy: ForwardProxy;
let boost: BoostStub;
let openai: OpenAiStub;
let directline: DirectLineStub;

beforeAll(async () => {
  [proxy, boost, openai, directline] = await Promise.all([startForwardProxy(CREDENTIALS), startBoostStub(), startOpenAiStub(), startDirectLineStub()]);
});
afterAll(async () => {
  await Promise.all([proxy.close(), boost.close(), openai.close(), directline.close()]);
});

let seq = 0;
/** Send a message and wait for its final reply or its error: the reply's text, or the error's code. */
async function ask(client: TestClient, text: string): Promise<{ text: string; error: string | undefined }> {
  const id = `m${seq++}`;
  client.send({ type: 'message', id, text });
  const end = await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'), 8_000);
  const text_ = client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join('');
  return { text: text_, error: end.type === 'error' ? end.code : undefined };
}

/** `host:port` of a URL, as a CONNECT names it. */
const hostOf = (url: string): string => new URL(url).host;

/** Run one chat through a gateway configured with `env`, and stop it. */
async function chatThrough(env: Record<string, string>, text = 'hei'): Promise<{ reply: string; gw: RunningGateway }> {
  const gw = await startTestGateway({ HTTP_PROXY: proxy.url, ...env }, (stub) => env.VENDOR_URL ?? stub.url);
  try {
    const client = await connectClient(gw.chatUrl);
    const answer = await ask(client, text);
    expect(answer.error).toBeUndefined();
    client.ws.close();
    return { reply: answer.text, gw };
  } finally {
    await gw.stop();
  }
}

describe('every vendor kind through the egress proxy', () => {
  it('generic: the request goes through a tunnel the proxy opened, with the proxy’s credentials', async () => {
    const before = proxy.events.length;
    const { gw } = await chatThrough({});
    const events = proxy.events.slice(before);
    expect(events.filter((e) => e.method === 'CONNECT' && e.target === hostOf(gw.stub.url)).length).toBeGreaterThanOrEqual(1);
    expect(events.every((e) => e.authorized)).toBe(true);
    expect(events.map((e) => e.firstLine)).toContain(`POST ${new URL(gw.stub.url).pathname} HTTP/1.1`);
    expect(gw.stub.requests).toHaveLength(1);
  });

  it('boost, openai and rasa: every request of each goes through the proxy', async () => {
    for (const [env, target] of [
      [{ VENDOR_KIND: 'boost', VENDOR_URL: boost.baseUrl }, boost.baseUrl],
      [{ VENDOR_KIND: 'openai', VENDOR_URL: openai.baseUrl, VENDOR_MODEL: STUB_MODEL }, openai.baseUrl],
    ] as const) {
      const before = proxy.events.length;
      await chatThrough(env);
      const lines = proxy.events.slice(before).filter((e) => e.target === hostOf(target)).map((e) => e.firstLine);
      expect(lines.length, env.VENDOR_KIND).toBeGreaterThanOrEqual(1);
      expect(lines.every((line) => line.startsWith('POST ')), env.VENDOR_KIND).toBe(true);
    }
    const before = proxy.events.length;
    const rasa = await startTestGateway({ HTTP_PROXY: proxy.url, VENDOR_KIND: 'rasa' }, rasaBaseUrl);
    try {
      rasa.stub.setHandler(rasaHandler(() => [{ text: 'Hei fra Rasa' }]));
      const client = await connectClient(rasa.chatUrl);
      expect(await ask(client, 'hei')).toEqual({ text: 'Hei fra Rasa', error: undefined });
      client.ws.close();
      expect(proxy.events.slice(before).some((e) => e.target === hostOf(rasa.stub.url) && e.firstLine.startsWith('POST /webhooks/rest/webhook'))).toBe(true);
    } finally {
      await rasa.stop();
    }
  });

  it('directline: the requests and the activity stream (a WebSocket, CONNECT) go through the proxy', async () => {
    directline.reset();
    directline.bot = () => [{ text: 'ok', inputHint: 'expectingInput' }];
    const before = proxy.events.length;
    const { reply } = await chatThrough({ VENDOR_KIND: 'directline', VENDOR_URL: directline.url, VENDOR_TOKEN: STUB_SECRET });
    expect(reply).toBe('ok');
    const tunnels = proxy.events.slice(before).filter((e) => e.method === 'CONNECT' && e.target === hostOf(directline.url));
    expect(tunnels.some((e) => e.upgrade && /^GET \/\S*stream\S* HTTP\/1\.1$/.test(e.firstLine))).toBe(true);
    expect(tunnels.some((e) => e.firstLine.startsWith('POST /v3/directline/conversations'))).toBe(true);
    expect(tunnels.every((e) => e.authorized)).toBe(true);
    // The stub saw the stream opened: the gateway's socket reached it through the tunnel.
    expect([...directline.conversations.values()].some((c) => c.socket !== undefined)).toBe(true);
  });
});

describe('NO_PROXY and a refusing proxy', () => {
  it('NO_PROXY bypasses the proxy for the hosts it names (the requests and the stream alike)', async () => {
    const before = proxy.events.length;
    await chatThrough({ NO_PROXY: 'localhost,127.0.0.1' });
    directline.reset();
    directline.bot = () => [{ text: 'ok', inputHint: 'expectingInput' }];
    await chatThrough({ VENDOR_KIND: 'directline', VENDOR_URL: directline.url, VENDOR_TOKEN: STUB_SECRET, no_proxy: '127.0.0.1' });
    expect([...directline.conversations.values()].some((c) => c.socket !== undefined)).toBe(true);
    expect(proxy.events.slice(before)).toEqual([]);
  });

  it('a refusing proxy is vendor_unavailable; the chat stays open, and the log names the proxy’s host and never its credentials', async () => {
    const gw = await startTestGateway({ HTTPS_PROXY: 'http://unused.invalid:1', HTTP_PROXY: proxy.url, VENDOR_TIMEOUT_MS: '1500' });
    try {
      const client = await connectClient(gw.chatUrl);
      proxy.refuse(true);
      expect(await ask(client, 'hei')).toMatchObject({ error: 'vendor_unavailable' });
      proxy.refuse(false);
      expect(await ask(client, 'igjen')).toEqual({ text: 'echo: igjen', error: undefined });
      expect(client.ws.readyState).toBe(client.ws.OPEN);
      client.ws.close();
      const failure = gw.logs.lines().find((line) => line.msg === 'vendor request failed');
      expect(failure).toMatchObject({ code: 'vendor_unavailable', reason: 'proxy', proxy: hostOf(proxy.url) });
      expect(gw.logs.text()).not.toContain('proxy-pass-word');
      expect(gw.logs.text()).not.toContain('gateway:');
    } finally {
      await gw.stop();
    }
  });

  it('a proxy that is not there is vendor_unavailable too, and its host is logged', async () => {
    const gone = await startForwardProxy();
    const url = gone.url;
    await gone.close();
    const gw = await startTestGateway({ HTTP_PROXY: url, VENDOR_TIMEOUT_MS: '800' });
    try {
      const client = await connectClient(gw.chatUrl);
      expect(await ask(client, 'hei')).toMatchObject({ error: 'vendor_unavailable' });
      expect(client.ws.readyState).toBe(client.ws.OPEN);
      client.ws.close();
      expect(gw.logs.lines().find((line) => line.msg === 'vendor request failed')).toMatchObject({ proxy: hostOf(url) });
    } finally {
      await gw.stop();
    }
  });
});
