/**
 * What a {@link ChatClient} is given — its WebSocket, store, redactor, reconnect timing — and
 * the events it reports.
 *
 * @module
 */
import type { AckFrame, ChatAction, ErrorFrame, NoticeFrame, ReplyFrame, SessionFrame } from './frames.js';
import type { LocalRedaction, LocalRedactor } from './local-redaction.js';
import type { SessionStore } from './session-store.js';
// Named by {@link} in the comments.
import type { ChatClient } from './chat-client.js';

/**
 * Where a client is: opening a socket, waiting for the answer to its `resume`, `open` (messages
 * go out at once), `waiting` to reconnect, or `closed` for good by {@link ChatClient.close}.
 *
 * @example
 * ```ts
 * client.on('state', ({ state }) => { if (state === 'waiting') showOffline(); });
 * ```
 */
export type ConnectionState = 'connecting' | 'resuming' | 'open' | 'waiting' | 'closed';

/**
 * The part of the WebSocket API the client uses: the browser's, Node 22's, or `ws`'s.
 *
 * @example
 * ```ts
 * const socket: WebSocketLike = new WebSocket('wss://chat.example.no/chat');
 * ```
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
}
/**
 * A WebSocket constructor: `WebSocket` in a browser, `ws`'s default export in Node 20.
 *
 * @example
 * ```ts
 * import WebSocket from 'ws';
 * new ChatClient({ url, WebSocket: WebSocket as unknown as WebSocketConstructor });
 * ```
 */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/**
 * Reconnect backoff: the ceiling doubles per attempt, and each wait is half of it plus a random share.
 *
 * @example
 * ```ts
 * new ChatClient({ url, reconnect: { baseDelayMs: 500, maxDelayMs: 10_000 } });
 * ```
 */
export interface ReconnectOptions {
  /** Ceiling of the first wait, in ms (default 1000). */
  readonly baseDelayMs?: number;
  /** Largest ceiling, in ms (default 30000). */
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/**
 * Settings of a {@link ChatClient}; only `url` is required.
 *
 * @example
 * ```ts
 * const options: ChatClientOptions = { url: 'wss://chat.example.no/chat', store: createWebStorageStore(sessionStorage) };
 * ```
 */
export interface ChatClientOptions {
  /**
   * The chat endpoint, `wss://chat.example.no/chat`; or a function asked before each connection
   * (a page that adds a fresh pass to it).
   */
  readonly url: string | URL | (() => string | URL);
  /** Default `globalThis.WebSocket`; pass `ws`'s on Node 20. */
  readonly WebSocket?: WebSocketConstructor;
  /** Where the token and unanswered messages are kept (default: memory; a browser passes `sessionStorage`'s). */
  readonly store?: SessionStore;
  /** Redacts each message before it is sent (default: the engine's default policy). */
  readonly redactor?: LocalRedactor;
  /** Reconnect timing, or `false` to stay closed when the connection drops. */
  readonly reconnect?: ReconnectOptions | false;
  /** Message ids (default: `m` and 20 random letters: ids reach logs, so they hold no digit). */
  readonly createId?: () => string;
}

/**
 * A reply frame as an event: `first` is true for the first frame of this answer on this connection.
 *
 * @example
 * ```ts
 * client.on('reply', (reply: ReplyEvent) => showReply(reply.id, reply.text, { replace: reply.first, actions: reply.actions }));
 * ```
 */
export interface ReplyEvent extends ReplyFrame {
  readonly actions: readonly ChatAction[];
  /**
   * The first frame of an answer. When the message was sent again after a reconnect, whatever
   * part of an earlier answer is on screen is to be replaced by this one, not added to.
   */
  readonly first: boolean;
}
/**
 * A change of {@link ConnectionState}.
 *
 * @example
 * ```ts
 * client.on('state', ({ state, retryInMs }: StateEvent) => showStatus(state, retryInMs));
 * ```
 */
export interface StateEvent {
  readonly state: ConnectionState;
  /** With `waiting`: how long until the next attempt, in ms. */
  readonly retryInMs?: number;
  /** With `waiting`: the close code of the connection that ended. */
  readonly closeCode?: number;
}
/**
 * Every event and what it carries.
 *
 * @example
 * ```ts
 * const events: Array<keyof ChatClientEvents> = ['state', 'notice', 'session', 'ack', 'reply', 'error'];
 * ```
 */
export interface ChatClientEvents {
  state: StateEvent;
  notice: NoticeFrame;
  session: SessionFrame;
  ack: AckFrame;
  reply: ReplyEvent;
  error: ErrorFrame;
}
/**
 * A message on its way: its id, and what was sent instead of what was typed.
 *
 * @example
 * ```ts
 * const sent: SentMessage = client.send('ring 98 76 54 32'); // { id, text: 'ring ', redactions: 1, removed: { phone: 1 } }
 * ```
 */
export interface SentMessage extends LocalRedaction {
  readonly id: string;
}
