/**
 * Runs benchmark variants in fresh processes (as hono's benchmarks do) and takes the median.
 *
 * @module
 */
import { fork } from 'node:child_process';
import { median } from './measure.js';

const WORKER = new URL('./worker.js', import.meta.url);

/**
 * Run one variant of `moduleUrl` in a fresh Node process.
 * @param {string} moduleUrl a `file:` URL of a module exporting `variants`
 * @param {string} variant
 * @param {unknown} options passed (as JSON) to the variant
 * @returns {Promise<any>} what the variant returned
 */
export function runInFreshProcess(moduleUrl, variant, options) {
  return new Promise((resolve, reject) => {
    // `--expose-gc` lets a round start from a collected heap; see timeRounds.
    const child = fork(WORKER, [moduleUrl, variant, JSON.stringify(options)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    /** @type {unknown} */
    let result;
    let received = false;
    child.stderr?.setEncoding('utf8').on('data', (text) => {
      stderr += text;
    });
    child.on('message', (message) => {
      result = message;
      received = true;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && received) resolve(result);
      else reject(new Error(`variant "${variant}" failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`));
    });
  });
}

/**
 * @typedef {object} Raced
 * @property {number} medianMs the median over processes of each process's median round
 * @property {number} medianCpuMs the same, of CPU time
 * @property {number[]} processMedianMs one per process
 * @property {any} result the last process's result (the same work each time)
 */

/**
 * Run every variant `processes` times, each time in a fresh process, interleaved (A B C A B C …)
 * so that a change in the machine's load falls on all variants alike.
 *
 * @param {string} moduleUrl
 * @param {readonly string[]} variants
 * @param {{ processes: number, options: unknown, onProgress?: (text: string) => void }} settings
 * @returns {Promise<Map<string, Raced>>}
 */
export async function raceInFreshProcesses(moduleUrl, variants, { processes, options, onProgress }) {
  /** @type {Map<string, { medians: number[], cpuMedians: number[], result: any }>} */
  const runs = new Map(variants.map((v) => [v, { medians: [], cpuMedians: [], result: undefined }]));
  for (let p = 0; p < processes; p++) {
    for (const variant of variants) {
      onProgress?.(`${variant} (process ${p + 1}/${processes})`);
      const result = await runInFreshProcess(moduleUrl, variant, options);
      const run = /** @type {{ medians: number[], cpuMedians: number[], result: any }} */ (runs.get(variant));
      run.medians.push(median(result.roundsMs));
      run.cpuMedians.push(median(result.cpuMs));
      run.result = result;
    }
  }
  return new Map(
    [...runs].map(([variant, { medians, cpuMedians, result }]) => [
      variant,
      { medianMs: median(medians), medianCpuMs: median(cpuMedians), processMedianMs: medians, result },
    ]),
  );
}
