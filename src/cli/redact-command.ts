/**
 * `chat-redact redact [FILE…]`: scrub logs and transcripts, streamed in constant memory.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KINDS, RedactTransform, type KindCounts, type Policy } from '../redact/index.js';

/** Where the command reads, writes and reports; a test passes its own. */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

export interface RedactCommandOptions {
  files: readonly string[];
  policy: Policy;
  stats: boolean;
}

/** Bytes read between two progress updates on a terminal. */
const PROGRESS_STEP_BYTES = 64 * 1024 * 1024;
/** Only files larger than this get a progress line. */
const PROGRESS_MIN_BYTES = 256 * 1024 * 1024;

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}

/** Counts bytes passing through and reports progress on a terminal. */
function progressMeter(name: string, total: number, io: CommandIo): Transform {
  let seen = 0;
  let next = PROGRESS_STEP_BYTES;
  const show = io.stderr.isTTY === true && total >= PROGRESS_MIN_BYTES;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (show && seen >= next) {
        next += PROGRESS_STEP_BYTES;
        const percent = Math.floor((seen / total) * 100);
        io.stderr.write(`\r${name}: ${formatMiB(seen)} of ${formatMiB(total)} (${percent}%)`);
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (show) io.stderr.write(`\r${name}: ${formatMiB(seen)} done${' '.repeat(20)}\n`);
      callback();
    },
  });
}

function addCounts(into: Map<string, number>, kinds: KindCounts): void {
  for (const kind of KINDS) into.set(kind, (into.get(kind) ?? 0) + (kinds[kind] ?? 0));
}

/** Thrown for a file that cannot be read; the message names the file. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
}

async function openInput(file: string): Promise<{ stream: Readable; size: number }> {
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputFileError(`${file}: is a directory`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new InputFileError(`${file}: ${reason}`);
  }
  return { stream: createReadStream(file), size };
}

/**
 * Redact each file (or stdin when none is given) to stdout, one after the other, with one
 * redactor per file so that a number never joins across two files.
 *
 * @returns the deletions by kind over all inputs
 */
export async function runRedact(options: RedactCommandOptions, io: CommandIo): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const inputs = options.files.length > 0 ? options.files : ['-'];
  for (const file of inputs) {
    const { stream, size } =
      file === '-' ? { stream: io.stdin, size: 0 } : await openInput(file);
    const redactor = new RedactTransform(options.policy);
    await pipeline(stream, progressMeter(file, size, io), redactor, io.stdout, { end: false });
    addCounts(totals, redactor.kinds);
  }
  if (options.stats) {
    const total = [...totals.values()].reduce((a, b) => a + b, 0);
    const lines = [`redactions: ${total}`, ...KINDS.map((kind) => `  ${kind}: ${totals.get(kind) ?? 0}`)];
    io.stderr.write(`${lines.join('\n')}\n`);
  }
  return totals;
}

