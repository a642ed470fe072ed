/**
 * Debian's `prometheus` package for the Prometheus suite: `promtool`, and a real Prometheus
 * server on a loopback port with a temporary configuration and data folder, asked through its
 * HTTP API. The suite fails — never skips — when the package is missing, and says how to get it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { freePort } from '../support/ports.js';

/** How to get both commands on a Debian machine; `.ci/run` does this when they are missing. */
export const INSTALL_HINT =
  "install Debian's prometheus package, which brings prometheus and promtool: " +
  'apt-get update && apt-get install -y --no-install-recommends prometheus';

/** A loaded 2-core machine: Prometheus opens its TSDB and web server within seconds. */
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 200;
const OUTPUT_LIMIT_CHARS = 20_000;

/** The full path of `command` on PATH; throws, saying how to install it, when it is not there. */
export function findTool(command: 'prometheus' | 'promtool'): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not in this folder; try the next.
    }
  }
  throw new Error(`${command} is not on PATH: ${INSTALL_HINT}`);
}

/** What a finished command printed, and its exit code. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run promtool with `args` in `cwd`, feeding `input` to its stdin. */
export function runPromtool(args: string[], options: { cwd: string; input?: string }): Promise<CommandResult> {
  const promtool = findTool('promtool');
  return new Promise((resolve, reject) => {
    const child = execFile(promtool, args, { cwd: options.cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) reject(error);
      else resolve({ code, stdout, stderr });
    });
    child.stdin!.end(options.input ?? '');
  });
}

/** A running Prometheus. */
export interface PrometheusServer {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  /** The folder with its configuration (and whatever files were put beside it). */
  readonly dir: string;
  /** What it logged so far. */
  output(): string;
  /** The `data` of a successful API answer; throws with Prometheus' error otherwise. */
  api<T>(path: string, params?: Record<string, string>): Promise<T>;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s), remove the folder. */
  stop(): Promise<void>;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  return Promise.race([exited, sleep(timeoutMs).then(() => false)]);
}

/**
 * Start Prometheus with `config` (a prometheus.yml as an object) written to a fresh folder,
 * after `files` (name → contents, e.g. rule files the config names) are written beside it.
 * Resolves once `/-/ready` answers.
 */
export async function startPrometheus(config: object, files: Record<string, string> = {}): Promise<PrometheusServer> {
  const prometheus = findTool('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'chat-redact-prometheus-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (data: Buffer): void => void (output = (output + data.toString()).slice(-OUTPUT_LIMIT_CHARS));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_TIMEOUT_MS);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const api = async <T>(path: string, params: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
    const body = (await response.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
    return body.data;
  };

  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}: ${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((response) => response.ok, () => false);
    if (ready) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within ${READY_TIMEOUT_MS} ms: ${output}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  return { url, dir, output: () => output, api, stop };
}
