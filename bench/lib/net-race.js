/**
 * What the network suites share: rounds of variants in alternating order, each run in fresh
 * processes, and the figures summed up over the rounds.
 *
 * @module
 */
import { median, percentile } from './measure.js';

/** How long a server or load process of a network suite may live, at most. */
export const CHILD_LIFETIME_MS = 10 * 60_000;

/**
 * Run every variant once a round, `rounds` times, in alternating order (A B C, then C B A, …)
 * so that a change of load, or whatever the first run of a round pays, falls on all alike.
 * @template T
 * @param {readonly string[]} variants
 * @param {number} rounds
 * @param {(variant: string, round: number) => Promise<T>} runOnce
 * @param {(text: string) => void} progress
 * @returns {Promise<Map<string, T[]>>} each variant's results, in round order
 */
export async function raceInRounds(variants, rounds, runOnce, progress) {
  /** @type {Map<string, T[]>} */
  const results = new Map(variants.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      progress(`${variant} (round ${round + 1}/${rounds})`);
      results.get(variant)?.push(await runOnce(variant, round));
    }
  }
  return results;
}

/**
 * The median over runs of one figure, with the figure of each run as samples.
 * @template T
 * @param {T[]} runs
 * @param {(run: T) => number} figure
 * @returns {{ value: number, samples: number[] }}
 */
export function medianOf(runs, figure) {
  const samples = runs.map(figure);
  return { value: median(samples), samples };
}

/**
 * A percentile of a per-round series, taken in each round, and the median over rounds: how the
 * low-load suites (latency, native) sum up their rounds.
 * @template T
 * @param {T[]} runs
 * @param {(run: T) => number[]} pick
 * @param {number} p 0–1
 * @returns {number}
 */
export function percentileAcrossRounds(runs, pick, p) {
  return median(runs.map((run) => percentile(pick(run), p)));
}
