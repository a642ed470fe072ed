/**
 * For the client library's tests: a `ws` WebSocket that records every frame it sends and
 * receives, and a log of a client's events that a test can wait on.
 */
import WebSocket from 'ws';
import type { ChatClient, ChatClientEvents, WebSocketConstructor } from '../../src/client/index.js';

/** Frames as they went over the wire, in order. */
export interface Wire {
  readonly sent: string[];
  readonly received: string[];
  /** The URL of every connection opened, in order. */
  readonly urls: string[];
}

/** A `ws` WebSocket class whose instances write what they send and receive into `wire`. */
export function recordingWebSocket(wire: Wire): WebSocketConstructor {
  return class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      wire.urls.push(url);
      this.on('message', (data) => wire.received.push(String(data)));
    }

    override send(data: unknown, ...rest: unknown[]): void {
      wire.sent.push(String(data));
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
}

/** One event, as the client emitted it. */
export type LoggedEvent = { [E in keyof ChatClientEvents]: { name: E; payload: ChatClientEvents[E] } }[keyof ChatClientEvents];

const EVENT_NAMES = ['state', 'notice', 'session', 'ack', 'reply', 'error'] as const;

/** Every event of `client`, and a way to wait for one. */
export interface EventLog {
  readonly events: LoggedEvent[];
  /** The payloads of every event called `name`, in order. */
  all<E extends keyof ChatClientEvents>(name: E): ChatClientEvents[E][];
  /** Resolves with the `count`-th event (counting from the start) called `name` that matches. */
  waitFor<E extends keyof ChatClientEvents>(
    name: E,
    match?: (payload: ChatClientEvents[E]) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<ChatClientEvents[E]>;
}

/** Start logging `client`'s events. */
export function logEvents(client: ChatClient): EventLog {
  const events: LoggedEvent[] = [];
  const wakers = new Set<() => void>();
  for (const name of EVENT_NAMES) {
    client.on(name, (payload) => {
      events.push({ name, payload } as LoggedEvent);
      for (const wake of wakers) wake();
    });
  }
  const all = <E extends keyof ChatClientEvents>(name: E): ChatClientEvents[E][] =>
    events.filter((event) => event.name === name).map((event) => event.payload as ChatClientEvents[E]);
  return {
    events,
    all,
    waitFor(name, match = () => true, { count = 1, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = all(name).filter(match);
          if (found.length < count) return false;
          wakers.delete(check);
          clearTimeout(timer);
          resolve(found[count - 1]!);
          return true;
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`no ${count}. "${name}" event in ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        if (!check()) wakers.add(check);
      });
    },
  };
}
