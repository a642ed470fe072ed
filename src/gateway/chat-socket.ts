/**
 * One chat's socket as the connection uses it: frames sent (a turn's frames in one write, the
 * ack at once), a client that stops reading closed before what waits for it grows without
 * bound, and the close — what code this side sent, and a socket that does not take its close
 * frame dropped after a grace.
 *
 * @module
 */
import type { WebSocket } from 'ws';
import { CLOSE_CODES, type ErrorCode } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { errorFrame, type AckFrame, type ServerFrame } from './protocol.js';
import type { WriteCoalescer } from './write-coalescer.js';

/** How long a client that stopped reading gets to take the close frame before the socket goes. */
const SLOW_CLIENT_GRACE_MS = 1000;
const BYTES_PER_KIB = 1024;

/** Settings of a {@link ChatSocket}. */
export interface ChatSocketOptions {
  /** Bytes the client may leave unread before it is closed as not reading (`maxUnreadBytes`). */
  readonly maxBufferedBytes: number;
  /** Gathers the frames of one turn into one socket write; absent: each frame is written as it is sent. */
  readonly writeCoalescer?: WriteCoalescer | undefined;
  /** The chat's logger as it is now: a resumed chat takes up its conversation id, and logs under it. */
  readonly logger: () => Logger;
  /** This side begins to close: whatever the chat still waits for is given up. */
  readonly onClosing: () => void;
}

/**
 * The socket of one chat.
 *
 * @example
 * ```ts
 * const socket = new ChatSocket(ws, { maxBufferedBytes: 1_048_576, logger: () => log, onClosing: () => abort.abort() });
 * socket.sendAck({ type: 'ack', id, redactions: 0, text });
 * socket.send({ type: 'reply', id, text, final: true });
 * ```
 */
export class ChatSocket {
  readonly #ws: WebSocket;
  readonly #options: ChatSocketOptions;
  #closeCodeSent: number | undefined;

  constructor(ws: WebSocket, options: ChatSocketOptions) {
    this.#ws = ws;
    this.#options = options;
  }

  /** Frames can still be sent. */
  get isOpen(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  /**
   * The code of the close this side started, if it did. A client that never reads takes no
   * close frame and its socket is dropped, which `ws` reports as 1006; this is what it was told.
   */
  get closeCodeSent(): number | undefined {
    return this.#closeCodeSent;
  }

  /**
   * Send a frame, then check what the client has left unread. Checking after the send closes a
   * client as soon as it crosses the threshold, even when that frame was the reply's last and
   * nothing else would come to trip the check; what the gateway holds stays below the threshold
   * plus one turn's frames. Kernel socket buffers come on top, but they are bounded by the kernel.
   * Frames held for the turn's one write are checked once they are written (a turn's frames are
   * not unread until the socket had a chance to take them).
   */
  send(frame: ServerFrame): void {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return;
    const held = this.#options.writeCoalescer?.hold(ws, this.#checkUnread) ?? false;
    ws.send(JSON.stringify(frame));
    if (!held) this.#checkUnread();
  }

  /** An ack leaves before its message is forwarded (see `WriteCoalescer.release`). */
  sendAck(frame: AckFrame): void {
    this.send(frame);
    this.#options.writeCoalescer?.release(this.#ws);
  }

  /** The error frame of `code`, naming the message `id` when there is one. */
  sendError(code: ErrorCode, id: string | undefined): void {
    this.send(errorFrame(code, id));
  }

  close(code: number, reason: string): void {
    this.#options.onClosing();
    // ws sends only the first close frame; later calls change nothing on the wire.
    this.#closeCodeSent ??= code;
    this.#ws.close(code, reason);
  }

  /**
   * Close, and drop the socket if the client has not answered the close frame within `graceMs`
   * (ws would otherwise wait 30 s, past a typical termination grace period).
   */
  closeWithin(code: number, reason: string, graceMs: number): Promise<void> {
    const ws = this.#ws;
    return new Promise((resolve) => {
      if (ws.readyState === ws.CLOSED) {
        resolve();
        return;
      }
      const timer = setTimeout(() => ws.terminate(), graceMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.close(code, reason);
    });
  }

  readonly #checkUnread = (): void => {
    const ws = this.#ws;
    if (ws.readyState === ws.OPEN && ws.bufferedAmount > this.#options.maxBufferedBytes) this.#dropSlowClient();
  };

  #dropSlowClient(): void {
    const ws = this.#ws;
    // In KiB, rounded up: past the threshold (at least 1 MiB) a count of bytes has seven digits,
    // which the logger writes as null.
    this.#options.logger().warn({ bufferedKiB: Math.ceil(ws.bufferedAmount / BYTES_PER_KIB) }, 'closing a chat whose client stopped reading');
    this.close(CLOSE_CODES.policyViolation, 'client is not reading');
    setTimeout(() => ws.terminate(), SLOW_CLIENT_GRACE_MS).unref();
  }
}
