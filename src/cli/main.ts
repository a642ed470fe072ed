/**
 * The command line: reads the arguments, dispatches to `serve` or `redact`, and turns every
 * failure into one line on stderr and an exit code. `src/cli.ts` is only the executable that
 * calls {@link main}; keeping the two apart lets tests call `main` and lets the executable run
 * however it is reached (a symlink in `node_modules/.bin`, `npx`, `node dist/cli.js`).
 *
 * @module
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
// The engine's modules one by one, not `redact/index.js`: the command line needs neither the
// markup redactors nor the web streams, and loading them was part of every run's start-up.
// `redact --json` of an empty file (bench/micro/json-hostile.js, CPU, medians of 7 interleaved
// rounds, load ~12): 67.8 → 59.6 ms on Node 26, 116 → 95 on Node 20 — 15–25% of a 4 MiB run.
import { MAX_JSON_LINE_BYTES } from '../redact/json-lines-redactor.js';
import { MAX_JSON_DEPTH } from '../redact/json-rewriter.js';
import { POLICY_LIMITS, createPolicy } from '../redact/policy.js';
import { EXIT, type CommandIo } from '../process-io.js';
import { runRedact } from './redact-command.js';
import { OPTIONS, UsageError, readRedactFlags, type OptionValues } from './redact-flags.js';


/** What a usage error ends with, so the user knows where to look. */
const HELP_HINT = "(see 'chat-redact --help')";

const MIB = 1024 * 1024;

export const USAGE = `Usage:
  chat-redact serve                  run the chat gateway (configured by environment variables)
  chat-redact redact [FILE…]         redact files, or stdin, to stdout
  chat-redact --help | --version

Options for redact:
  --min-digits N       digits that make a number sensitive (${POLICY_LIMITS.minDigits.min}-${POLICY_LIMITS.minDigits.max}, default ${POLICY_LIMITS.minDigits.default})
  --max-gap N          separators allowed between two digits (${POLICY_LIMITS.maxGap.min}-${POLICY_LIMITS.maxGap.max}, default ${POLICY_LIMITS.maxGap.default})
  --replacement S      text put where a number was (default: nothing)
  --allow N            keep this public number wherever it is written in full (repeatable)
  --json               JSON lines: write each JSON line back as valid JSON of the same shape
  --keep-field NAME    with --json: write this field as it came (repeatable; dot paths, * for
                       any key; time, timestamp, @timestamp and ts by default, '' for none)
  --keep-timestamps    keep complete date-times (2026-12-01T07:45:18Z, Dec  1 07:45:18); a
                       bare date is still deleted
  --keep CLASSES       keep numbers that identify nobody: amounts, future_dates, org_numbers
                       (comma-separated or repeated); a national id, account or card number
                       is deleted however it is written
  --stats              print how many numbers were removed, by kind, and kept, to stderr

Every combination of N or more digits (any script; spaces, dots, dashes and invisible
characters between them) is deleted. Files are written one after the other; "-" or no FILE
reads stdin. Input is streamed: files of any size use constant memory. A file that cannot be
read is reported and skipped, the others are still written. With --json, a line that is not
JSON, longer than ${MAX_JSON_LINE_BYTES / MIB} MiB or nested deeper than ${MAX_JSON_DEPTH} levels is
redacted as text.

Exit status: 0 done, 1 a file could not be read, 2 the command line was wrong.`;

function readVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/**
 * Check the option tokens ourselves rather than with `parseArgs`' strict mode: its messages are
 * long, name no fix, and refuse `--replacement -` (a value that starts with a dash).
 */
function findTokenProblems(tokens: ReturnType<typeof parseArgs>['tokens'] = []): string[] {
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as keyof typeof OPTIONS] : undefined;
    if (spec === undefined) problems.push(`unknown option ${token.rawName}`);
    else if (spec.type === 'string' && token.value === undefined) problems.push(`${token.rawName} needs a value`);
    else if (spec.type === 'boolean' && token.inlineValue === true) problems.push(`${token.rawName} takes no value`);
  }
  return problems;
}

/**
 * Run the command line `argv` (without `node` and the script); resolves to the exit code.
 *
 * @example
 * ```ts
 * const code = await main(['redact', 'chat.log', '--stats'], process);
 * ```
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    if (argv.length === 0) {
      io.stderr.write(`${USAGE}\n`);
      return EXIT.usage;
    }
    const { values, positionals, tokens } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: false,
      tokens: true,
    });
    const tokenProblems = findTokenProblems(tokens);
    if (tokenProblems.length > 0) throw new UsageError(tokenProblems.join('; '));
    if (values.help === true) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (values.version === true) {
      io.stdout.write(`${readVersion()}\n`);
      return EXIT.ok;
    }
    const [command, ...files] = positionals;
    if (command === 'serve') {
      if (files.length > 0) throw new UsageError(`serve takes no arguments, got "${files[0]}"`);
      const redactFlag = tokens?.find((token) => token.kind === 'option');
      if (redactFlag?.kind === 'option') {
        throw new UsageError(`${redactFlag.rawName} is for redact; serve is configured by environment variables`);
      }
      const { runServe } = await import('./serve-command.js');
      return await runServe(io);
    }
    if (command === undefined) throw new UsageError('a command is required: serve or redact');
    if (command !== 'redact') throw new UsageError(`unknown command "${command}"`);
    const flags = readRedactFlags(values as OptionValues);
    const policy = createPolicy(flags.policy);
    const { unreadable } = await runRedact({ files, policy, stats: flags.stats, json: flags.json }, io);
    return unreadable.length > 0 ? EXIT.failed : EXIT.ok;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CommandIo): number {
  if ((error as NodeJS.ErrnoException | null)?.code === 'EPIPE') return EXIT.ok; // the reader went away (`| head`)
  if (error instanceof UsageError) {
    io.stderr.write(`chat-redact: ${error.message} ${HELP_HINT}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`chat-redact: ${(error as Error | null)?.message ?? String(error)}\n`);
  return EXIT.failed;
}
