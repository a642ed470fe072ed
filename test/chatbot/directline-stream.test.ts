import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ActivityStream, type ActivitySet } from '../../src/chatbot/directline-stream.js';
import { createLogger } from '../../src/observability/logger.js';
import { redact } from '../../src/redact/index.js';
import { keepLogLines } from '../support/log-capture.js';

let server: WebSocketServer;
let url: string;
const sockets: WebSocket[] = [];
const logLines: string[] = [];
const logger = createLogger({ level: 'debug', scrub: (text) => redact(text).text, destination: keepLogLines(logLines) });

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: true });
  server.on('connection', (socket) => void sockets.push(socket));
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
  }
}

function openStream(renew: (signal: AbortSignal) => Promise<string | undefined>, onActivitySet: (set: ActivitySet) => void = () => undefined, heartbeatMs?: number) {
  const stream = new ActivityStream({ renew, onActivitySet, logger, reconnectDelayMs: 10, ...(heartbeatMs !== undefined && { heartbeatMs }) });
  const before = sockets.length;
  stream.connect(url);
  return { stream, connected: () => until(() => sockets.length > before && stream.isOpen) };
}

describe('direct line stream', () => {
  it('hands on activity sets and ignores keep-alives, non-JSON, other shapes, binary and a failing handler', async () => {
    const sets: ActivitySet[] = [];
    const { stream, connected } = openStream(async () => undefined, (set) => {
      sets.push(set);
      if (set.watermark === 'boom') throw new Error('handler failed');
    });
    await connected();
    const socket = sockets.at(-1)!;
    for (const data of ['', '   ', '{not json', '{"other":true}', '[1,2]', JSON.stringify({ activities: [], watermark: 'boom' }), JSON.stringify({ activities: [{ type: 'message' }], watermark: '4000001' })]) socket.send(data);
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await until(() => sets.length === 2);
    expect(sets.map((set) => set.watermark)).toEqual(['boom', '4000001']);
    expect(stream.isOpen).toBe(true);
    stream.close();
  });

  it('renews after a drop, tries again when renewing fails, and stops when the conversation is gone', async () => {
    let renewals = 0;
    const { stream, connected } = openStream(async () => {
      renewals += 1;
      if (renewals === 1) throw new Error('vendor unavailable');
      return renewals === 2 ? url : undefined;
    });
    await connected();
    const count = sockets.length;
    sockets.at(-1)!.close(1011, 'server restarting');
    await until(() => sockets.length === count + 1 && stream.isOpen);
    expect(renewals).toBe(2);
    sockets.at(-1)!.terminate();
    await until(() => renewals === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(renewals).toBe(3);
    expect(stream.isOpen).toBe(false);
  });

  it('lets go after a collision, and drops a stream that stops answering pings', async () => {
    let renewals = 0;
    const renew = async () => {
      renewals += 1;
      return url;
    };
    const collided = openStream(renew);
    await collided.connected();
    sockets.at(-1)!.close(1000, 'collision');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([renewals, collided.stream.isOpen]).toEqual([0, false]);
    const silent = openStream(renew, undefined, 50);
    await silent.connected();
    const socket = sockets.at(-1)!;
    // A peer that stopped reading answers no ping.
    socket.pause();
    await until(() => renewals === 1);
    silent.stream.close();
    expect(logLines.some((line) => line.includes('stopped answering'))).toBe(true);
  });
});
