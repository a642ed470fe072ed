/**
 * What a command has of its process: the standard streams it runs with, and the one table of
 * exit codes it ends with. Both commands (`redact`, `serve`) and the cluster primary write
 * through one, so tests can hand them streams of their own, and return one of the codes.
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

/**
 * Exit codes of every command (the README's exit code table): `ok` done; `failed` something went
 * wrong while running (a file could not be read, the port was taken, a worker kept dying);
 * `usage` nothing was done, because the command line or the configuration is wrong;
 * `interrupted` a second Ctrl+C during a graceful stop (128 + SIGINT, as shells report it).
 */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, interrupted: 130 } as const);
