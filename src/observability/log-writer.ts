/**
 * Where the service's log lines go: stdout, the lines of one turn of the event loop gathered and
 * written in one synchronous `write(2)` when the turn ends (`setImmediate`), and whatever is
 * gathered written synchronously on `exit` (which an uncaught exception reaches too) and on a
 * fatal line (pino calls `flushSync`). Nothing is ever in flight in the thread pool, so no line
 * is lost when the process ends by a crash or `process.exit`; only a SIGKILL (or an unhandled
 * signal) loses the lines of the turn it lands in. Lines are handed on in the order they came.
 *
 * A full pipe (a non-blocking stdout answers EAGAIN, or takes part of a write): the rest is kept,
 * in order, and tried again on a timer (1 ms, doubling up to 64 ms), without blocking the event
 * loop and without spinning; lines that come meanwhile are gathered behind it. Memory is bounded:
 * past `MAX_GATHERED` characters the writer blocks — sleeps and retries, as pino's synchronous
 * destination does for every line — until the reader takes them, so no line is dropped. A closed
 * pipe (EPIPE) ends the writing quietly, as pino's own stdout does; any other error is thrown.
 *
 * Not pino's `pino.destination({ sync: true, minLength })` with a `flushSync` at the end of the
 * turn: sonic-boom's `flushSync` ends with an `fsync` (a thrown and caught EINVAL on a pipe, a
 * disk flush on a file) and copies every written string into a Buffer again; and its EAGAIN
 * answer is a 100 ms sleep per try in every mode.
 *
 * @module
 */
import { writeSync } from 'node:fs';
// Node's own timers, not the globals: a test's fake timers must not hold the service's lines back.
import { setImmediate, setTimeout } from 'node:timers';

/** stdout's file descriptor. */
const STDOUT = 1;
/** A turn that gathers this many characters writes them at once rather than at its end. */
export const WRITE_AT = 64 * 1024;
/** Past this many characters waiting for a stalled reader, writing blocks until it reads. */
export const MAX_GATHERED = 4 * 1024 * 1024;
const FIRST_RETRY_MS = 1;
const LAST_RETRY_MS = 64;

/** The system call, replaceable in tests: bytes written, or throws as `fs.writeSync` does. */
export type WriteFd = (fd: number, data: string | Uint8Array) => number;

export interface LineWriterOptions {
  fd?: number;
  write?: WriteFd;
  /** Block this long (ms) between tries while blocking; tests pass a recorder. */
  sleep?: (ms: number) => void;
}

const writeFd: WriteFd = (fd, data) => (typeof data === 'string' ? writeSync(fd, data) : writeSync(fd, data));
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const sleepBlocking = (ms: number): void => void Atomics.wait(sleepCell, 0, 0, ms);
const isPipeFull = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EAGAIN' || code === 'EBUSY';
};
const isPipeClosed = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';

/**
 * A pino destination that gathers the lines of a turn and writes them in one synchronous write.
 *
 * @example
 * ```ts
 * const logger = pino({}, new LineWriter());
 * logger.info('a'); logger.info('b'); // one write(2) of both lines when this turn ends
 * ```
 */
export class LineWriter {
  readonly #fd: number;
  readonly #write: WriteFd;
  readonly #sleep: (ms: number) => void;
  /** Lines not yet handed to the system, after `#rest`. */
  #gathered = '';
  /** The part of a write the system did not take (a full pipe), to go first. */
  #rest: Uint8Array | undefined;
  #scheduled = false;
  /** The last write found the pipe full: lines wait for the retry timer. */
  #stalled = false;
  #retryMs = FIRST_RETRY_MS;
  #closed = false;

  constructor(options: LineWriterOptions = {}) {
    this.#fd = options.fd ?? STDOUT;
    this.#write = options.write ?? writeFd;
    this.#sleep = options.sleep ?? sleepBlocking;
  }

  /** Gather a line (pino's lines end with their newline). */
  write(line: string): boolean {
    if (this.#closed) return true;
    this.#gathered += line;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#endTurn);
    }
    if (this.#gathered.length >= WRITE_AT && !this.#stalled) this.#writeGathered();
    if (this.#gathered.length >= MAX_GATHERED) this.flushSync();
    return true;
  }

  /** Write everything gathered now, blocking while the reader is not reading. */
  flushSync(): void {
    let sleepMs = FIRST_RETRY_MS;
    while (!this.#writeGathered()) {
      this.#sleep(sleepMs);
      sleepMs = Math.min(sleepMs * 2, LAST_RETRY_MS);
    }
  }

  /** pino's `logger.flush(cb)`: what is gathered is written now if the pipe takes it, else when it does. */
  flush(callback?: (error?: Error) => void): void {
    if (!this.#writeGathered()) this.#retryLater();
    if (callback !== undefined) process.nextTick(callback);
  }

  readonly #endTurn = (): void => {
    this.#scheduled = false;
    if (this.#writeGathered()) this.#retryMs = FIRST_RETRY_MS;
    else this.#retryLater();
  };

  #retryLater(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // unref: the writer alone keeps no process alive; `exit` writes what is left, blocking.
    setTimeout(this.#endTurn, this.#retryMs).unref();
    this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
  }

  /** Hand the rest and the gathered lines to the system; false when the pipe is full (the remainder kept). */
  #writeGathered(): boolean {
    this.#stalled = !this.#tryWrite();
    return !this.#stalled;
  }

  #tryWrite(): boolean {
    try {
      if (this.#rest !== undefined) {
        const rest = this.#rest;
        const written = this.#write(this.#fd, rest);
        if (written < rest.length) {
          this.#rest = rest.subarray(written);
          return false;
        }
        this.#rest = undefined;
      }
      const text = this.#gathered;
      if (text === '') return true;
      this.#gathered = '';
      let written = 0;
      try {
        written = this.#write(this.#fd, text);
      } finally {
        // Lines the system did not take (a partial write, EAGAIN) go first next time, byte-exact.
        if (written < Buffer.byteLength(text)) this.#rest = Buffer.from(text).subarray(written);
      }
      return this.#rest === undefined;
    } catch (error) {
      if (isPipeFull(error)) return false;
      if (!isPipeClosed(error)) throw error;
      this.#closed = true;
      this.#rest = undefined;
      this.#gathered = '';
      return true;
    }
  }
}

let stdoutWriter: LineWriter | undefined;

/**
 * The process's one writer of stdout lines, shared by every logger (one `exit` listener however
 * many gateways a process starts).
 */
export function stdoutLineWriter(): LineWriter {
  if (stdoutWriter === undefined) {
    const writer = new LineWriter();
    process.once('exit', () => {
      try {
        writer.flushSync();
      } catch {
        // A stdout that fails (other than full or closed) while the process ends: nowhere left to say so.
      }
    });
    stdoutWriter = writer;
  }
  return stdoutWriter;
}
