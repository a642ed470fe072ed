/**
 * The child processes of the network suites, seen from the parent: a server or a load client in
 * a fresh Node process, spoken to over IPC, and what `/proc` says about it (CPU time, resident
 * memory, open-file limit). Its other half is `net-child.js`.
 *
 * A child that needs more file descriptors than this process may open is started through
 * `/bin/sh -c 'ulimit -n …; exec node …'`; what it got is read back from `/proc/<pid>/limits`.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ): 100 on every Linux Node supports. */
const TICKS_PER_SECOND = 100;
/** How long a child gets to start and say it is ready. */
const READY_TIMEOUT_MS = 30_000;
/** How long a request over IPC may take before the child counts as hung. */
const REQUEST_TIMEOUT_MS = 120_000;
/** After `stop`, how long a child gets to exit before it is killed. */
const STOP_GRACE_MS = 3_000;
/** The last bytes of a child's stderr kept for the error message when it fails. */
const STDERR_KEPT = 8_192;

/**
 * The open-file limit of a process, from `/proc/<pid>/limits` (`null` where there is none).
 * @param {number | 'self'} [pid]
 * @returns {{ soft: number, hard: number } | null} `Infinity` for "unlimited"
 */
export function readFileLimit(pid = 'self') {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').slice('Max open files'.length).trim().split(/\s+/);
    /** @param {string | undefined} value */
    const parse = (value) => (value === 'unlimited' ? Infinity : Number(value));
    const limit = { soft: parse(soft), hard: parse(hard) };
    return Number.isNaN(limit.soft) || Number.isNaN(limit.hard) ? null : limit;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms; `null` off Linux or once it is gone.
 * @param {number} pid
 * @returns {number | null}
 */
export function readCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; after it come field 3 onwards; utime is field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Resident memory of a process (`VmRSS` of `/proc/<pid>/status`), in KiB; `null` off Linux.
 * @param {number} pid
 * @returns {number | null}
 */
export function readRssKiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * A child process that runs one of the network suites' scripts.
 */
export class NetProcess {
  /** @type {import('node:child_process').ChildProcess} */
  #child;
  #name;
  #stderr = '';
  #seq = 0;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void, timer: NodeJS.Timeout }>} */
  #pending = new Map();
  /** @type {Promise<void>} */
  #exited;
  #hasExited = false;
  /** @type {any} what the child sent with `ready` */
  ready = undefined;

  /**
   * @param {import('node:child_process').ChildProcess} child
   * @param {string} name
   */
  constructor(child, name) {
    this.#child = child;
    this.#name = name;
    child.stderr?.setEncoding('utf8').on('data', (text) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_KEPT);
    });
    child.on('message', (message) => this.#receive(/** @type {any} */ (message)));
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#hasExited = true;
        const error = new Error(`${name} exited (${signal ?? `exit ${code}`}):\n${this.#stderr.trim()}`);
        for (const { reject, timer } of this.#pending.values()) {
          clearTimeout(timer);
          reject(error);
        }
        this.#pending.clear();
        resolve();
      });
    });
  }

  /**
   * Start `script` in a fresh Node process and wait until it says it is ready.
   * @param {URL} script a module that calls `serveParent` (see `net-child.js`)
   * @param {unknown} options passed to it as JSON
   * @param {{ name: string, fileLimit?: number, execArgv?: string[] }} settings `fileLimit`: open
   *   files it needs; raised with `ulimit -n` when this process's own limit is lower
   * @returns {Promise<NetProcess>}
   */
  static async start(script, options, { name, fileLimit = 0, execArgv = [] }) {
    const nodeArgs = [...execArgv, script.pathname, JSON.stringify(options)];
    const ownLimit = readFileLimit()?.soft ?? Infinity;
    /** @type {import('node:child_process').StdioOptions} */
    const stdio = ['ignore', 'ignore', 'pipe', 'ipc'];
    const child =
      fileLimit > ownLimit
        ? // Raise the soft limit, or failing that as far as the hard limit goes; then become node.
          spawn(
            '/bin/sh',
            ['-c', 'ulimit -n "$1" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; shift; exec "$@"', 'sh', String(fileLimit), process.execPath, ...nodeArgs],
            { stdio },
          )
        : spawn(process.execPath, nodeArgs, { stdio });
    const netProcess = new NetProcess(child, name);
    try {
      netProcess.ready = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
        netProcess.#pending.set(0, { resolve, reject, timer });
        child.once('error', reject);
      });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return netProcess;
  }

  /** @returns {number} */
  get pid() {
    return /** @type {number} */ (this.#child.pid);
  }

  /** @param {any} message */
  #receive(message) {
    const seq = message?.type === 'ready' ? 0 : message?.seq;
    const waiting = this.#pending.get(seq);
    if (waiting === undefined) return;
    this.#pending.delete(seq);
    clearTimeout(waiting.timer);
    if (message.error !== undefined) waiting.reject(new Error(`${this.#name}: ${message.error}`));
    else waiting.resolve(message.result ?? message);
  }

  /**
   * Ask the child to do something; resolves to what its handler for `type` returned.
   * @param {string} type
   * @param {Record<string, unknown>} [payload]
   * @param {number} [timeoutMs]
   * @returns {Promise<any>}
   */
  request(type, payload = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
    if (this.#hasExited) return Promise.reject(new Error(`${this.#name} has exited:\n${this.#stderr.trim()}`));
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(seq);
        reject(new Error(`${this.#name} did not answer "${type}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.#pending.set(seq, { resolve, reject, timer });
      this.#child.send({ seq, type, ...payload });
    });
  }

  /** The open-file limit the child runs with. */
  get fileLimit() {
    return readFileLimit(this.pid);
  }

  /** Ask the child to exit; kill it if it has not within a few seconds. */
  async stop() {
    if (this.#hasExited) return;
    if (this.#child.connected) this.#child.send({ seq: -1, type: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** Processes started for one piece of work, stopped together however it ends. */
export class ProcessGroup {
  /** @type {NetProcess[]} */
  #members = [];

  /**
   * {@link NetProcess.start}, remembered for {@link ProcessGroup.stopAll}.
   * @param {Parameters<typeof NetProcess.start>} args
   */
  async start(...args) {
    const started = await NetProcess.start(...args);
    this.#members.push(started);
    return started;
  }

  async stopAll() {
    const members = this.#members.splice(0);
    await Promise.all(members.map((member) => member.stop()));
  }
}

/**
 * Run `work` with a {@link ProcessGroup}, and stop every process it started afterwards.
 * @template T
 * @param {(group: ProcessGroup) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function withProcessGroup(work) {
  const group = new ProcessGroup();
  try {
    return await work(group);
  } finally {
    await group.stopAll();
  }
}
