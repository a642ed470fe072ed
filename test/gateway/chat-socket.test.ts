/**
 * ChatSocket on its own, over a stand-in for the `ws` surface it uses: what it sends, when it
 * gives up on a client that does not read, and what it remembers of the close it sent.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ChatSocket } from '../../src/gateway/chat-socket.js';
import { createLogger } from '../../src/observability/logger.js';
import { redact } from '../../src/redact/index.js';
import { captureLogs } from '../support/log-capture.js';

const OPEN = 1;
const CLOSED = 3;

class FakeSocket extends EventEmitter {
  readonly OPEN = OPEN;
  readonly CLOSED = CLOSED;
  readyState = OPEN;
  bufferedAmount = 0;
  sent: unknown[] = [];
  closes: Array<[number, string]> = [];
  terminated = 0;

  send(data: string): void {
    this.sent.push(JSON.parse(data));
    this.bufferedAmount += Buffer.byteLength(data);
  }

  close(code: number, reason: string): void {
    this.closes.push([code, reason]);
  }

  terminate(): void {
    this.terminated += 1;
    this.readyState = CLOSED;
    this.emit('close');
  }
}

function open(maxBufferedBytes = 1_000) {
  const ws = new FakeSocket();
  const logs = captureLogs();
  const logger = createLogger({ level: 'debug', scrub: (text) => redact(text).text, destination: logs.stream });
  let closing = 0;
  const socket = new ChatSocket(ws as unknown as WebSocket, { maxBufferedBytes, logger: () => logger, onClosing: () => void (closing += 1) });
  return { ws, socket, logs, closings: () => closing };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ChatSocket', () => {
  it('sends frames as JSON, error frames in the registry’s words, and nothing once the socket is not open', () => {
    const { ws, socket } = open();
    socket.send({ type: 'notice', text: 'hei' });
    socket.sendAck({ type: 'ack', id: 'm1', redactions: 1, text: redact('fnr ').text });
    socket.sendError('rate_limited', 'm2');
    expect(ws.sent).toEqual([
      { type: 'notice', text: 'hei' },
      { type: 'ack', id: 'm1', redactions: 1, text: 'fnr ' },
      { type: 'error', id: 'm2', code: 'rate_limited', message: 'Too many messages; wait a moment before sending more.' },
    ]);
    ws.readyState = CLOSED;
    expect(socket.isOpen).toBe(false);
    socket.send({ type: 'notice', text: 'late' });
    expect(ws.sent).toHaveLength(3);
  });

  it('closes a client that leaves more unread than it may with 1008, and drops it a second later', async () => {
    vi.useFakeTimers();
    const { ws, socket, logs, closings } = open(100);
    socket.send({ type: 'notice', text: 'x'.repeat(200) });
    expect(ws.closes).toEqual([[1008, 'client is not reading']]);
    expect(closings()).toBe(1);
    expect(socket.closeCodeSent).toBe(1008);
    expect(logs.lines().find((line) => line.msg === 'closing a chat whose client stopped reading')?.bufferedKiB).toBe(Math.ceil(ws.bufferedAmount / 1024));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ws.terminated).toBe(1);
  });

  it('closes within a grace: a client that does not answer the close frame is dropped', async () => {
    vi.useFakeTimers();
    const { ws, socket, closings } = open();
    const closed = socket.closeWithin(1001, 'server shutting down', 500);
    expect(ws.closes).toEqual([[1001, 'server shutting down']]);
    expect(closings()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    await closed;
    expect(ws.terminated).toBe(1);
    expect(socket.closeCodeSent).toBe(1001);
  });
});
