/**
 * Runs the built command line (`node dist/cli.js`, what the package's `bin` points at) as a
 * child process, as a user's shell would, and collects what it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Start the CLI with `args`; the caller drives stdin. */
export function spawnCli(args: readonly string[], cwd = ROOT): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Wait for a started CLI to exit, collecting its output. */
export function collect(child: ChildProcess): Promise<CliResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }),
    );
  });
}

/** Run the CLI to its end with `input` on stdin (empty when not given). */
export function runCli(args: readonly string[], input: string | Buffer = '', cwd = ROOT): Promise<CliResult> {
  const child = spawnCli(args, cwd);
  const result = collect(child);
  child.stdin?.on('error', () => {}); // the CLI may exit (usage error) before reading its stdin
  child.stdin?.end(input);
  return result;
}

/** A temporary folder for the file's tests, removed after them. */
export function useTempDir(prefix: string): () => string {
  const dir = mkdtempSync(join(tmpdir(), `chat-redact-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
