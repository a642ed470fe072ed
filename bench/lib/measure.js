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
 * Run `work` `warmup` times untimed, then `rounds` times timed. A full GC before each timed round
 * (when the worker runs with `--expose-gc`) keeps one round's garbage out of the next round's time.
 *
 * @template T
 * @param {() => T} work returns something derived from its output, so it cannot be optimised away
 * @param {{ warmup: number, rounds: number }} options
 * @returns {{ roundsMs: number[], result: T }} `result` of the last round
 */
export function timeRounds(work, { warmup, rounds }) {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  let result;
  for (let k = 0; k < warmup; k++) result = work();
  const roundsMs = [];
  for (let k = 0; k < rounds; k++) {
    gc?.();
    const start = process.hrtime.bigint();
    result = work();
    roundsMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { roundsMs, result: /** @type {T} */ (result) };
}

/**
 * The asynchronous twin of {@link timeRounds}, for streams.
 * @template T
 * @param {() => Promise<T>} work
 * @param {{ warmup: number, rounds: number }} options
 * @returns {Promise<{ roundsMs: number[], result: T }>}
 */
export async function timeRoundsAsync(work, { warmup, rounds }) {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  let result;
  for (let k = 0; k < warmup; k++) result = await work();
  const roundsMs = [];
  for (let k = 0; k < rounds; k++) {
    gc?.();
    const start = process.hrtime.bigint();
    result = await work();
    roundsMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { roundsMs, result: /** @type {T} */ (result) };
}

/** Megabytes (10^6 bytes) per second. @param {number} bytes @param {number} ms */
export const megabytesPerSecond = (bytes, ms) => bytes / 1e3 / ms;
