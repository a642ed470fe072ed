#!/usr/bin/env node
/**
 * The `chat-redact` command: `serve` runs the gateway, `redact` scrubs files and streams.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { InputFileError, runRedact, type CommandIo } from './cli/redact-command.js';
import { PolicyError, createPolicy } from './redact/index.js';

/** Exit codes: 0 done, 1 failed while running, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage:
  chat-redact serve                  run the chat gateway (configured by environment variables)
  chat-redact redact [FILE…]         redact files, or stdin, to stdout
  chat-redact --help | --version

Options for redact:
  --min-digits N     digits that make a number sensitive (2-64, default 7)
  --max-gap N        separators allowed between two digits (0-8, default 3)
  --replacement S    text put where a number was (default: nothing)
  --stats            print how many numbers were removed, by kind, to stderr

Every combination of N or more digits (any script; spaces, dots, dashes and invisible
characters between them) is deleted. Input is streamed: files of any size use constant memory.`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function readVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

function parseInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

/** Run the command line `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'min-digits': { type: 'string' },
        'max-gap': { type: 'string' },
        replacement: { type: 'string' },
        stats: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (values.version) {
      io.stdout.write(`${readVersion()}\n`);
      return EXIT.ok;
    }
    const [command, ...files] = positionals;
    if (command === 'serve') {
      if (files.length > 0) throw new UsageError(`serve takes no arguments, got "${files[0]}"`);
      const { runServe } = await import('./cli/serve-command.js');
      return await runServe(io);
    }
    if (command !== 'redact') {
      throw new UsageError(command === undefined ? 'a command is required' : `unknown command "${command}"`);
    }
    const policy = createPolicy({
      ...(values['min-digits'] !== undefined && { minDigits: parseInteger('min-digits', values['min-digits']) }),
      ...(values['max-gap'] !== undefined && { maxGap: parseInteger('max-gap', values['max-gap']) }),
      ...(values.replacement !== undefined && { replacement: values.replacement }),
    });
    await runRedact({ files, policy, stats: values.stats }, io);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CommandIo): number {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EPIPE') return EXIT.ok; // the reader went away (`| head`): not a failure
  if (error instanceof UsageError || error instanceof PolicyError || code?.startsWith('ERR_PARSE_ARGS')) {
    const message = error instanceof PolicyError ? error.problems.join('; ') : (error as Error).message;
    io.stderr.write(`chat-redact: ${message}\nTry 'chat-redact --help'.\n`);
    return EXIT.usage;
  }
  if (error instanceof InputFileError) {
    io.stderr.write(`chat-redact: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`chat-redact: ${(error as Error).message ?? String(error)}\n`);
  return EXIT.failed;
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntryPoint) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
  });
  const code = await main(process.argv.slice(2), process);
  process.exitCode = code;
  // A stopped server still holds watchers (default metrics) that never end on their own; its
  // logs are written synchronously, so exiting now loses nothing.
  if (process.argv[2] === 'serve') process.exit(code);
}
