/**
 * The progress line `chat-redact redact` shows on a terminal while it works through a large file:
 * `big.log: 42% (84 of 200 MiB)`, rewritten in place, and `big.log: 200 MiB done` at the end.
 *
 * It appears only when stderr is a terminal and stdout is not: with the output on the same
 * screen, a line rewritten with carriage returns would be mixed into the text. It never goes to
 * a pipe or a file, where a log of carriage returns helps no one.
 *
 * @module
 */
import type { Writable } from 'node:stream';

/** Files smaller than this are done before a progress line would help. */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;
const BYTES_PER_MIB = 1024 * 1024;
const PERCENT = 100;
const CARRIAGE_RETURN = '\r';
/** ANSI "erase in line" (whole line), so a shorter line leaves no tail of the longer one. */
const ERASE_LINE = '\u001b[2K';

/** The streams the decision looks at; `isTTY` is what Node sets on a terminal stream. */
export interface ProgressStreams {
  stdout: { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

function toMiB(bytes: number): number {
  return Math.round(bytes / BYTES_PER_MIB);
}

/**
 * `true` when a file of `totalBytes` gets a progress line: a large file, stderr a terminal,
 * stdout not one.
 *
 * @example
 * ```ts
 * shouldShowProgress(300 * 1024 * 1024, process); // true in a terminal with stdout redirected
 * ```
 */
export function shouldShowProgress(totalBytes: number, streams: ProgressStreams): boolean {
  return totalBytes >= PROGRESS_MIN_BYTES && streams.stderr.isTTY === true && streams.stdout.isTTY !== true;
}

/** The progress line of one file: told how far the file has got, it rewrites itself each whole percent. */
export interface ProgressLine {
  /** `bytes` more of the file have gone through. */
  advance(bytes: number): void;
  /** The file is done: the "done" line. */
  finish(): void;
  /** The file failed half-way: end the line, so the error starts on a line of its own. */
  abandon(): void;
}

/**
 * The progress line for a file of `totalBytes` on `stderr`.
 *
 * @example
 * ```ts
 * const line = createProgressLine('big.log', size, process.stderr);
 * line.advance(chunk.length); // 'big.log: 42% (84 of 200 MiB)'
 * line.finish(); // 'big.log: 200 MiB done'
 * ```
 */
export function createProgressLine(name: string, totalBytes: number, stderr: Writable): ProgressLine {
  let seen = 0;
  let shownPercent = -1;
  let lineOpen = false;
  const show = (text: string): void => {
    stderr.write(`${CARRIAGE_RETURN}${ERASE_LINE}${text}`);
    lineOpen = true;
  };
  return {
    advance(bytes) {
      seen += bytes;
      const percent = Math.min(PERCENT, Math.floor((seen / totalBytes) * PERCENT));
      if (percent > shownPercent) {
        shownPercent = percent;
        show(`${name}: ${percent}% (${toMiB(seen)} of ${toMiB(totalBytes)} MiB)`);
      }
    },
    finish() {
      show(`${name}: ${toMiB(seen)} MiB done\n`);
      lineOpen = false;
    },
    abandon() {
      if (lineOpen) stderr.write('\n');
      lineOpen = false;
    },
  };
}
