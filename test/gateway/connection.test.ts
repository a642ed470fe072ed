import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ChatConnection, type ConnectionDeps } from '../../src/gateway/connection.js';
import type { WriteCoalescer } from '../../src/gateway/write-coalescer.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { createPolicy, redact } from '../../src/redact/index.js';
import { createSessionSealer } from '../../src/session/session-sealer.js';
import { captureLogs } from '../support/log-capture.js';
import { createScriptedChatbot } from '../support/scripted-chatbot.js';
import { UnreadSocket } from '../support/unread-socket.js';

function startConnection(deltas: readonly string[], maxBufferedBytes: number, extra: Partial<ConnectionDeps> & { inProcess?: boolean } = {}) {
  const socket = new UnreadSocket();
  const policy = createPolicy();
  const logs = captureLogs();
  const scripted = createScriptedChatbot({
    reply: async function* reply() {
      yield* deltas;
    },
  });
  const chatbot = extra.inProcess === undefined ? scripted : Object.assign(Object.create(scripted) as typeof scripted, { inProcess: extra.inProcess });
  const deps: ConnectionDeps = {
    policy,
    chatbot,
    sessions: createSessionSealer({ secrets: [], ttlSeconds: 600 }),
    sessionTtlMs: 600_000,
    metrics: createMetrics(METRIC_LABELS, { collectDefaults: false }),
    logger: createLogger({ level: 'debug', scrub: (text) => redact(text, policy).text, destination: logs.stream }),
    privacyNotice: 'notice',
    limits: { maxMessageBytes: 4096, maxReplyBytes: 1_048_576, rateLimitPerMinute: 600, maxConnections: 1 },
    maxBufferedBytes,
    ...(extra.writeCoalescer !== undefined && { writeCoalescer: extra.writeCoalescer }),
  };
  const connection = new ChatConnection(socket as unknown as WebSocket, deps);
  return { socket, connection, logs };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a chat whose client does not read', () => {
  it('is closed by the frame that crosses the threshold, even when it is the last one of the reply', async () => {
    // The notice and the ack fit; the reply's one big delta crosses the threshold, and after it
    // nothing else is ever sent that could trip a check made only before sending.
    const { socket, connection, logs } = startConnection(['x'.repeat(3000)], 1000);
    socket.receive({ type: 'message', id: 'm', text: 'hei' });
    await connection.settled;
    expect(socket.sent.map((frame) => (JSON.parse(frame) as { type: string }).type)).toEqual(['notice', 'session', 'ack', 'reply']);
    expect(socket.closes).toEqual([{ code: 1008, reason: 'client is not reading' }]);
    expect(connection.closeCodeSent).toBe(1008);
    const warning = logs.lines().find((line) => line.msg === 'closing a chat whose client stopped reading');
    expect(warning?.bufferedKiB).toBe(Math.ceil(socket.bufferedAmount / 1024));
  });

  it('stays open while what is unread is within the threshold', async () => {
    const { socket, connection } = startConnection(['x'.repeat(300)], 1000);
    socket.receive({ type: 'message', id: 'm', text: 'hei' });
    await connection.settled;
    // notice, session, ack, and the reply in one final frame (text released in one turn goes out together)
    expect(socket.sent.map((frame) => (JSON.parse(frame) as { type: string }).type)).toEqual(['notice', 'session', 'ack', 'reply']);
    expect(JSON.parse(String(socket.sent[3]))).toEqual({ type: 'reply', id: 'm', text: 'x'.repeat(300), final: true });
    expect(socket.closes).toEqual([]);
    expect(connection.closeCodeSent).toBeUndefined();
  });

  it('drops the socket one second after the close frame if the client has not taken it', async () => {
    vi.useFakeTimers();
    const { socket, connection } = startConnection(['x'.repeat(3000)], 1000);
    socket.receive({ type: 'message', id: 'm', text: 'hei' });
    await connection.settled;
    expect(socket.closes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(socket.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.terminated).toBe(true);
    // What the client was told, not the 1006 that ws reports for a dropped socket.
    expect(connection.closeCodeSent).toBe(1008);
  });

  it('remembers the first close it sent; later closes change nothing', () => {
    const { socket, connection } = startConnection([], 1000);
    connection.close(1008, 'too many messages');
    connection.close(1001, 'server shutting down');
    expect(connection.closeCodeSent).toBe(1008);
    expect(socket.closes[0]).toEqual({ code: 1008, reason: 'too many messages' });
  });
});

describe('the ack of a message', () => {
  /** A write coalescer that holds nothing and records which frames were let out at once. */
  function recordingCoalescer(socket: () => UnreadSocket) {
    const releasedAfter: string[] = [];
    const coalescer = {
      hold: () => false,
      release: () => void releasedAfter.push(String(socket().sent.at(-1))),
    };
    return { coalescer: coalescer as unknown as WriteCoalescer, releasedAfter };
  }

  it('leaves at once, before the message is forwarded, when the bot is reached over the wire', async () => {
    let socket: UnreadSocket | undefined;
    const { coalescer, releasedAfter } = recordingCoalescer(() => socket!);
    const started = startConnection(['Hei'], 1 << 20, { writeCoalescer: coalescer });
    socket = started.socket;
    socket.receive({ type: 'message', id: 'm', text: 'hei' });
    await started.connection.settled;
    expect(releasedAfter.map((frame) => (JSON.parse(frame) as { type: string }).type)).toEqual(['ack']);
  });

  it('is held for the turn’s one write when the bot answers in this process (nothing is forwarded)', async () => {
    let socket: UnreadSocket | undefined;
    const { coalescer, releasedAfter } = recordingCoalescer(() => socket!);
    const started = startConnection(['Hei'], 1 << 20, { writeCoalescer: coalescer, inProcess: true });
    socket = started.socket;
    socket.receive({ type: 'message', id: 'm', text: 'hei' });
    await started.connection.settled;
    expect(releasedAfter).toEqual([]);
    expect(socket.sent.map((frame) => (JSON.parse(frame) as { type: string }).type)).toEqual(['notice', 'session', 'ack', 'reply']);
  });
});
