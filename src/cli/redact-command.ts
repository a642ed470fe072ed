/**
 * `chat-redact redact [FILE…]`: scrub logs and transcripts, streamed in constant memory, as
 * text or (`--json`) as JSON lines.
 *
 * Like `cat`, a file that cannot be read is named on stderr and skipped; the others are still
 * written, and the command exits with 1 at the end. Each file gets a redactor of its own, so a
 * number never joins across two files.
 *
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ByteRedactor } from '../redact/byte-redactor.js';
import { JsonLinesRedactor, MAX_JSON_LINE_BYTES } from '../redact/json-lines-redactor.js';
import { JsonLinesTransform } from '../redact/json-lines-transform.js';
import type { KeepClass, KeptCounts } from '../redact/kept-classes.js';
import { KINDS, type Kind, type KindCounts } from '../redact/kinds.js';
import { RedactTransform } from '../redact/node-transform.js';
import type { Policy } from '../redact/policy.js';
import type { CommandIo } from '../process-io.js';
import { redactFile } from './file-redaction.js';
import { createProgressLine, shouldShowProgress } from './progress-meter.js';

export interface RedactCommandOptions {
  /** Files in the order they are written; empty or `-` for stdin. */
  files: readonly string[];
  policy: Policy;
  /** Print the deletions by kind, and what was kept (by class, when the policy keeps any), to stderr at the end. */
  stats: boolean;
  /** JSON-lines mode and the fields it keeps; absent for text. */
  json?: { keepFields: readonly string[] } | undefined;
}

/** What {@link runRedact} did, over every input that was read. */
export interface RedactCommandResult {
  /** Deletions by kind. */
  totals: Map<Kind, number>;
  /** Sensitive combinations kept on purpose: allowed numbers, date-times, kept classes. */
  kept: number;
  /** Of those, allowed numbers and date-times. */
  allowed: number;
  /** Of those, kept-class numbers (`--keep`) by class. */
  keptClasses: Map<KeepClass, number>;
  /** JSON mode: values kept by a keep-field, lines redacted as text, of which over the size limit. */
  keptFields: number;
  textLines: number;
  longLines: number;
  /** Files that could not be read (each already reported on stderr). */
  unreadable: string[];
}

/** What the redactor of each input counts; JSON mode counts more. */
interface InputCounts {
  readonly kinds: KindCounts;
  readonly allowed: number;
  /** Kept-class numbers (`--keep`) by class. */
  readonly keptClasses: KeptCounts;
  readonly keptFields?: number;
  readonly textLines?: number;
  readonly longLines?: number;
}

const STDIN_NAME = '-';
const MAX_LINE_MIB = MAX_JSON_LINE_BYTES / (1024 * 1024);

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

/** Stdin, through the stream transforms (a pipe gives what it has; a read loop would gain nothing). */
async function redactStdin(options: RedactCommandOptions, io: CommandIo): Promise<InputCounts> {
  const { policy, json } = options;
  const redactor = json === undefined ? new RedactTransform(policy) : new JsonLinesTransform(policy, json);
  await pipeline(io.stdin, redactor, io.stdout, { end: false });
  return redactor;
}

async function redactOpenFile(handle: FileHandle, name: string, size: number, options: RedactCommandOptions, io: CommandIo): Promise<InputCounts> {
  const { policy, json } = options;
  const redactor = json === undefined ? new ByteRedactor(policy) : new JsonLinesRedactor(policy, json);
  const progress = shouldShowProgress(size, io) ? createProgressLine(name, size, io.stderr) : undefined;
  try {
    await redactFile(handle.fd, redactor, io.stdout, progress);
  } finally {
    await handle.close();
  }
  return redactor;
}

function addCounts(into: RedactCommandResult, redactor: InputCounts): void {
  const { kinds } = redactor;
  for (const kind of KINDS) into.totals.set(kind, (into.totals.get(kind) ?? 0) + (kinds[kind] ?? 0));
  into.allowed += redactor.allowed;
  into.kept += redactor.allowed;
  for (const [name, count] of Object.entries(redactor.keptClasses) as [KeepClass, number][]) {
    into.kept += count;
    into.keptClasses.set(name, (into.keptClasses.get(name) ?? 0) + count);
  }
  into.keptFields += redactor.keptFields ?? 0;
  into.textLines += redactor.textLines ?? 0;
  into.longLines += redactor.longLines ?? 0;
}

/** The `--stats` block; with `--keep`, what was kept by class (and the allowed rest). */
function formatStats(result: RedactCommandResult, policy: Policy, json: boolean): string {
  const total = [...result.totals.values()].reduce((sum, count) => sum + count, 0);
  const lines = [`redactions: ${total}`, ...KINDS.map((kind) => `  ${kind}: ${result.totals.get(kind) ?? 0}`), `kept: ${result.kept}`];
  if (policy.keep.length > 0) {
    lines.push(`  allowed: ${result.allowed}`, ...policy.keep.map((name) => `  ${name}: ${result.keptClasses.get(name) ?? 0}`));
  }
  if (json) {
    lines.push(`kept fields: ${result.keptFields}`, `lines redacted as text: ${result.textLines}`, `  over ${MAX_LINE_MIB} MiB: ${result.longLines}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Redact each file (or stdin when none is given) to stdout, one after the other.
 *
 * @example
 * ```ts
 * const { unreadable } = await runRedact({ files: ['a.log', 'b.log'], policy: createPolicy(), stats: true }, process);
 * await runRedact({ files: ['app.jsonl'], policy: createPolicy({ keepTimestamps: true }), stats: false, json: { keepFields: ['time'] } }, process);
 * ```
 */
export async function runRedact(options: RedactCommandOptions, io: CommandIo): Promise<RedactCommandResult> {
  const result: RedactCommandResult = {
    totals: new Map<Kind, number>(KINDS.map((kind) => [kind, 0])),
    kept: 0,
    allowed: 0,
    keptClasses: new Map(),
    keptFields: 0,
    textLines: 0,
    longLines: 0,
    unreadable: [],
  };
  const inputs = options.files.length > 0 ? options.files : [STDIN_NAME];
  for (const file of inputs) {
    if (file === STDIN_NAME) {
      addCounts(result, await redactStdin(options, io));
      continue;
    }
    const opened = await openInput(file);
    if ('problem' in opened) {
      io.stderr.write(`chat-redact: ${file}: ${opened.problem}\n`);
      result.unreadable.push(file);
      continue;
    }
    addCounts(result, await redactOpenFile(opened.handle, file, opened.size, options, io));
  }
  if (options.stats) io.stderr.write(formatStats(result, options.policy, options.json !== undefined));
  return result;
}
