/**
 * The benchmark settings: the one place that reads `process.env`. Defaults are the full run; the
 * smoke test shrinks them.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `BENCH_CORPUS_MB` | size of the chat corpus, MiB of UTF-8 | 16 |
 * | `BENCH_PII_SAMPLE_KB` | part of the corpus given to redact-pii (it is slow), KiB | 512 |
 * | `BENCH_CLI_MB` | size of the CLI's input file, MiB | 1024 |
 * | `BENCH_HOSTILE_KB` | size of each hostile family and of its benign text, KiB | 4096 |
 * | `BENCH_PROCESSES` | fresh processes per variant; the median is reported | 3 |
 * | `BENCH_WARMUP` | untimed rounds in each process before the timed ones | 3 |
 * | `BENCH_ROUNDS` | timed rounds in each process | 5 |
 * | `BENCH_CLI_ROUNDS` | timed runs of each CLI command | 3 |
 * | `BENCH_HTTP_SECONDS` | length of each timed autocannon run against a route, s | 10 |
 * | `BENCH_HTTP_WARMUP_SECONDS` | untimed autocannon run first in each fresh server, s | 2 |
 * | `BENCH_HTTP_ROUNDS` | timed runs of each route, each in a fresh server, order alternating | 2 |
 * | `BENCH_HTTP_CONNECTIONS` | autocannon connections | 50 |
 * | `BENCH_HTTP_PIPELINING` | autocannon requests in flight per connection | 1 |
 * | `BENCH_WS_SECONDS` | length of each timed WebSocket traffic run, s | 10 |
 * | `BENCH_WS_WARMUP_SECONDS` | traffic before the timed run in each fresh server, s | 2 |
 * | `BENCH_WS_ROUNDS` | timed runs of each WebSocket variant, order alternating | 2 |
 * | `BENCH_WS_CLIENTS` | concurrent widget clients sending messages | 50 |
 * | `BENCH_WS_IDLE` | idle connections at which memory is measured, comma-separated, rising | `1000,10000` |
 * | `BENCH_WS_IDLE_PROCESSES` | load processes that hold the idle connections | 2 |
 * | `BENCH_LATENCY_MESSAGES` | timed exchanges of each kind in a latency round | 2000 |
 * | `BENCH_LATENCY_WARMUP` | untimed exchanges of each kind first | 200 |
 * | `BENCH_LATENCY_ROUNDS` | latency rounds, each with fresh processes | 2 |
 * | `BENCH_LATENCY_PAUSE_MS` | pause after each pair of exchanges, ms (low load) | 2 |
 * | `BENCH_NATIVE_MESSAGES` | timed pairs of streamed completions in a native round | 1000 |
 * | `BENCH_NATIVE_WARMUP` | untimed pairs first | 100 |
 * | `BENCH_NATIVE_ROUNDS` | native rounds, each with fresh processes | 2 |
 * | `BENCH_NATIVE_PAUSE_MS` | pause after each pair, ms (low load) | 2 |
 * | `BENCH_NATIVE_THINK_MS` | the OpenAI stub's think time before its first token, ms (`lib/openai-stub.js`) | 1 |
 * | `BENCH_NODES` | Nodes to run on: `current`, a major version, or a binary's path, comma-separated (`lib/node-versions.js`) | `current,26` |
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
 * @param {string} name
 * @param {number[]} fallback
 * @param {number} min
 * @returns {number[]} whole numbers, rising
 */
function readWholeNumberList(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  const rising = values.every((value, k) => k === 0 || value > (values[k - 1] ?? 0));
  if (!values.every((value) => Number.isInteger(value) && value >= min) || !rising) {
    throw new RangeError(`${name} must be rising whole numbers ≥ ${min}, separated by commas, not "${raw}"`);
  }
  return values;
}

/**
 * Length, warm-up and rounds of a network suite's timed runs, from `BENCH_<suite>_SECONDS`,
 * `…_WARMUP_SECONDS` and `…_ROUNDS`.
 * @param {'HTTP' | 'WS'} suite
 */
