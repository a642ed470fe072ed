/**
 * A chat with the gateway over one WebSocket at a time: it redacts each message on the device
 * before sending, reconnects with jittered backoff when the connection drops, resumes the
 * conversation with its session token, and sends again, with the same id, whatever was not
 * answered — so a reconnect, a reload or a rolling deploy costs the user nothing and nothing is
 * answered twice. What the gateway says comes out as typed events.
 *
 * @module
 */
import { computeBackoffDelay, type ResolvedRetryOptions } from '../backoff.js';
import { CLOSE_CODES, type ErrorCode } from '../errors.js';
import { normalizeLineBreaks } from '../line-breaks.js';
import type { ChatClientEvents, ChatClientOptions, ConnectionState, SentMessage, StateEvent, WebSocketConstructor, WebSocketLike } from './client-options.js';
import { createMessageId, parseServerFrame, type OutgoingFrame, type SessionFrame } from './frames.js';
import { createLocalRedactor, type LocalRedactor } from './local-redaction.js';
import { createMemoryStore, type SessionStore } from './session-store.js';

const SOCKET_OPEN = 1;
const DEFAULT_RECONNECT = { baseDelayMs: 1_000, maxDelayMs: 30_000 } as const;
/** The gateway sends this for a message it took but could not answer before it stopped. */
const SHUTTING_DOWN: ErrorCode = 'shutting_down';

type Listeners = { [E in keyof ChatClientEvents]: Set<(event: ChatClientEvents[E]) => void> };

/**
 * A chat client.
 *
 * @example
 * ```ts
 * const client = new ChatClient({
 *   url: 'wss://chat.example.no/chat',
 *   store: createWebStorageStore(sessionStorage),
 *   redactor: createLocalRedactor(await fetchWidgetPolicy('https://chat.example.no')),
 * });
 * client.on('reply', (reply) => show(reply.id, reply.text, reply.first));
 * client.connect();
 * client.send('Mitt fnr er 010190 12480'); // sends 'Mitt fnr er ', removed { national_id: 1 }
 * ```
 */
export class ChatClient {
  readonly #url: () => string;
  readonly #WebSocket: WebSocketConstructor;
  readonly #store: SessionStore;
  readonly #redactor: LocalRedactor;
  readonly #backoff: ResolvedRetryOptions | undefined;
  readonly #createId: () => string;
  readonly #listeners: Listeners = { state: new Set(), notice: new Set(), session: new Set(), ack: new Set(), reply: new Set(), error: new Set() };
  /** Sent (or to be sent) and not yet answered, oldest first. */
  readonly #pending = new Map<string, OutgoingFrame>();
  /** Answers that began on this connection. */
  readonly #answering = new Set<string>();
  #token: string | undefined;
  #socket: WebSocketLike | undefined;
  #state: ConnectionState = 'closed';
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Session frames on this connection while a `resume` waits for its answer; the first is not it. */
  #sessionFramesWhileResuming = 0;

  constructor(options: ChatClientOptions) {
    const { url } = options;
    this.#url = typeof url === 'function' ? () => String(url()) : () => String(url);
    const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (WebSocketClass === undefined) throw new TypeError('No WebSocket here: pass options.WebSocket (on Node 20, the `ws` package).');
    this.#WebSocket = WebSocketClass;
    this.#store = options.store ?? createMemoryStore();
    this.#redactor = options.redactor ?? createLocalRedactor();
    this.#backoff = options.reconnect === false ? undefined : { maxAttempts: Number.MAX_SAFE_INTEGER, random: Math.random, ...DEFAULT_RECONNECT, ...options.reconnect };
    this.#createId = options.createId ?? createMessageId;
    const saved = this.#store.load();
    this.#token = saved?.token;
    for (const frame of saved?.pending ?? []) this.#pending.set(frame.id, frame);
  }

  /** Where the client is now. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The session token held now, if any. */
  get token(): string | undefined {
    return this.#token;
  }

