/**
 * WriteCoalescer on real sockets: the frames one turn sends leave in one write, in order, and the
 * check after the write sees what the client left unread.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { WriteCoalescer } from '../../src/gateway/write-coalescer.js';

let server: Server | undefined;
let clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients) client.terminate();
  clients = [];
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A ws server on loopback, and `count` clients with the server's side of each and what each received. */
async function connect(count: number) {
  server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const accepted: WebSocket[] = [];
  wss.on('connection', (ws) => accepted.push(ws));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const received: string[][] = [];
  for (let k = 0; k < count; k++) {
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    const frames: string[] = [];
    client.on('message', (data) => frames.push(String(data)));
    clients.push(client);
    received.push(frames);
    await new Promise((resolve) => client.once('open', resolve));
  }
  await vi.waitFor(() => expect(accepted).toHaveLength(count));
  return { sides: accepted, received };
}

type WritingSocket = Duplex & { _writev: (...args: unknown[]) => void; _write: (...args: unknown[]) => void };
const socketOf = (ws: WebSocket) => (ws as unknown as { _socket: WritingSocket })._socket;

describe('WriteCoalescer', () => {
  it('sends the frames of one turn in one write, in order, for every chat that wrote', async () => {
    const { sides, received } = await connect(2);
    const writeCoalescer = new WriteCoalescer();
    const writes = sides.map((side) => {
      const socket = socketOf(side);
      return { writev: vi.spyOn(socket, '_writev'), write: vi.spyOn(socket, '_write') };
    });
    const released: number[] = [];
    sides.forEach((side, k) => {
      for (const frame of ['ack', 'reply', 'session']) {
        expect(writeCoalescer.hold(side, () => released.push(k))).toBe(true);
        side.send(`${frame} ${k}`);
      }
    });
    expect(writeCoalescer.size).toBe(2);
    for (const { writev, write } of writes) expect(writev.mock.calls.length + write.mock.calls.length).toBe(0);
    await nextTurn();
    expect(writeCoalescer.size).toBe(0);
    expect(released).toEqual([0, 1]);
    for (const { writev, write } of writes) {
      expect(writev).toHaveBeenCalledTimes(1);
      expect(write).not.toHaveBeenCalled();
    }
    await vi.waitFor(() => expect(received).toEqual([['ack 0', 'reply 0', 'session 0'], ['ack 1', 'reply 1', 'session 1']]));
  });

  it('holds nothing for a socket it cannot cork: a stand-in without one, or a closed chat', async () => {
    const writeCoalescer = new WriteCoalescer();
    expect(writeCoalescer.hold({} as WebSocket, () => {})).toBe(false);
    const { sides } = await connect(1);
    const side = sides[0]!;
    side.terminate();
    await vi.waitFor(() => expect(side.readyState).toBe(WebSocket.CLOSED));
    expect(writeCoalescer.hold(side, () => {})).toBe(false);
    expect(writeCoalescer.size).toBe(0);
  });

  it('looks at what is unread after the write, when the kernel has taken what it could', async () => {
    const { sides } = await connect(1);
    const side = sides[0]!;
    const writeCoalescer = new WriteCoalescer();
    let unreadWhileHeld = 0;
    let unreadAfter = -1;
    writeCoalescer.hold(side, () => (unreadAfter = side.bufferedAmount));
    side.send('x'.repeat(64 * 1024));
    unreadWhileHeld = side.bufferedAmount;
    await nextTurn();
    expect(unreadWhileHeld).toBeGreaterThan(64 * 1024);
    expect(unreadAfter).toBe(0);
  });

  it('lets a frame leave at once on release, and what follows waits for the next write', async () => {
    const { sides, received } = await connect(1);
    const side = sides[0]!;
    const writeCoalescer = new WriteCoalescer();
    const writes = [vi.spyOn(socketOf(side), '_writev'), vi.spyOn(socketOf(side), '_write')];
    let released = 0;
    writeCoalescer.hold(side, () => (released += 1));
    side.send('ack');
    writeCoalescer.release(side);
    expect(released).toBe(1);
    expect(writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(1);
    writeCoalescer.hold(side, () => (released += 1));
    side.send('reply');
    side.send('session');
    writeCoalescer.release({} as WebSocket);
    await nextTurn();
    expect(released).toBe(2);
    expect(writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(2);
    await vi.waitFor(() => expect(received[0]).toEqual(['ack', 'reply', 'session']));
  });
});
