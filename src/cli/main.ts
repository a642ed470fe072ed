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
import { POLICY_LIMITS, createPolicy, policySchema, type PolicyOptions } from '../redact/index.js';
import type { CommandIo } from '../process-io.js';
import { runRedact } from './redact-command.js';

/** Exit codes: 0 done, 1 failed while running (e.g. a file could not be read), 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** What a usage error ends with, so the user knows where to look. */
const HELP_HINT = "(see 'chat-redact --help')";

export const USAGE = `Usage:
  chat-redact serve                  run the chat gateway (configured by environment variables)
  chat-redact redact [FILE…]         redact files, or stdin, to stdout
  chat-redact --help | --version

Options for redact:
  --min-digits N     digits that make a number sensitive (${POLICY_LIMITS.minDigits.min}-${POLICY_LIMITS.minDigits.max}, default ${POLICY_LIMITS.minDigits.default})
  --max-gap N        separators allowed between two digits (${POLICY_LIMITS.maxGap.min}-${POLICY_LIMITS.maxGap.max}, default ${POLICY_LIMITS.maxGap.default})
  --replacement S    text put where a number was (default: nothing)
  --stats            print how many numbers were removed, by kind, to stderr

Every combination of N or more digits (any script; spaces, dots, dashes and invisible
characters between them) is deleted. Files are written one after the other; "-" or no FILE
reads stdin. Input is streamed: files of any size use constant memory. A file that cannot be
read is reported and skipped, the others are still written.

Exit status: 0 done, 1 a file could not be read, 2 the command line was wrong.`;

const OPTIONS = {
  'min-digits': { type: 'string' },
  'max-gap': { type: 'string' },
  replacement: { type: 'string' },
  stats: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** The flag that sets each policy setting, so that problems name what the user typed. */
const POLICY_FLAGS: Readonly<Record<keyof PolicyOptions, string>> = {
  minDigits: '--min-digits',
  maxGap: '--max-gap',
  replacement: '--replacement',
  allow: '--allow',
  keepTimestamps: '--keep-timestamps',
};

class UsageError extends Error {
  override readonly name = 'UsageError';
}

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

function readWholeNumber(flag: 'minDigits' | 'maxGap', value: string, problems: string[]): number {
  const { min, max } = POLICY_LIMITS[flag];
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    problems.push(`${POLICY_FLAGS[flag]} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return number;
}

/** The policy the flags ask for; every bad flag is reported at once, each by its name. */
function readPolicyFlags(values: { 'min-digits'?: string; 'max-gap'?: string; replacement?: string }): PolicyOptions {
  const problems: string[] = [];
  const options: PolicyOptions = {};
  if (values['min-digits'] !== undefined) options.minDigits = readWholeNumber('minDigits', values['min-digits'], problems);
  if (values['max-gap'] !== undefined) options.maxGap = readWholeNumber('maxGap', values['max-gap'], problems);
  if (values.replacement !== undefined) {
    const checked = policySchema.shape.replacement.safeParse(values.replacement);
    if (checked.success) options.replacement = checked.data;
    else problems.push(...checked.error.issues.map((issue) => `${POLICY_FLAGS.replacement} ${issue.message}`));
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return options;
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
    const policy = createPolicy(readPolicyFlags(values as Record<string, string | undefined>));
    const { unreadable } = await runRedact({ files, policy, stats: values.stats === true }, io);
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
