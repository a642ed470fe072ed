/**
 * Timing inside one process: warm up, then time rounds of the same work.
 *
 * @module
 */

/** @param {readonly number[]} values @returns {number} */
export function median(values) {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? /** @type {number} */ (sorted[mid]) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The nearest-rank percentile `p` (0–1) of `values`; `NaN` for none.
 * @param {readonly number[]} values @param {number} p @returns {number}
 */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

/**
 * @typedef {object} Rounds
 * @property {number[]} roundsMs wall time of each timed round
 * @property {number[]} cpuMs CPU time (user + system, all threads) of each timed round: on a
 *   machine busy with other work it is steadier than wall time, which also counts the waits
 */

/**
 * Run `work` `warmup` times untimed, then `rounds` times timed. A full GC before each timed round
 * (when the worker runs with `--expose-gc`) keeps one round's garbage out of the next round's time.
 * Synchronous work is awaited too: that costs one microtask a round, not a message.
 *
 * @template T
 * @param {() => T | Promise<T>} work returns something derived from its output, so it cannot be
 *   optimised away
 * @param {{ warmup: number, rounds: number }} options
 * @returns {Promise<Rounds & { result: T }>} `result` of the last round
 */
export async function timeRounds(work, { warmup, rounds }) {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  let result;
  for (let k = 0; k < warmup; k++) result = await work();
  const roundsMs = [];
  const cpuMs = [];
  for (let k = 0; k < rounds; k++) {
    gc?.();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    result = await work();
    roundsMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1e3);
  }
  return { roundsMs, cpuMs, result: /** @type {T} */ (result) };
}

/** Megabytes (10^6 bytes) per second. @param {number} bytes @param {number} ms */
export const megabytesPerSecond = (bytes, ms) => bytes / 1e3 / ms;

/**
 * A throughput figure of a raced variant: MB/s of wall time (the figure), MB per CPU-second, and
 * the figure of each process.
 * @param {import('./fresh-process.js').Raced} raced
 * @param {number} bytes processed in one round
 */
export function throughputOf(raced, bytes) {
  return {
    value: megabytesPerSecond(bytes, raced.medianMs),
    cpuValue: megabytesPerSecond(bytes, raced.medianCpuMs),
    samples: raced.processMedianMs.map((ms) => megabytesPerSecond(bytes, ms)),
  };
}
