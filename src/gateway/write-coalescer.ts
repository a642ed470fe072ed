/**
 * Frames a chat sends within one turn of the event loop leave in one socket write. An answered
 * message ends with its final reply frame and, when the chat's state changed (new buttons, a
 * stand-in id, an LLM's history: every turn for `openai`), a fresh session token, in the same
 * turn; each `ws.send` is a `writev` of its own, and on loopback a `writev` also runs the peer's
 * TCP receive path, so it was the largest single cost in a profile of the gateway under load.
 * The ack is the exception: it leaves at once ({@link WriteCoalescer.release}), before its
 * message is forwarded.
 *
 * `ws` has no public cork, but its socket does, and `ws` itself corks around each frame's
 * header and payload: corking the socket once more holds every frame of the turn until the
 * socket is uncorked, after the turn's promise jobs, in the check phase (`setImmediate`), or
 * when a frame must leave at once (`release`). One timer serves every chat that wrote in the
 * turn. The order of frames is the order of `send`.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** The socket under a `ws` WebSocket: `ws` keeps it in `_socket` (null before open and after close). */
function socketOf(ws: WebSocket): Duplex | undefined {
  const socket = (ws as unknown as { _socket?: Duplex | null })._socket;
  return socket !== null && socket !== undefined && typeof socket.cork === 'function' ? socket : undefined;
}

/**
 * Holds the writes of many sockets until the end of the turn.
 *
 * @example
 * ```ts
 * const writeCoalescer = new WriteCoalescer();
 * writeCoalescer.hold(ws, () => checkWhatIsUnread(ws)); // true: corked until the turn ends
 * ws.send(ack);
 * ws.send(reply); // both frames leave in one writev
 * ```
 */
export class WriteCoalescer {
  /** Sockets corked in this turn, and what to do once each is uncorked. */
  readonly #held = new Map<Duplex, () => void>();
  #scheduled = false;
  readonly #release = (): void => this.#releaseAll();

  /**
   * Cork `ws`'s socket until the end of this turn, if it is not already; `afterRelease` runs once
   * it is uncorked (to look at what the client has left unread). Returns `false` when `ws` has no
   * socket to cork (not open, or not a `ws` socket): writes then go out as they are sent.
   */
  hold(ws: WebSocket, afterRelease: () => void): boolean {
    const socket = socketOf(ws);
    if (socket === undefined || socket.destroyed) return false;
    if (this.#held.has(socket)) return true;
    socket.cork();
    this.#held.set(socket, afterRelease);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#release);
    }
    return true;
  }

  /**
   * Uncork `ws`'s socket now, if this turn holds it: what it was sent so far leaves at once, in one
   * write. For a frame that must be on the wire before what comes next in the turn: the ack goes
   * out before the message is forwarded, or the vendor's answer to it (another process woken on
   * the same cores) would hold the ack back — measured 0.3 ms later at the median.
   */
  release(ws: WebSocket): void {
    const socket = socketOf(ws);
    const afterRelease = socket === undefined ? undefined : this.#held.get(socket);
    if (socket === undefined || afterRelease === undefined) return;
    this.#held.delete(socket);
    socket.uncork();
    afterRelease();
  }

  /** Sockets held now (for tests). */
  get size(): number {
    return this.#held.size;
  }

  #releaseAll(): void {
    this.#scheduled = false;
    const held = [...this.#held];
    this.#held.clear();
    for (const [socket] of held) socket.uncork();
    for (const [, afterRelease] of held) afterRelease();
  }
}
