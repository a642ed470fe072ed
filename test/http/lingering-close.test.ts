import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import { Agent, fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeLingering, LINGER_LIMITS, type LingerLimits } from '../../src/http/lingering-close.js';
import { CLI, killLeftoverChildren, startAndWaitForUrl, type ServiceProcess } from '../support/serve-process.js';

const MIB = 1024 * 1024;
const TRIES = 50;

describe('a body refused for its size, sent by undici fetch on a kept-alive connection', () => {
  // The gateway in a process of its own, as in production: in one process with the client,
  // the race between the answer and the reset is never lost, and the test would prove nothing.
  let service: ServiceProcess;
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 1 });
  beforeAll(async () => {
    service = await startAndWaitForUrl(process.execPath, [CLI, 'serve'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await agent.close();
    killLeftoverChildren();
  });

  /** One POST of `body` to the JSON route: its status, `connection` header and error code, or the error that came instead. */
  async function post(body: Buffer | (() => AsyncIterable<Uint8Array>)): Promise<string> {
    try {
      const response = await fetch(`${service.url}/v1/redact`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        dispatcher: agent,
        ...(Buffer.isBuffer(body) ? { body } : { body: body(), duplex: 'half' as const }),
      });
      const answer = (await response.json()) as { error?: { code?: string } };
      return `${response.status} ${response.headers.get('connection')} ${answer.error?.code}`;
    } catch (error) {
      return `failed: ${(error as { cause?: { code?: string } }).cause?.code ?? String(error)}`;
    }
  }

  it(`with its length announced: ${TRIES} tries, every one answered 413 with connection: close`, async () => {
    const body = Buffer.alloc(4 * MIB, 'a');
    const answers: string[] = [];
    for (let k = 0; k < TRIES; k++) answers.push(await post(body));
    expect(answers).toEqual(Array(TRIES).fill('413 close message_too_large'));
  });

  it(`sent in chunks without a length: ${TRIES} tries, every one answered 413 with connection: close`, async () => {
    async function* chunks(): AsyncIterable<Uint8Array> {
      for (let k = 0; k < 3; k++) yield Buffer.alloc(MIB / 2 + 1, 'a');
    }
    const answers: string[] = [];
    for (let k = 0; k < TRIES; k++) answers.push(await post(chunks));
    expect(answers).toEqual(Array(TRIES).fill('413 close message_too_large'));
  });

  it('the next request after them is served as usual', async () => {
    const response = await fetch(`${service.url}/v1/redact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hei' }),
      dispatcher: agent,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: 'hei', redactions: 0, kinds: {}, allowed: 0, kept: 0, keptClasses: {} });
  });
});

describe('closeLingering, on a bare server and a raw TCP client', () => {
  let server: http.Server | undefined;
  let serverSockets: Socket[] = [];
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
    server = undefined;
    serverSockets = [];
  });

  /** A server that answers 413 at once to every request, with the lingering close under `limits`. */
  async function startRefusing(limits?: LingerLimits): Promise<number> {
    const refusing = http.createServer((req, res) => {
      closeLingering(req, res, limits);
      res.statusCode = 413;
      res.end('too large');
    });
    server = refusing;
    refusing.on('connection', (socket: Socket) => serverSockets.push(socket));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    return (refusing.address() as AddressInfo).port;
  }

  interface RawClient {
    socket: net.Socket;
    answer(): string;
    /** Resolves when the server's FIN arrives. */
    ended: Promise<void>;
  }

  /** A client that announces a body of `announced` bytes and keeps its side open after the server's FIN. */
  async function connect(port: number, announced: number): Promise<RawClient> {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => {});
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    socket.write(`POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${announced}\r\n\r\n`);
    return { socket, answer: () => answer, ended };
  }

  /** Write `bytes` in 64 KiB chunks, as fast as the socket takes them; resolves with the bytes the socket accepted. */
  async function pump(socket: net.Socket, bytes: number): Promise<number> {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    while (written < bytes && socket.writable && !socket.destroyed) {
      written += chunk.length;
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
    }
    return written;
  }

  const closedAt = (socket: Socket): Promise<number> =>
    new Promise((resolve) => (socket.destroyed ? resolve(performance.now()) : socket.once('close', () => resolve(performance.now()))));

  it('by default reads 16 MiB or waits 5 s', () => {
    expect(LINGER_LIMITS).toEqual({ maxBytes: 16 * MIB, maxMs: 5_000 });
  });

  it('answers with connection: close, half-closes, goes on reading, and closes once the client has closed its side', async () => {
    const client = await connect(await startRefusing(), 10 * MIB);
    await client.ended;
    expect(client.answer()).toMatch(/^HTTP\/1\.1 413 [^]*\r\nconnection: close\r\n[^]*too large$/i);
    const [serverSocket] = serverSockets;
    // The server still reads: 2 MiB more go through without a reset.
    expect(await pump(client.socket, 2 * MIB)).toBeGreaterThanOrEqual(2 * MIB);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(serverSocket!.destroyed).toBe(false);
    client.socket.end();
    await closedAt(serverSocket!);
    expect(serverSocket!.bytesRead).toBeGreaterThan(2 * MIB);
  });

  it('closes after the byte bound even while the client keeps sending', async () => {
    const client = await connect(await startRefusing({ maxBytes: MIB, maxMs: 60_000 }), 100 * MIB);
    await client.ended;
    const [serverSocket] = serverSockets;
    const readAtAnswer = serverSocket!.bytesRead;
    void pump(client.socket, 8 * MIB);
    await closedAt(serverSocket!);
    const readAfter = serverSocket!.bytesRead - readAtAnswer;
    expect(readAfter).toBeGreaterThan(MIB);
    expect(readAfter).toBeLessThan(2 * MIB);
    client.socket.destroy();
  });

  it('closes after the time bound when the client neither sends nor closes', async () => {
    const client = await connect(await startRefusing({ maxBytes: 16 * MIB, maxMs: 300 }), 10 * MIB);
    await client.ended;
    const finAt = performance.now();
    const closed = await closedAt(serverSockets[0]!);
    expect(closed - finAt).toBeGreaterThan(250);
    expect(closed - finAt).toBeLessThan(3_000);
    client.socket.destroy();
  });
});
