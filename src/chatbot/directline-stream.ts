/**
 * The WebSocket stream of one Direct Line conversation: connect to its `streamUrl`, hand on every
 * activity set it carries, and keep it open within Direct Line's rules — a stream URL is good for
 * one connection, so after a drop a fresh one is fetched (`GET …/conversations/{id}?watermark=`,
 * which replays what was missed) with jittered backoff; a close for `collision` means another
 * client took the conversation over, so this one lets it go. It is background work: nothing here
 * throws, and errors end up as log lines and a reconnect.
 *
 * @module
 */
import WebSocket, { type ClientOptions } from 'ws';
import { computeBackoffDelay, resolveRetryOptions, type ResolvedRetryOptions } from '../backoff.js';
import type { Logger } from '../observability/logger.js';
import { activitySetSchema, type ActivitySet } from './directline-activity.js';
import { MAX_JSON_BYTES } from './response-body.js';

export type { ActivitySet } from './directline-activity.js';

/** How the stream keeps itself alive; every field has a default. */
export interface StreamTiming {
  /** Ping this often; a stream that did not answer the last ping is dropped and renewed (default 30 s). */
  readonly heartbeatMs?: number;
  /** First reconnect wait's ceiling in ms (default 500), doubled per failed attempt up to {@link MAX_RECONNECT_DELAY_MS}. */
  readonly reconnectDelayMs?: number;
}

/** What the stream needs from its conversation. */
export interface StreamOptions extends StreamTiming {
  /**
   * A fresh stream URL (the reconnect request, replaying from the last watermark), or
   * `undefined` when the conversation is gone and the stream is to stop.
   */
  readonly renew: (signal: AbortSignal) => Promise<string | undefined>;
  readonly onActivitySet: (set: ActivitySet) => void;
  readonly logger: Logger;
  /** Opens the socket, on the road the vendor's requests take (`VendorClient.openWebSocket`). */
  readonly openWebSocket: (url: string, options: ClientOptions) => WebSocket;
  /** The egress proxy's host for a stream URL, named when the stream fails (`VendorClient.proxyHostOf`). */
  readonly proxyHostOf?: (url: string) => string | undefined;
}

const DEFAULT_HEARTBEAT_MS = 30_000;
const DEFAULT_RECONNECT_DELAY_MS = 500;
/** DirectLineJS waits 3–15 s between reconnects; a chat gateway starts sooner but ends up there. */
const MAX_RECONNECT_DELAY_MS = 15_000;
/** Direct Line takes 60 s at most to answer the upgrade of a stream URL it issued. */
const HANDSHAKE_TIMEOUT_MS = 20_000;
/** The close reason Direct Line gives a stream that a newer one for the same conversation replaced. */
const COLLISION_REASON = 'collision';

/** The stream of one conversation; {@link ActivityStream.close} ends it for good. */
export class ActivityStream {
  readonly #options: StreamOptions;
  readonly #backoff: ResolvedRetryOptions;
  readonly #stopped = new AbortController();
  #socket: WebSocket | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #alive = false;

  constructor(options: StreamOptions) {
    this.#options = options;
    this.#backoff = resolveRetryOptions({
      baseDelayMs: Math.min(options.reconnectDelayMs ?? DEFAULT_RECONNECT_DELAY_MS, MAX_RECONNECT_DELAY_MS),
      maxDelayMs: MAX_RECONNECT_DELAY_MS,
    });
  }

  /** Connected and not stopped. */
  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Connect to `streamUrl` (replacing any socket this stream has). */
  connect(streamUrl: string): void {
    if (this.#stopped.signal.aborted) return;
    this.#drop();
    let socket: WebSocket;
    try {
      const options: ClientOptions = { maxPayload: MAX_JSON_BYTES, handshakeTimeout: HANDSHAKE_TIMEOUT_MS };
      socket = this.#options.openWebSocket(streamUrl, options);
    } catch (error) {
      this.#options.logger.warn({ errorName: (error as Error).name }, 'direct line stream URL refused');
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.on('open', () => {
      this.#failures = 0;
      this.#alive = true;
      this.#startHeartbeat(socket);
    });
    socket.on('pong', () => void (this.#alive = true));
    socket.on('message', (data, isBinary) => {
      this.#alive = true;
      if (!isBinary) this.#receive(String(data));
    });
    const proxy = this.#options.proxyHostOf?.(streamUrl);
    socket.on('error', (error) => this.#options.logger.info({ errorName: error.name, code: (error as { code?: unknown }).code, proxy }, 'direct line stream error'));
    socket.on('close', (code, reason) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      clearInterval(this.#timer);
      if (this.#stopped.signal.aborted) return;
      if (reason.toString() === COLLISION_REASON) {
        this.#options.logger.info('direct line stream taken over by another connection; letting it go');
        this.close();
        return;
      }
      this.#options.logger.info({ code }, 'direct line stream closed; reconnecting');
      this.#scheduleReconnect();
    });
  }

  /** Stop for good: close the socket, cancel a pending reconnect. */
  close(): void {
    this.#stopped.abort();
    this.#drop();
  }

  #drop(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined) return;
    socket.removeAllListeners('close');
    socket.on('error', () => undefined);
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close();
  }

  /** An empty message is Direct Line's keep-alive; anything that is no activity set is ignored. */
  #receive(text: string): void {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#options.logger.info('direct line stream sent a message that is not JSON; ignored');
      return;
    }
    const parsed = activitySetSchema.safeParse(value);
    if (!parsed.success) {
      this.#options.logger.info('direct line stream sent a message that is no activity set; ignored');
      return;
    }
    try {
      this.#options.onActivitySet(parsed.data);
    } catch (error) {
      this.#options.logger.error({ errorName: (error as Error).name }, 'direct line activities could not be handled');
    }
  }

  #startHeartbeat(socket: WebSocket): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      if (!this.#alive) {
        this.#options.logger.info('direct line stream stopped answering; reconnecting');
        socket.terminate();
        return;
      }
      this.#alive = false;
      socket.ping();
    }, this.#options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** The service's one backoff rule (equal jitter), so that chats do not reconnect in step. */
  #scheduleReconnect(): void {
    this.#failures += 1;
    this.#timer = setTimeout(() => void this.#reconnect(), computeBackoffDelay(this.#failures, this.#backoff));
    this.#timer.unref();
  }

  async #reconnect(): Promise<void> {
    const { signal } = this.#stopped;
    let streamUrl: string | undefined;
    try {
      streamUrl = await this.#options.renew(signal);
    } catch (error) {
      if (signal.aborted) return;
      this.#options.logger.info({ errorName: (error as Error).name, code: (error as { code?: unknown }).code }, 'direct line stream could not be renewed');
      this.#scheduleReconnect();
      return;
    }
    if (signal.aborted) return;
    if (streamUrl === undefined) {
      this.#options.logger.info('direct line conversation is gone; its stream stops');
      this.close();
      return;
    }
    this.connect(streamUrl);
  }
}