function readRunTiming(suite) {
  return {
    seconds: readNumber(`BENCH_${suite}_SECONDS`, 10, 0.5),
    warmupSeconds: readNumber(`BENCH_${suite}_WARMUP_SECONDS`, 2, 0),
    rounds: Math.round(readNumber(`BENCH_${suite}_ROUNDS`, 2, 1)),
  };
}

/**
 * @typedef {object} HttpOptions
 * @property {number} seconds
 * @property {number} warmupSeconds
 * @property {number} rounds
 * @property {number} connections
 * @property {number} pipelining
 */

/**
 * @typedef {object} WsOptions
 * @property {number} seconds
 * @property {number} warmupSeconds
 * @property {number} rounds
 * @property {number} clients
 * @property {number[]} idle
 * @property {number} idleProcesses
 */

/**
 * @typedef {object} LatencyOptions
 * @property {number} messages
 * @property {number} warmup
 * @property {number} rounds
 * @property {number} pauseMs
 */

/** @typedef {LatencyOptions & { thinkMs: number }} NativeOptions the native suite's: the latency suite's, and the stub's think time */

/**
 * @typedef {object} BenchOptions
 * @property {number} corpusBytes
 * @property {number} piiSampleBytes
 * @property {number} cliBytes
 * @property {number} hostileBytes
 * @property {number} processes
 * @property {number} warmup
 * @property {number} rounds
 * @property {number} cliRounds
 * @property {Readonly<HttpOptions>} http
 * @property {Readonly<WsOptions>} ws
 * @property {Readonly<LatencyOptions>} latency
 * @property {Readonly<NativeOptions>} native
 * @property {string} outDir
 */

/** @returns {Readonly<BenchOptions>} */
export function readOptions() {
  return Object.freeze({
    corpusBytes: Math.round(readNumber('BENCH_CORPUS_MB', 16, 0.01) * MiB),
    piiSampleBytes: Math.round(readNumber('BENCH_PII_SAMPLE_KB', 512, 1) * KiB),
    cliBytes: Math.round(readNumber('BENCH_CLI_MB', 1024, 0.1) * MiB),
    hostileBytes: Math.round(readNumber('BENCH_HOSTILE_KB', 4096, 4) * KiB),
    processes: Math.round(readNumber('BENCH_PROCESSES', 3, 1)),
    warmup: Math.round(readNumber('BENCH_WARMUP', 3, 0)),
    rounds: Math.round(readNumber('BENCH_ROUNDS', 5, 1)),
    cliRounds: Math.round(readNumber('BENCH_CLI_ROUNDS', 3, 1)),
    http: Object.freeze({
      ...readRunTiming('HTTP'),
      connections: Math.round(readNumber('BENCH_HTTP_CONNECTIONS', 50, 1)),
      pipelining: Math.round(readNumber('BENCH_HTTP_PIPELINING', 1, 1)),
    }),
    ws: Object.freeze({
      ...readRunTiming('WS'),
      clients: Math.round(readNumber('BENCH_WS_CLIENTS', 50, 1)),
      idle: readWholeNumberList('BENCH_WS_IDLE', [1000, 10000], 1),
      idleProcesses: Math.round(readNumber('BENCH_WS_IDLE_PROCESSES', 2, 1)),
    }),
    latency: Object.freeze({
      messages: Math.round(readNumber('BENCH_LATENCY_MESSAGES', 2000, 10)),
      warmup: Math.round(readNumber('BENCH_LATENCY_WARMUP', 200, 0)),
      rounds: Math.round(readNumber('BENCH_LATENCY_ROUNDS', 2, 1)),
      pauseMs: readNumber('BENCH_LATENCY_PAUSE_MS', 2, 0),
    }),
    native: Object.freeze({
      messages: Math.round(readNumber('BENCH_NATIVE_MESSAGES', 1000, 10)),
      warmup: Math.round(readNumber('BENCH_NATIVE_WARMUP', 100, 0)),
      rounds: Math.round(readNumber('BENCH_NATIVE_ROUNDS', 2, 1)),
      pauseMs: readNumber('BENCH_NATIVE_PAUSE_MS', 2, 0),
      thinkMs: readNumber('BENCH_NATIVE_THINK_MS', 1, 0),
    }),
    outDir: process.env.BENCH_OUT || fileURLToPath(new URL('../results/', import.meta.url)),
  });
}
