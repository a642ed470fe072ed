/**
 * How far a suite's figures move from one whole run to the next: the pieces shared by the
 * spread micro-benchmarks (`micro/engine-core-spread.js`, `micro/suite-spread.js`), which run a
 * suite module again and again in processes of each Node of `BENCH_NODES` (each child's stdout
 * read with `child-stdout.js`).
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { median } from './measure.js';
import { readOptions } from './options.js';
import { Workspace } from './workspace.js';

/** The Nodes of `BENCH_NODES` as binaries (`current` is this one; paths only, no versions). */
export const spreadNodes = () => (process.env.BENCH_NODES ?? 'current').split(',').map((n) => (n === 'current' ? process.execPath : n));

/**
 * One whole run of a suite module (its `run` with the options of `lib/options.js`), in this process.
 * @param {string} modulePath
 * @returns {Promise<import('./report.js').Row[]>}
 */
export async function runSuiteOnce(modulePath) {
  const suite = await import(pathToFileURL(modulePath).href);
  const workspace = new Workspace();
  try {
    const { rows } = await suite.run({ options: readOptions(), workspace, progress: () => {} });
    return rows;
  } finally {
    workspace.remove();
  }
}

/** @param {number[]} values @returns {{ median: number, range: number, sd: number }} */
export function spreadFigures(values) {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { median: median(values), range: Math.max(...values) - Math.min(...values), sd };
}

/** @param {number[]} values */
export function spreadOf(values) {
  const { median: mid, range, sd } = spreadFigures(values);
  return `median ${mid.toFixed(2)}  range ${range.toFixed(2)}  sd ${sd.toFixed(3)}`;
}
