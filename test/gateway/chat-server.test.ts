import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../src/errors.js';
import { createChatServer, type ChatServer } from '../../src/gateway/chat-server.js';
import { FLOOD_STRIKES } from '../../src/gateway/rate-limiter.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createPolicy, redact } from '../../src/redact/index.js';
import { createSessionSealer } from '../../src/session/session-sealer.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { createScriptedChatbot, type ReplyScript, type ScriptedChatbot } from '../support/scripted-chatbot.js';
import { referenceRedact } from '../support/reference.js';
import { connectClient, upgradeStatus } from '../support/ws-client.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';

type Script = ReplyScript;

interface Harness {
  url: string;
  origin: string;
  chat: ChatServer;
  metrics: Metrics;
  logs: LogCapture;
  vendor: ScriptedChatbot;
  server: Server;
}

const open: Server[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function startGateway(
  options: {
    script?: Script;
    rateLimitPerMinute?: number;
    allowedOrigins?: string[];
    widgetToken?: string;
    maxMessageBytes?: number;
    heartbeatMs?: number;
    maxConnections?: number;
  } = {},
): Promise<Harness> {
  const logs = captureLogs();
  const metrics = createMetrics({ collectDefaults: false });
  const policy = createPolicy();
  const logger = createLogger({ level: 'debug', scrub: (s) => redact(s, policy).text, destination: logs.stream });
  const vendor = createScriptedChatbot(options.script === undefined ? {} : { reply: options.script });
  const chat = createChatServer({
    policy,
    chatbot: vendor,
    sessions: createSessionSealer({ secrets: [], ttlSeconds: 600 }),
    sessionTtlMs: 600_000,
    maxReplyBytes: 1_048_576,
    metrics,
    logger,
    privacyNotice: 'Do not share numbers.',
    maxMessageBytes: options.maxMessageBytes ?? 4096,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 600,
    allowedOrigins: options.allowedOrigins ?? [],
    widgetToken: options.widgetToken,
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }),
  });
  const server = createServer((_req, res) => res.end('http'));
  server.on('upgrade', (req, socket, head) => chat.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/chat`, origin: `http://127.0.0.1:${port}`, chat, metrics, logs, vendor, server };
}

