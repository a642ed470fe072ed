/**
 * ChatSocket on its own, over a stand-in for the `ws` surface it uses: what it sends, when it
 * gives up on a client that does not read, and what it remembers of the close it sent.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ChatSocket } from '../../src/gateway/chat-socket.js';
import { createLogger } from '../../src/observability/logger.js';
import { redact } from '../../src/redact/index.js';
import { captureLogs } from '../support/log-capture.js';
import { UnreadSocket } from '../support/unread-socket.js';

function open(maxBufferedBytes = 1_000) {
  const ws = new UnreadSocket();
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
    expect(ws.sent.map((frame) => JSON.parse(frame) as unknown)).toEqual([
      { type: 'notice', text: 'hei' },
      { type: 'ack', id: 'm1', redactions: 1, text: 'fnr ' },
      { type: 'error', id: 'm2', code: 'rate_limited', message: 'Too many messages; wait a moment before sending more.' },
    ]);
    ws.readyState = ws.CLOSED;
    expect(socket.isOpen).toBe(false);
    socket.send({ type: 'notice', text: 'late' });
    expect(ws.sent).toHaveLength(3);
  });

  it('closes a client that leaves more unread than it may with 1008, and drops it a second later', async () => {
    vi.useFakeTimers();
    const { ws, socket, logs, closings } = open(100);
    socket.send({ type: 'notice', text: 'x'.repeat(200) });
    expect(ws.closes).toEqual([{ code: 1008, reason: 'client is not reading' }]);
    expect(closings()).toBe(1);
    expect(socket.closeCodeSent).toBe(1008);
    expect(logs.lines().find((line) => line.msg === 'closing a chat whose client stopped reading')?.bufferedKiB).toBe(Math.ceil(ws.bufferedAmount / 1024));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ws.terminated).toBe(true);
  });

  it('closes within a grace: a client that does not answer the close frame is dropped', async () => {
    vi.useFakeTimers();
    const { ws, socket, closings } = open();
    const closed = socket.closeWithin(1001, 'server shutting down', 500);
    expect(ws.closes).toEqual([{ code: 1001, reason: 'server shutting down' }]);
    expect(closings()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    await closed;
    expect(ws.terminated).toBe(true);
    expect(socket.closeCodeSent).toBe(1001);
  });
});
