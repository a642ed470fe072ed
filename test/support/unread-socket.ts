/**
 * A stand-in for the `ws` surface a chat's socket uses, whose client never reads: every frame
 * sent stays in `bufferedAmount`. For the gateway's connection and socket tests; the gateway's
 * own code under test is the real one.
 */
import { EventEmitter } from 'node:events';

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** A socket whose client never reads. */
export class UnreadSocket extends EventEmitter {
  readonly OPEN = OPEN;
  readonly CLOSED = CLOSED;
  readyState = OPEN;
  bufferedAmount = 0;
  sent: string[] = [];
  closes: Array<{ code: number; reason: string }> = [];
  terminated = false;

  send(data: string): void {
    this.sent.push(data);
    this.bufferedAmount += Buffer.byteLength(data);
  }

  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
    this.readyState = CLOSING;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = CLOSED;
    this.emit('close', 1006, Buffer.alloc(0));
  }

  receive(value: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(value)), false);
  }
}
