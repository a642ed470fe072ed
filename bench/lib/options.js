/**
 * The benchmark settings: the one place that reads `process.env`. Defaults are the full run; the
 * smoke test shrinks them.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `BENCH_CORPUS_MB` | size of the chat corpus, MiB of UTF-8 | 16 |
 * | `BENCH_PII_SAMPLE_KB` | part of the corpus given to redact-pii (it is slow), KiB | 512 |
 * | `BENCH_CLI_MB` | size of the CLI's input file, MiB | 1024 |
 * | `BENCH_PROCESSES` | fresh processes per variant; the median is reported | 3 |
 * | `BENCH_WARMUP` | untimed rounds in each process before the timed ones | 3 |
 * | `BENCH_ROUNDS` | timed rounds in each process | 5 |
 * | `BENCH_CLI_ROUNDS` | timed runs of each CLI command | 3 |
 * | `BENCH_OUT` | folder the results are written to | `bench/results` |
 *
 * @module
 */
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
const KiB = 1024;

/**
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @returns {number}
 */
function readNumber(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a number ≥ ${min}, not "${raw}"`);
  }
  return value;
}

/**
 * @typedef {object} BenchOptions
 * @property {number} corpusBytes
 * @property {number} piiSampleBytes
 * @property {number} cliBytes
 * @property {number} processes
 * @property {number} warmup
 * @property {number} rounds
 * @property {number} cliRounds
 * @property {string} outDir
 */

/** @returns {Readonly<BenchOptions>} */
export function readOptions() {
  return Object.freeze({
    corpusBytes: Math.round(readNumber('BENCH_CORPUS_MB', 16, 0.01) * MiB),
    piiSampleBytes: Math.round(readNumber('BENCH_PII_SAMPLE_KB', 512, 1) * KiB),
    cliBytes: Math.round(readNumber('BENCH_CLI_MB', 1024, 0.1) * MiB),
    processes: Math.round(readNumber('BENCH_PROCESSES', 3, 1)),
    warmup: Math.round(readNumber('BENCH_WARMUP', 3, 0)),
    rounds: Math.round(readNumber('BENCH_ROUNDS', 5, 1)),
    cliRounds: Math.round(readNumber('BENCH_CLI_ROUNDS', 3, 1)),
    outDir: process.env.BENCH_OUT || fileURLToPath(new URL('../results/', import.meta.url)),
  });
}