  /** Messages and clicks not answered yet, oldest first. */
  get pending(): readonly OutgoingFrame[] {
    return [...this.#pending.values()];
  }

  /** The redactor messages pass before they are sent. */
  get redactor(): LocalRedactor {
    return this.#redactor;
  }

  /** Listen to `event`; returns the function that stops listening. */
  on<E extends keyof ChatClientEvents>(event: E, listener: (payload: ChatClientEvents[E]) => void): () => void {
    const listeners = this.#listeners[event] as Set<(payload: ChatClientEvents[E]) => void>;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Open the connection (resuming the held session, if any); nothing happens when one is open or opening. */
  connect(): void {
    if (this.#socket !== undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#setState({ state: 'connecting' });
    this.#answering.clear();
    this.#sessionFramesWhileResuming = 0;
    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(withResumeIntent(this.#url(), this.#token !== undefined));
    } catch {
      this.#scheduleReconnect(undefined);
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => this.#opened(socket));
    socket.addEventListener('message', (event) => {
      if (this.#socket === socket) this.#receive(event.data);
    });
    // An 'error' event is always followed by 'close', so reconnecting is handled there alone; the
    // listener is still needed, as `ws` throws an error event that nobody listens to.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#scheduleReconnect(event.code);
    });
  }

  /** While waiting to reconnect: try now (the device came back online). */
  reconnectNow(): void {
    if (this.#state === 'waiting') this.connect();
  }

  /** Close for good: no reconnect. The session stays in the store for a later client. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close(CLOSE_CODES.normal, 'client closed');
    this.#setState({ state: 'closed' });
  }

  /**
   * Redact `text` on the device and send what is left, now if the chat is open, else as soon as
   * it is. Kept until answered, and sent again with the same id after a reconnect. Line breaks
   * are written `\n` first, as the gateway writes them (`line-breaks.ts`), so that what is sent
   * and shown is what the policy read.
   */
  send(text: string): SentMessage {
    const redactor = this.#redactor;
    const local = redactor.take === undefined ? redactor.redact(normalizeLineBreaks(text)) : redactor.take(normalizeLineBreaks(text));
    const id = this.#createId();
    const hasRemovals = Object.keys(local.removed).length > 0;
    this.#queue({ type: 'message', id, text: local.text, ...(hasRemovals && { removed: local.removed }) });
    return { id, ...local };
  }

  /** Click action `actionId` (a button a reply offered); returns the id its ack and answer carry. */
  sendAction(actionId: string): string {
    const id = this.#createId();
    this.#queue({ type: 'action', id, action: actionId });
    return id;
  }

  #queue(frame: OutgoingFrame): void {
    this.#pending.set(frame.id, frame);
    this.#save();
    if (this.#state === 'open') this.#transmit(frame);
  }

  #transmit(frame: OutgoingFrame): void {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== SOCKET_OPEN) return;
    socket.send(JSON.stringify(frame));
    if (frame.type === 'message' && frame.removed !== undefined) {
      // Reported once: sent again after a reconnect, the message must not count its removals twice.
      const { removed: _reported, ...unreported } = frame;
      this.#pending.set(frame.id, unreported);
      this.#save();
    }
  }

  #opened(socket: WebSocketLike): void {
    if (this.#socket !== socket) return;
    if (this.#token === undefined) {
      this.#ready();
      return;
    }
    this.#setState({ state: 'resuming' });
    socket.send(JSON.stringify({ type: 'resume', token: this.#token }));
  }

  /** The conversation is set: send whatever waits, in order, with the ids it had. */
  #ready(): void {
    this.#attempt = 0;
    this.#setState({ state: 'open' });
    for (const frame of this.#pending.values()) this.#transmit(frame);
  }

  #receive(data: unknown): void {
    const frame = parseServerFrame(data);
    if (frame === undefined) return;
    switch (frame.type) {
      case 'session':
        this.#takeSession(frame);
        return;
      case 'notice':
        this.#emit('notice', frame);
        return;
      case 'ack':
        this.#emit('ack', frame);
        return;
      case 'reply': {
        const first = frame.id === undefined || !this.#answering.has(frame.id);
        if (frame.id !== undefined) this.#answering.add(frame.id);
        if (frame.final && frame.id !== undefined && this.#pending.delete(frame.id)) this.#save();
        this.#emit('reply', { ...frame, actions: frame.actions ?? [], first });
        return;
      }
      case 'error':
        // Stopped before it could answer: the message goes again after the reconnect.
        if (frame.id !== undefined && frame.code !== SHUTTING_DOWN && this.#pending.delete(frame.id)) this.#save();
        this.#emit('error', frame);
    }
  }

  /**
   * The gateway sends a session frame as soon as the socket opens, before it reads anything: a
   * client that sent `resume` gets its answer in the second one and must not keep the first in
   * place of the token it is resuming with. Every later frame carries a fresher token.
   */
  #takeSession(frame: SessionFrame): void {
    if (this.#state === 'resuming') {
      this.#sessionFramesWhileResuming += 1;
      if (this.#sessionFramesWhileResuming === 1) return;
    }
    this.#token = frame.token;
    this.#save();
    const wasResuming = this.#state === 'resuming';
    this.#emit('session', frame);
    if (wasResuming) this.#ready();
  }

  #scheduleReconnect(closeCode: number | undefined): void {
    if (this.#state === 'closed') return;
    if (this.#backoff === undefined) {
      this.#setState({ state: 'closed', ...(closeCode !== undefined && { closeCode }) });
      return;
    }
    this.#attempt += 1;
    const delay = computeBackoffDelay(this.#attempt, this.#backoff);
    this.#timer = setTimeout(() => this.connect(), delay);
    this.#setState({ state: 'waiting', retryInMs: delay, ...(closeCode !== undefined && { closeCode }) });
  }

  #save(): void {
    this.#store.save({ ...(this.#token !== undefined && { token: this.#token }), pending: [...this.#pending.values()] });
  }

  #setState(event: StateEvent): void {
    this.#state = event.state;
    this.#emit('state', event);
  }

  #emit<E extends keyof ChatClientEvents>(event: E, payload: ChatClientEvents[E]): void {
    for (const listener of this.#listeners[event]) (listener as (value: ChatClientEvents[E]) => void)(payload);
  }
}

/**
 * The chat URL saying what the first frame will be: `resume=1` when a token is held, so the
 * gateway waits for it however slow the network (rather than starting a new conversation after a
 * second), `resume=0` when not, so the greeting comes at once.
 */
export function withResumeIntent(url: string, resuming: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  parsed.searchParams.set('resume', resuming ? '1' : '0');
  return parsed.href;
}
