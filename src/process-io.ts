/**
 * The standard streams a command runs with. Both commands (`redact`, `serve`) and the cluster
 * primary write through one, so tests can hand them streams of their own.
 *
 * @module
 */
import type { Readable, Writable } from 'node:stream';

/** stdin, stdout and stderr of one command run; `isTTY` as Node sets it on the real streams. */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}