describe('chat gateway', () => {
  it('greets with the notice, acks the redacted text, forwards only redacted text, replies', async () => {
    const gw = await startGateway();
    const client = await connectClient(gw.url);
    expect(await client.waitFor((f) => f.type === 'notice')).toEqual({ type: 'notice', text: 'Do not share numbers.' });
    client.send({ type: 'message', id: 'm1', text: 'mitt fnr er 010190 12345 og tlf 98 76 54 32' });
    const ack = await client.waitFor((f) => f.type === 'ack');
    expect(ack).toEqual({ type: 'ack', id: 'm1', redactions: 2, text: 'mitt fnr er  og tlf ' });
    const final = await client.waitFor((f) => f.type === 'reply' && f.final === true);
    expect(final.id).toBe('m1');
    const replyText = client.frames.filter((f) => f.type === 'reply').map((f) => f.text).join('');
    expect(replyText).toBe('you said: mitt fnr er  og tlf ');
    expect(gw.vendor.requests).toHaveLength(1);
    expect(gw.vendor.requests[0]!.text).toBe('mitt fnr er  og tlf ');
    expect(gw.vendor.requests[0]!.conversationId).toMatch(/^[a-z]{20}$/);
    // the ack comes before any reply frame
    expect(client.frames.findIndex((f) => f.type === 'ack')).toBeLessThan(client.frames.findIndex((f) => f.type === 'reply'));
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toContain('chat_redact_redactions_total{direction="inbound",kind="phone"} 1');
    expect(metrics).toContain('chat_redact_messages_total{direction="outbound"} 1');
    expect(metrics).toContain('chat_redact_ws_connections 1');
    client.ws.close();
  });

  it('redacts a reply whose number is split across vendor chunks at every position', async () => {
    const reply = 'Ring oss på 22 33 44 55 eller skriv til oss. Saksnr ٩٨٧٦٥٤٣٢١ ✓';
    const expected = referenceRedact(reply).text;
    let cuts: number[] = [];
    const gw = await startGateway({
      script: async function* () {
        let at = 0;
        for (const c of [...cuts, reply.length]) {
          yield reply.slice(at, c);
          at = c;
        }
      },
    });
    const client = await connectClient(gw.url);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: reply.length }), { maxLength: 6 }), async (points) => {
        cuts = points.sort((a, b) => a - b);
        const id = `r${n++}`;
        client.send({ type: 'message', id, text: 'hei' });
        await client.waitFor((f) => f.id === id && f.type === 'reply' && f.final === true);
        const text = client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join('');
        expect(text).toBe(expected);
        for (const f of client.frames) expect(countLeaks(f.text ?? '')).toBe(0);
      }),
      { numRuns: 40 },
    );
    client.ws.close();
  });

  it('sends what is released in one turn as one frame, and still streams across turns', async () => {
    const gw = await startGateway({
      script: async function* (request) {
        const words = Array.from({ length: 50 }, (_, k) => `ord${k} `);
        for (const word of words) {
          if (request.text === 'slow') await new Promise((resolve) => setTimeout(resolve, 2));
          yield word;
        }
      },
    });
    const client = await connectClient(gw.url);
    client.send({ type: 'message', id: 'fast', text: 'fast' });
    await client.waitFor((f) => f.id === 'fast' && f.final === true);
    const fast = client.frames.filter((f) => f.id === 'fast' && f.type === 'reply');
    expect(fast).toHaveLength(1);
    expect(fast[0]!.text).toBe(Array.from({ length: 50 }, (_, k) => `ord${k} `).join(''));
    client.send({ type: 'message', id: 'slow', text: 'slow' });
    await client.waitFor((f) => f.id === 'slow' && f.final === true);
    const slow = client.frames.filter((f) => f.id === 'slow' && f.type === 'reply');
    expect(slow.length).toBeGreaterThan(10);
    expect(slow.map((f) => f.text).join('')).toBe(fast[0]!.text);
    expect(slow.filter((f) => f.final === true)).toHaveLength(1);
    expect(slow.at(-1)!.final).toBe(true);
    client.ws.close();
  });

  it('keeps chats whose clients answer pings, and drops one that went silent', async () => {
    const gw = await startGateway({ heartbeatMs: 100 });
    const answering = await connectClient(gw.url);
    const silent = await connectClient(gw.url, { autoPong: false });
    const { code } = await silent.closed;
    expect(code).toBe(1006); // terminated: no close handshake with a client that is gone
    expect(answering.ws.readyState).toBe(answering.ws.OPEN);
    answering.send({ type: 'message', id: 'alive', text: 'hei' });
    await answering.waitFor((f) => f.id === 'alive' && f.final === true);
    expect(gw.logs.text()).toContain('stopped answering pings');
    answering.ws.close();
  });

  it('refuses chats past MAX_CONNECTIONS with 503 before the handshake, and takes them again once one closes', async () => {
    const gw = await startGateway({ maxConnections: 2 });
    const first = await connectClient(gw.url);
    const second = await connectClient(gw.url);
    expect(await upgradeStatus(gw.url)).toBe(503);
    expect(await gw.metrics.registry.metrics()).toContain('chat_redact_ws_rejected_total{reason="capacity"} 1');
    first.ws.close();
    await first.closed;
    for (let i = 0; i < 50 && gw.chat.size > 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await upgradeStatus(gw.url)).toBe(101);
    second.ws.close();
  });

  it('answers bad frames with error frames and keeps the connection', async () => {
    const gw = await startGateway();
    const client = await connectClient(gw.url);
    client.send('not json');
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    client.send({ type: 'typing', id: 'a' });
    client.send({ type: 'message', id: 'x'.repeat(65), text: 'hi' });
    client.send({ type: 'message', text: 'no id' });
    client.send({ type: 'message', id: 'b', text: 42 });
    client.send({ type: 'message', id: 'ok', text: 'still here?' });
    await client.waitFor((f) => f.type === 'reply' && f.id === 'ok' && f.final === true);
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors.map((e) => e.code)).toEqual(Array(6).fill('invalid_message'));
    expect(errors.map((e) => e.id)).toEqual([undefined, undefined, 'a', undefined, undefined, 'b']);
    for (const e of errors) expect(e.message).toMatch(/not valid/);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    client.ws.close();
  });

  it('closes with 1009 on a frame over the limit and 1007 on invalid UTF-8', async () => {
    const gw = await startGateway({ maxMessageBytes: 1024 });
    const big = await connectClient(gw.url);
    big.send({ type: 'message', id: 'big', text: 'x'.repeat(2000) });
    expect((await big.closed).code).toBe(1009);
    const bad = await connectClient(gw.url);
    bad.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await bad.closed).code).toBe(1007);
    expect(await gw.metrics.registry.metrics()).toMatch(/chat_redact_ws_closes_total\{code="1009"\} 1/);
  });

  it('rate limits a flood, then closes with 1008', async () => {
    const gw = await startGateway({ rateLimitPerMinute: 5 });
    const client = await connectClient(gw.url);
    for (let i = 0; i < 5 + FLOOD_STRIKES + 5; i++) client.send({ type: 'message', id: `f${i}`, text: 'spam' });
    const { code } = await client.closed;
    expect(code).toBe(1008);
    expect(client.frames.filter((f) => f.type === 'ack')).toHaveLength(5);
    const limited = client.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(limited.length).toBe(FLOOD_STRIKES);
  });

  it('refuses foreign origins and missing tokens before the handshake', async () => {
    const gw = await startGateway({ widgetToken: 'widget-secret-token' });
    expect(await upgradeStatus(`${gw.url}?token=widget-secret-token`, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(gw.url, { origin: gw.origin })).toBe(401);
    expect(await upgradeStatus(`${gw.url}?token=wrong`, { origin: gw.origin })).toBe(401);
    expect(await upgradeStatus(`${gw.url}?token=widget-secret-token`, { origin: gw.origin })).toBe(101);
    expect(await upgradeStatus(gw.url, { origin: gw.origin, protocols: ['chat-redact', 'widget-secret-token'] })).toBe(101);
    expect(await upgradeStatus(gw.url.replace('/chat', '/other'), { origin: gw.origin })).toBe(404);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toContain('chat_redact_ws_rejected_total{reason="origin"} 1');
    expect(metrics).toContain('chat_redact_ws_rejected_total{reason="token"} 2');
    expect(gw.logs.text()).not.toContain('widget-secret-token');
    expect(gw.logs.text()).not.toContain('token=');
    const listed = await startGateway({ allowedOrigins: ['https://chat.example.no'] });
    expect(await upgradeStatus(listed.url, { origin: 'https://chat.example.no' })).toBe(101);
    expect(await upgradeStatus(listed.url, { origin: listed.origin })).toBe(403);
  });

  it('maps vendor failures to error frames after the part already sent', async () => {
    const gw = await startGateway({
      script: async function* (request) {
        if (request.text === 'fail') throw new CodedError('vendor_timeout');
        yield 'partial answer 12 34';
        throw new CodedError('vendor_error');
      },
    });
    const client = await connectClient(gw.url);
    client.send({ type: 'message', id: 't', text: 'fail' });
    expect(await client.waitFor((f) => f.type === 'error' && f.id === 't')).toMatchObject({ code: 'vendor_timeout' });
    client.send({ type: 'message', id: 'p', text: 'go' });
    const error = await client.waitFor((f) => f.type === 'error' && f.id === 'p');
    expect(error.code).toBe('vendor_error');
    const text = client.frames.filter((f) => f.type === 'reply' && f.id === 'p').map((f) => f.text).join('');
    expect(text).toBe('partial answer 12 34');
    expect(client.frames.some((f) => f.id === 'p' && f.final === true)).toBe(false);
    client.ws.close();
  });

  it('drains: refuses new chats, answers every acked message, closes with 1001', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gw = await startGateway({
      script: async function* (_request, signal) {
        await Promise.race([gate, new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))]);
        yield 'done';
      },
    });
    const client = await connectClient(gw.url);
    for (const id of ['a', 'b', 'c']) client.send({ type: 'message', id, text: 'hei' });
    await client.waitFor((f) => f.type === 'ack' && f.id === 'c');
    const drained = gw.chat.drain(5000);
    expect(await upgradeStatus(gw.url)).toBe(503);
    client.send({ type: 'message', id: 'late', text: 'hei' });
    expect(await client.waitFor((f) => f.id === 'late')).toMatchObject({ type: 'error', code: 'shutting_down' });
    release();
    await drained;
    const { code } = await client.closed;
    expect(code).toBe(1001);
    for (const id of ['a', 'b', 'c']) {
      expect(client.frames.some((f) => f.id === id && f.type === 'reply' && f.final === true)).toBe(true);
    }
  });

  it('drain past its deadline ends pending replies with an error frame before 1001', async () => {
    const gw = await startGateway({
      script: async function* (_request, signal) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
        yield 'never';
      },
    });
    const client = await connectClient(gw.url);
    client.send({ type: 'message', id: 'slow', text: 'hei' });
    await client.waitFor((f) => f.type === 'ack');
    await gw.chat.drain(100);
    expect((await client.closed).code).toBe(1001);
    expect(client.frames.find((f) => f.type === 'error' && f.id === 'slow')?.code).toBe('shutting_down');
  });

  it('never logs message text or numbers', async () => {
    const gw = await startGateway();
    const client = await connectClient(gw.url);
    client.send({ type: 'message', id: 'id-98765432', text: 'hemmelig tekst 4111 1111 1111 1111' });
    client.send('{"type":"message","id":"x","text":12345678901}');
    await client.waitFor((f) => f.type === 'reply' && f.final === true);
    await client.waitFor((f) => f.type === 'error');
    client.ws.close();
    await client.closed;
    const text = gw.logs.text();
    expect(text).not.toContain('hemmelig');
    for (const line of gw.logs.lines()) expect(countLogLineLeaks(line)).toBe(0);
    // An id with a number in it reaches the vendor as a stand-in, not as the number nor redacted.
    expect(gw.vendor.requests[0]!.messageId).toBe('@a');
    const opened = gw.logs.lines().find((l) => l.msg === 'chat opened');
    expect(opened?.ip).toBe('127.0.x.x');
  });
});
