import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { HEARTBEAT_INTERVAL_MS, startHeartbeat, type Heartbeat } from '../../src/gateway/heartbeat.js';

/** A connection as the heartbeat sees it: it pings, terminates and hears 'pong' and 'close'. */
class FakeSocket extends EventEmitter {
  pings = 0;
  terminated = false;
  ping(): void {
    this.pings += 1;
  }
  terminate(): void {
    this.terminated = true;
    this.emit('close');
  }
  pong(): void {
    this.emit('pong');
  }
}

const INTERVAL_MS = 1_000;
let heartbeat: Heartbeat | undefined;

afterEach(() => {
  heartbeat?.stop();
  heartbeat = undefined;
  vi.useRealTimers();
});

function startWithFakes(): { stale: FakeSocket[]; watch: (socket: FakeSocket) => void } {
  const stale: FakeSocket[] = [];
  heartbeat = startHeartbeat(INTERVAL_MS, (ws) => stale.push(ws as unknown as FakeSocket));
  return { stale, watch: (socket) => heartbeat!.watch(socket as unknown as WebSocket) };
}

describe('heartbeat', () => {
  it('pings every 30 s by default: below common proxy idle timeouts', () => {
    expect(HEARTBEAT_INTERVAL_MS).toBe(30_000);
  });

  it('pings each watched connection once per interval while it answers', () => {
    vi.useFakeTimers();
    const { stale, watch } = startWithFakes();
    const socket = new FakeSocket();
    watch(socket);
    expect(socket.pings).toBe(0);
    for (let tick = 1; tick <= 5; tick++) {
      vi.advanceTimersByTime(INTERVAL_MS);
      expect(socket.pings).toBe(tick);
      socket.pong();
    }
    expect(socket.terminated).toBe(false);
    expect(stale).toEqual([]);
  });

  it('terminates a connection that has not answered the previous ping by the next one, and reports it once', () => {
    vi.useFakeTimers();
    const { stale, watch } = startWithFakes();
    const silent = new FakeSocket();
    const lively = new FakeSocket();
    watch(silent);
    watch(lively);
    vi.advanceTimersByTime(INTERVAL_MS); // first ping to both
    lively.pong();
    vi.advanceTimersByTime(INTERVAL_MS - 1);
    expect(silent.terminated).toBe(false); // it has until the next ping
    vi.advanceTimersByTime(1);
    expect(silent.terminated).toBe(true);
    expect(silent.pings).toBe(1);
    expect(lively.terminated).toBe(false);
    expect(lively.pings).toBe(2);
    for (let tick = 0; tick < 3; tick++) {
      lively.pong();
      vi.advanceTimersByTime(INTERVAL_MS);
    }
    expect(stale).toEqual([silent]);
    expect(silent.pings).toBe(1);
  });

  it('a pong after the connection was dropped does not bring it back', () => {
    vi.useFakeTimers();
    const { watch } = startWithFakes();
    const socket = new FakeSocket();
    watch(socket);
    vi.advanceTimersByTime(INTERVAL_MS * 2);
    expect(socket.terminated).toBe(true);
    socket.pong();
    vi.advanceTimersByTime(INTERVAL_MS * 2);
    expect(socket.pings).toBe(1);
  });

  it('forgets a connection that closed, and stop() ends every ping', () => {
    vi.useFakeTimers();
    const { stale, watch } = startWithFakes();
    const closed = new FakeSocket();
    const other = new FakeSocket();
    watch(closed);
    watch(other);
    closed.emit('close');
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(closed.pings).toBe(0);
    expect(other.pings).toBe(1);
    heartbeat!.stop();
    vi.advanceTimersByTime(INTERVAL_MS * 5);
    expect(other.pings).toBe(1);
    expect(other.terminated).toBe(false);
    expect(stale).toEqual([]);
  });

  it('with real sockets: a client that answers stays, one whose socket stopped reading is cut', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    const stale: WebSocket[] = [];
    // One process holds both ends: a stall of the event loop as long as the interval fires the timer
    // before the pong waiting in the socket is read, and cuts the client that answers (seen at 50 ms
    // under a loaded full run). 250 ms stays far from the stalls a loaded machine makes.
    heartbeat = startHeartbeat(250, (ws) => stale.push(ws));
    const serverSides: WebSocket[] = [];
    wss.on('connection', (ws) => {
      serverSides.push(ws);
      heartbeat!.watch(ws);
    });
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const client = new WebSocket(url);
        client.once('open', () => resolve(client)).once('error', reject);
      });
    const answering = await open();
    const frozen = await open();
    await expect.poll(() => serverSides.length).toBe(2);
    // A paused socket reads nothing, so the pings go unanswered, as with a closed laptop.
    (frozen as unknown as { _socket: { pause(): void } })._socket.pause();
    await expect.poll(() => stale.length, { timeout: 5_000 }).toBe(1);
    expect(stale[0]).toBe(serverSides[1]);
    expect(serverSides[0]!.readyState).toBe(WebSocket.OPEN);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(answering.readyState).toBe(WebSocket.OPEN);
    expect(stale).toHaveLength(1);
    answering.terminate();
    frozen.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });
});
