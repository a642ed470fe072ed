import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeBytes } from '../http/start-app.js';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { connectRaw, OPCODE, type RawClient } from '../support/raw-ws.js';

/** The configured message limit; small, so a frame just over it is cheap to send. */
const MAX_MESSAGE_BYTES = 1024;
const GIB = 1024 ** 3;

let gw: RunningGateway;

beforeAll(async () => {
  gw = await startTestGateway({ MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) });
});
afterAll(async () => {
  await gw.stop();
});

/** Connect and wait for the privacy notice, so the chat is fully open. */
async function openChat(): Promise<RawClient> {
  const client = await connectRaw(gw.gateway.port);
  await expect.poll(() => client.messages().length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(client.messages()[0]).toMatchObject({ type: 'notice' });
  return client;
}

function message(id: string, text: string): string {
  return JSON.stringify({ type: 'message', id, text });
}

const closesTotal = (code: number): Promise<number> => readMetric(gw.httpUrl, `chat_redact_ws_closes_total{code="${code}"}`);

describe('limits are applied before the payload is buffered', () => {
  it('a frame header announcing 1 GiB closes with 1009 although no payload byte was sent', async () => {
    const before = await closesTotal(1009);
    const client = await openChat();
    // Header and mask only: the server must decide from the announced length alone.
    client.sendFrame(OPCODE.text, Buffer.alloc(0), { declaredLength: GIB });
    const { code } = await client.closed;
    expect(code).toBe(1009);
    expect(client.socket.bytesWritten).toBeLessThan(1024);
    expect(await closesTotal(1009)).toBe(before + 1);
  });

  it('a header announcing just over the limit closes with 1009 after a first slice of the payload', async () => {
    const client = await openChat();
    client.sendFrame(OPCODE.text, Buffer.from('{"type":"message"'), { declaredLength: MAX_MESSAGE_BYTES + 1 });
    expect((await client.closed).code).toBe(1009);
  });

  it('fragments count together: continuation frames past the limit close with 1009', async () => {
    const client = await openChat();
    const piece = 'x'.repeat(MAX_MESSAGE_BYTES / 4);
    client.sendFrame(OPCODE.text, piece, { fin: false });
    for (let i = 0; i < 4; i++) client.sendFrame(OPCODE.continuation, piece, { fin: false });
    expect((await client.closed).code).toBe(1009);
    expect(client.messages().some((frame) => frame.type === 'ack')).toBe(false);
  });

  it('a message exactly at the limit is accepted', async () => {
    const client = await openChat();
    const envelope = message('edge', '');
    const text = 'a'.repeat(MAX_MESSAGE_BYTES - Buffer.byteLength(envelope));
    const frame = message('edge', text);
    expect(Buffer.byteLength(frame)).toBe(MAX_MESSAGE_BYTES);
    client.sendFrame(OPCODE.text, frame);
    await expect.poll(() => client.messages().find((f) => f.type === 'ack'), { timeout: 10_000 }).toMatchObject({ id: 'edge', text });
    client.socket.destroy();
  });

  it('a UTF-8 sequence split between fragments is fine; one that never completes closes with 1007', async () => {
    const client = await openChat();
    const bytes = Buffer.from(message('utf', 'blåbær 😀'));
    const cut = bytes.indexOf(Buffer.from('😀')) + 2;
    client.sendFrame(OPCODE.text, bytes.subarray(0, cut), { fin: false });
    client.sendFrame(OPCODE.continuation, bytes.subarray(cut));
    await expect.poll(() => client.messages().find((f) => f.type === 'ack'), { timeout: 10_000 }).toMatchObject({ text: 'blåbær 😀' });
    // A lead byte whose continuation byte never comes: the message ends mid-sequence.
    client.sendFrame(OPCODE.text, Buffer.from([0x7b, 0x22, 0xf0, 0x9f]));
    const { code } = await client.closed;
    expect(code).toBe(1007);
  });

  it('a binary frame is one bad message, not a closed chat', async () => {
    const client = await openChat();
    client.sendFrame(OPCODE.binary, Buffer.from(message('bin', 'hei')));
    client.sendFrame(OPCODE.text, message('after', 'hei'));
    await expect.poll(() => client.messages().find((f) => f.type === 'ack'), { timeout: 10_000 }).toMatchObject({ id: 'after' });
    expect(client.messages().find((f) => f.type === 'error')).toMatchObject({ code: 'invalid_message' });
    client.socket.destroy();
  });

  it('an upgrade request with oversized headers gets 431 and no socket; the server keeps serving', async () => {
    const answer = await exchangeBytes(
      gw.gateway.port,
      'GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Filler: ${'a'.repeat(32 * 1024)}\r\n\r\n`,
    );
    expect(answer.startsWith('HTTP/1.1 431 ')).toBe(true);
    expect(gw.gateway.chat.size).toBe(0);
    expect((await fetch(`${gw.httpUrl}/healthz`)).status).toBe(200);
  });
});

describe('HTTP bodies are refused from their announced length', () => {
  it('a content-length of 1 GiB gets 413 and a hang-up before any of the body is sent', async () => {
    const socket = net.connect(gw.gateway.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closedByServer = new Promise<void>((resolve) => socket.once('end', resolve));
    socket.write(`POST /v1/redact HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${GIB}\r\n\r\n{"text":"`);
    // The server answers and hangs up rather than reading (and discarding) a gibibyte first.
    await closedByServer;
    expect(answer.startsWith('HTTP/1.1 413 ')).toBe(true);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('"code":"message_too_large"');
    expect(answer).toContain('larger than 1 MiB');
    expect(socket.bytesWritten).toBeLessThan(1024);
    socket.destroy();
  });
});
