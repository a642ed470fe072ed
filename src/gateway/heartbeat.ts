/**
 * The keep-alive of the chat connections: a WebSocket ping at every interval; a connection
 * that has not answered the previous ping with a pong by the next one is gone (a closed laptop,
 * a dropped network) and is terminated, so such chats do not pile up.
 *
 * @module
 */
import type { WebSocket } from 'ws';

/** Ping interval: browsers answer pings on their own, and 30 s is below common proxy idle timeouts. */
export const HEARTBEAT_INTERVAL_MS = 30_000;

export interface Heartbeat {
  /** Keep an eye on a new connection until it closes. */
  watch(ws: WebSocket): void;
  stop(): void;
}

/** Start pinging every `intervalMs`; `onStale` hears of each connection terminated for silence. */
export function startHeartbeat(intervalMs: number, onStale: (ws: WebSocket) => void): Heartbeat {
  const answered = new Map<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const [ws, alive] of answered) {
      if (!alive) {
        answered.delete(ws);
        onStale(ws);
        ws.terminate();
        continue;
      }
      answered.set(ws, false);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    watch(ws) {
      answered.set(ws, true);
      ws.on('pong', () => {
        if (answered.has(ws)) answered.set(ws, true);
      });
      ws.on('close', () => answered.delete(ws));
    },
    stop() {
      clearInterval(timer);
    },
  };
}
