/**
 * In-process A/B races for the micro-benchmarks of `bench/micro/`: the variants of one choice
 * on a hot path, timed in rounds interleaved A B A B in one process (so a change of the
 * machine's load falls on all alike), a full GC before each round when run with `--expose-gc`.
 * The figure is the median round's CPU time (user + system) per operation, steadier than wall
 * time on a shared machine; wall time is printed beside it, on stderr.
 *
 * @module
 */
import { median } from './measure.js';
import { describeMachineLine, formatNumber } from './report.js';
import { describeMachine } from './machine.js';

/**
 * @typedef {object} MicroResult
 * @property {string} variant
 * @property {number} cpuUs median CPU time per operation, µs
 * @property {number} wallUs median wall time per operation, µs
 * @property {number} ratio `cpuUs` over the first variant's
 */

/**
 * Race `variants`, each called `iterations` times a round, `rounds` rounds after one warm-up round.
 * A variant returns (or resolves to) something derived from its work, so it cannot be skipped.
 * @param {string} title
 * @param {Record<string, () => unknown>} variants the first is the baseline of the ratios
 * @param {{ iterations: number, rounds?: number }} settings
 * @returns {Promise<MicroResult[]>}
 */
export async function raceInProcess(title, variants, { iterations, rounds = Number(process.env.MICRO_ROUNDS ?? 9) }) {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  const names = Object.keys(variants);
  /** @type {Map<string, { cpu: number[], wall: number[] }>} */
  const times = new Map(names.map((name) => [name, { cpu: [], wall: [] }]));
  let sink = 0;
  for (let round = -1; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const run = /** @type {() => unknown} */ (variants[name]);
      gc?.();
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      for (let k = 0; k < iterations; k++) {
        let result = run();
        if (result instanceof Promise) result = await result;
        if (result !== undefined) sink += 1;
      }
      const wallNs = Number(process.hrtime.bigint() - start);
      const used = process.cpuUsage(cpu);
      if (round < 0) continue;
      const time = /** @type {{ cpu: number[], wall: number[] }} */ (times.get(name));
      time.cpu.push((used.user + used.system) / iterations);
      time.wall.push(wallNs / 1000 / iterations);
    }
  }
  const results = names.map((variant) => {
    const time = /** @type {{ cpu: number[], wall: number[] }} */ (times.get(variant));
    return { variant, cpuUs: median(time.cpu), wallUs: median(time.wall), ratio: 1 };
  });
  const baseline = results[0]?.cpuUs ?? NaN;
  for (const result of results) result.ratio = result.cpuUs / baseline;
  printResults(title, results, { iterations, rounds, sink });
  return results;
}

/**
 * @param {string} title
 * @param {MicroResult[]} results
 * @param {{ iterations: number, rounds: number, sink: number }} settings
 */
function printResults(title, results, { iterations, rounds, sink }) {
  const width = Math.max(...results.map((r) => r.variant.length));
  const lines = [`\n${title}`, `${describeMachineLine(describeMachine())}; load average ${describeMachine().loadAverage.join(' / ')}`];
  lines.push(`${iterations.toLocaleString('en-US')} operations a round, ${rounds} rounds interleaved, medians (${sink > 0 ? 'results kept' : 'no results'}):`);
  for (const r of results) {
    lines.push(`  ${r.variant.padEnd(width)}  ${formatNumber(r.cpuUs).padStart(7)} µs CPU  ${formatNumber(r.wallUs).padStart(7)} µs wall  ${formatNumber(r.ratio)}×`);
  }
  // On stderr: a micro-benchmark may be timing writes to stdout.
  process.stderr.write(`${lines.join('\n')}\n`);
}
