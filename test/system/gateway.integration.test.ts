import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { jsonReply, sseReply, splitBytes, sseText, statusReply, dripBytes } from '../support/vendor-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';
import { referenceRedact } from '../support/reference.js';

let gw: RunningGateway;
let client: TestClient;
let seq = 0;

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.stop();
});
beforeEach(async () => {
  gw.stub.reset();
  client?.ws.close();
  client = await connectClient(gw.chatUrl);
});

/** Send one message and wait for its final reply frame or its error frame. */
async function chat(text: string): Promise<{ id: string; reply: string; error?: string; redactions: number }> {
  const id = `m${seq++}`;
  client.send({ type: 'message', id, text });
  const ack = await client.waitFor((f) => f.type === 'ack' && f.id === id);
  const end = await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
  const reply = client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join('');
  return { id, reply, redactions: ack.redactions ?? -1, ...(end.type === 'error' && { error: end.code }) };
}

async function metricsText(): Promise<string> {
  return (await fetch(`${gw.httpUrl}/metrics`)).text();
}

describe('gateway end to end (real server, real vendor stub, real ws client)', () => {
  it('forwards only redacted text, with the idempotency key, and relays a JSON reply', async () => {
    gw.stub.script(jsonReply('Takk!', 'Ring 22 33 44 55 om du vil.'));
    const result = await chat('fnr 010190 12345 og konto 7694.05.20300, tlf +47 98 76 54 32');
    expect(result.redactions).toBe(3);
    expect(result.reply).toBe('Takk!\n\nRing  om du vil.');
    const [request] = gw.stub.requests;
    const body = request!.body as { conversationId: string; messageId: string; text: string };
    expect(body.text).toBe('fnr  og konto , tlf +');
    expect(request!.idempotencyKey).toBe(`${body.conversationId}:${body.messageId}`);
    expect(request!.headers['content-type']).toMatch(/application\/json/);
  });

  it('redacts an SSE reply whose number is split across events and bytes at any point', async () => {
    const deltas = ['Kontonummeret ', 'vårt er 7694.0', '5.20300 og tele', 'fon ٩٨٧٦ ٥٤٣٢. ', 'Ha en fin dag 😀'];
    const expected = referenceRedact(deltas.join('')).text;
    const wire = sseText(deltas);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.nat({ max: Buffer.byteLength(wire) }), { maxLength: 8 }), async (cuts) => {
        gw.stub.script({ kind: 'sse', chunks: splitBytes(wire, cuts), chunkDelayMs: 1 });
        const result = await chat('hei');
        expect(result.error).toBeUndefined();
        expect(result.reply).toBe(expected);
      }),
      { numRuns: 25 },
    );
    const metrics = await metricsText();
    expect(metrics).toMatch(/chat_redact_redactions_total\{direction="outbound",kind="phone"\} [1-9]/);
    expect(metrics).toMatch(/chat_redact_redactions_total\{direction="inbound",kind="phone"\} \d/);
  });

  it('handles an SSE reply dripped one byte at a time', async () => {
    gw.stub.script({ kind: 'sse', chunks: dripBytes(sseText(['Svar: 12 34 56 78 9', '0 ferdig'])) });
    const result = await chat('hei');
    expect(result.reply).toBe('Svar:  ferdig');
  });

  it('counts redactions by kind and direction in /metrics', async () => {
    gw.stub.script(jsonReply('ok'));
    await chat('kort 4111 1111 1111 1111');
    const metrics = await metricsText();
    expect(metrics).toMatch(/chat_redact_redactions_total\{direction="inbound",kind="payment_card"\} [1-9]/);
    expect(metrics).toMatch(/chat_redact_vendor_requests_total\{vendor="generic",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/chat_redact_ws_connections [1-9]/);
  });
});

describe('vendor faults reach the widget as error frames, never as a crash or a leak', () => {
  it('500 is not retried: vendor_error', async () => {
    gw.stub.script(statusReply(500));
    const result = await chat('hei');
    expect(result.error).toBe('vendor_error');
    expect(gw.stub.requests).toHaveLength(1);
  });

  it('503 and 429 with Retry-After are retried with the same idempotency key', async () => {
    gw.stub.script(statusReply(503, 0), statusReply(429, 0), jsonReply('endelig'));
    const result = await chat('hei');
    expect(result.reply).toBe('endelig');
    const keys = gw.stub.requests.map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('a reset in the middle of an SSE reply: the part already sent, then an error, no retry', async () => {
    gw.stub.script(sseReply(['Første del, ', 'andre del'], { done: false, then: 'reset', chunkDelayMs: 5 }));
    const result = await chat('hei');
    expect(result.reply).toBe('Første del, andre del');
    expect(result.error).toBe('vendor_error');
    expect(gw.stub.requests).toHaveLength(1);
  });

  it('no headers within the budget: vendor_timeout', async () => {
    gw.stub.script({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const started = Date.now();
    const result = await chat('hei');
    expect(result.error).toBe('vendor_timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('malformed JSON and malformed SSE: vendor_error', async () => {
    gw.stub.script({ kind: 'raw', contentType: 'application/json', body: '{"replies": [' });
    expect((await chat('hei')).error).toBe('vendor_error');
    gw.stub.script({ kind: 'raw', contentType: 'text/event-stream', body: 'data: {not json}\n\n' });
    expect((await chat('hei')).error).toBe('vendor_error');
  });
});
