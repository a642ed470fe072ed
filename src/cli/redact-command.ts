/**
 * `chat-redact redact [FILE…]`: scrub logs and transcripts, streamed in constant memory.
 *
 * Like `cat`, a file that cannot be read is named on stderr and skipped; the others are still
 * written, and the command exits with 1 at the end. Each file gets a redactor of its own, so a
 * number never joins across two files.
 *
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KINDS, RedactTransform, type Kind, type Policy } from '../redact/index.js';
import type { CommandIo } from '../process-io.js';
import { createProgressMeter, shouldShowProgress } from './progress-meter.js';

export interface RedactCommandOptions {
  /** Files in the order they are written; empty or `-` for stdin. */
  files: readonly string[];
  policy: Policy;
  /** Print the deletions by kind to stderr at the end. */
  stats: boolean;
}

/** What {@link runRedact} did. */
export interface RedactCommandResult {
  /** Deletions by kind over every input that was read. */
  totals: Map<Kind, number>;
  /** Files that could not be read (each already reported on stderr). */
  unreadable: string[];
}

/**
 * Bytes per read. Measured on 200 MB of chat text and of ASCII logs (Node 20, 2 cores): 64 KiB
 * and 1 MiB reads cost the same CPU time, and 1 MiB reads peaked 35–75 MB higher in resident
 * memory, since each chunk's decoded and redacted copies outlive the young generation.
 */
const READ_CHUNK_BYTES = 64 * 1024;
const STDIN_NAME = '-';

/** Why a file cannot be read, in the words of `cat`. */
function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (error as Error).message;
}

/** Open a file for reading, or explain why it cannot be read. */
async function openInput(file: string): Promise<{ handle: FileHandle; size: number } | { problem: string }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return { handle, size: info.size };
  } catch (error) {
    await handle?.close();
    return { problem: describeOpenError(error) };
  }
}

async function redactInto(input: Readable, name: string, size: number, policy: Policy, io: CommandIo): Promise<RedactTransform> {
  const redactor = new RedactTransform(policy);
  if (shouldShowProgress(size, io)) {
    await pipeline(input, createProgressMeter(name, size, io.stderr), redactor, io.stdout, { end: false });
  } else {
    await pipeline(input, redactor, io.stdout, { end: false });
  }
  return redactor;
}

function addCounts(into: Map<Kind, number>, redactor: RedactTransform): void {
  const { kinds } = redactor;
  for (const kind of KINDS) into.set(kind, (into.get(kind) ?? 0) + (kinds[kind] ?? 0));
}

function formatStats(totals: Map<Kind, number>): string {
  const total = [...totals.values()].reduce((sum, count) => sum + count, 0);
  const lines = [`redactions: ${total}`, ...KINDS.map((kind) => `  ${kind}: ${totals.get(kind) ?? 0}`)];
  return `${lines.join('\n')}\n`;
}

/**
 * Redact each file (or stdin when none is given) to stdout, one after the other.
 *
 * @example
 * ```ts
 * const { unreadable } = await runRedact({ files: ['a.log', 'b.log'], policy: createPolicy(), stats: true }, process);
 * ```
 */
export async function runRedact(options: RedactCommandOptions, io: CommandIo): Promise<RedactCommandResult> {
  const totals = new Map<Kind, number>(KINDS.map((kind) => [kind, 0]));
  const unreadable: string[] = [];
  const inputs = options.files.length > 0 ? options.files : [STDIN_NAME];
  for (const file of inputs) {
    if (file === STDIN_NAME) {
      addCounts(totals, await redactInto(io.stdin, file, 0, options.policy, io));
      continue;
    }
    const opened = await openInput(file);
    if ('problem' in opened) {
      io.stderr.write(`chat-redact: ${file}: ${opened.problem}\n`);
      unreadable.push(file);
      continue;
    }
    // The stream closes the handle when it ends or fails.
    const input = opened.handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
    addCounts(totals, await redactInto(input, file, opened.size, options.policy, io));
  }
  if (options.stats) io.stderr.write(formatStats(totals));
  return { totals, unreadable };
}
