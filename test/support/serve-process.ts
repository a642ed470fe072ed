/**
 * Runs the service as a user or an orchestrator does — a child process of its own — and waits
 * for the address it prints, for end-to-end tests of start-up, signals and exit codes. Its
 * standard output, where its log lines go, is judged line by line (`log-capture.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LineJudge } from './log-capture.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built command line (`npm test` builds first). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const children: ChildProcess[] = [];

export interface ServiceProcess {
  child: ChildProcess;
  /** The gateway's address as printed, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Everything written to stderr and stdout so far. */
  output(): string;
}

/** Where a command runs: the checkout and this process's environment with `env` added, unless said otherwise. */
export interface StartOptions {
  readonly cwd?: string;
  /** The whole environment, instead of this process's with `env` added. */
  readonly fullEnv?: NodeJS.ProcessEnv;
  /** How long the command may take to print the address (default 60 s). */
  readonly startTimeoutMs?: number;
}

/** Start a command and resolve once it prints the gateway's address on stderr. */
export function startAndWaitForUrl(command: string, args: string[], env: Record<string, string>, options: StartOptions = {}): Promise<ServiceProcess> {
  // Its own process group, so that a test can press "Ctrl+C" on the whole group as a terminal does.
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.fullEnv ?? { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let stderr = '';
  let stdout = '';
  const judge = new LineJudge(`${command} ${args.join(' ')}`);
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('end', () => judge.end());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in time; stderr: ${stderr}`)), options.startTimeoutMs ?? 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      judge.write(d.toString());
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /gateway on (http:\/\/[^\s]+)/.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => stderr + stdout });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

/** Resolves with the exit code, or the signal's name when a signal ended the process. */
export function exitOf(child: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode);
    else child.on('exit', (code, signal) => resolve(code ?? signal));
  });
}

/** Kill the process group of every child a test left running (call it in `afterEach`). */
export function killLeftoverChildren(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}
