/**
 * Core, one-shot: `redact()` called once per chat message over the corpus, raced against the naive
 * `text.replace(/\d{7,}/g, '')` (the speed limit: it does far less) and against redact-pii (the
 * common Node choice). Also counts what each leaves of ~50 formatted numbers.
 *
 * `redact()` and the naive replace run in the same fresh process, round by round in turn, and the
 * figure is the median over processes of each process's ratio (`lib/paired-rounds.js`); redact-pii
 * runs in fresh processes of its own, interleaved with those: it is ~100× slower, and its
 * allocations and megamorphic code in a shared process would shape the heap and the JIT that the
 * other two are timed on.
 *
 * Why not each in a process of its own, as before: Node 20's naive replace alone ran 78–150 ns a
 * message from one fresh process to the next, and a ratio of two processes took two independent
 * draws of that spread. Five runs of the suite on each Node, old method and new interleaved
 * (`micro/engine-core-spread.js`, same build, load 8–11): range of the ratio across runs, wall
 * (CPU), 0.43 (0.23) → 0.10 (0.04) on Node 20, 0.67 (0.18) → 0.13 (0.02) on Node 26; see
 * `bench/README.md`, *Core: one process, both variants*.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { LEAK_SET, measureLeaks } from './corpus.js';
import { loadEngine, readMessages } from './lib/engine.js';
import { runInFreshProcess } from './lib/fresh-process.js';
import { median, megabytesPerSecond, timeRounds } from './lib/measure.js';
import { medianRatioProcess, sliceByBytes, timePairedSlices } from './lib/paired-rounds.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'core — one-shot redact() per message';

const NAIVE = /\d{7,}/g;
const OURS = 'chat-redact redact()';
const NAIVE_NAME = 'naive replace';
const PII_NAME = 'redact-pii';
/** The variant that times `redact()` and the naive replace in one process. */
const PAIRED = `${OURS} and ${NAIVE_NAME}, in turn`;

/**
 * @typedef {object} VariantResult what a process measured of one variant
 * @property {number} ms its time over the messages: in the paired variant the sum of each
 *   slice's median round, in redact-pii's the median round
 * @property {number} cpuMs the same of CPU time
 * @property {number[]} roundsMs each round's wall time over the messages
 * @property {number} bytes
 * @property {number} messages
 * @property {{ total: number, leaked: number, digitsLeft: number }} leaks
 */

/**
 * The paired variant's slices: about 0.3–0.5 ms of the naive replace's work, 0.5–1 ms of
 * `redact()`'s, and ~1 µs of timer calls each (see `lib/paired-rounds.js`).
 */
const SLICE_BYTES = 256 * 1024;

/** @param {string[]} messages @returns {number} */
const utf8Bytes = (messages) => messages.reduce((sum, m) => sum + Buffer.byteLength(m, 'utf8'), 0);

/** @param {string[]} messages @param {number} bytes @returns {string[]} the first messages up to `bytes` */
function sample(messages, bytes) {
  let total = 0;
  let count = 0;
  while (count < messages.length && total < bytes) total += Buffer.byteLength(messages[count++] ?? '', 'utf8');
  return messages.slice(0, count);
}

/**
 * @typedef {object} CoreOptions
 * @property {string} corpusFile
 * @property {number} piiSampleBytes
 * @property {{ warmup: number, rounds: number }} timing
 */

/** Each runs in a fresh process (see `lib/worker.js`). */
export const variants = {
  /**
   * `redact()` and the naive replace in one process, rounds in turn: two loops written out, not
   * one loop over a callback, so that each is optimised for its own call.
   * @param {CoreOptions} options
   * @returns {Promise<{ ours: VariantResult, naive: VariantResult }>}
   */
  async [PAIRED]({ corpusFile, timing }) {
    const { redact } = await loadEngine();
    const messages = readMessages(corpusFile);
    const redactSlice = (/** @type {string[]} */ slice) => {
      let length = 0;
      for (const message of slice) length += redact(message).text.length;
      return length;
    };
    const naiveSlice = (/** @type {string[]} */ slice) => {
      let length = 0;
      for (const message of slice) length += message.replace(NAIVE, '').length;
      return length;
    };
    const { a, b } = timePairedSlices(sliceByBytes(messages, SLICE_BYTES), redactSlice, naiveSlice, timing);
    const bytes = utf8Bytes(messages);
    /** @param {import('./lib/paired-rounds.js').SlicedTime} time @param {(text: string) => string} redactText @returns {Promise<VariantResult>} */
    const resultOf = async ({ ms, cpuMs, roundsMs }, redactText) => ({
      ms,
      cpuMs,
      roundsMs,
      bytes,
      messages: messages.length,
      leaks: await measureLeaks(redactText),
    });
    return {
      ours: await resultOf(a, (text) => redact(text).text),
      naive: await resultOf(b, (text) => text.replace(NAIVE, '')),
    };
  },
  /** @param {CoreOptions} options @returns {Promise<VariantResult>} */
  async [PII_NAME]({ corpusFile, piiSampleBytes, timing }) {
    const { SyncRedactor } = createRequire(import.meta.url)('redact-pii');
    const redactor = new SyncRedactor();
    const messages = sample(readMessages(corpusFile), piiSampleBytes);
    const redactText = (/** @type {string} */ text) => redactor.redact(text);
    const { roundsMs, cpuMs } = await timeRounds(() => {
      let length = 0;
      for (const message of messages) length += redactText(message).length;
      return length;
    }, timing);
    return {
      ms: median(roundsMs),
      cpuMs: median(cpuMs),
      roundsMs,
      bytes: utf8Bytes(messages),
      messages: messages.length,
      leaks: await measureLeaks(redactText),
    };
  },
};

/**
 * The figure of one variant over processes: the median of each process's time (wall and CPU), as
 * MB/s, and each process's.
 * @param {readonly VariantResult[]} results one per process
 */
function figureOf(results) {
  const first = /** @type {VariantResult} */ (results[0]);
  const medianMs = median(results.map((r) => r.ms));
  return {
    value: megabytesPerSecond(first.bytes, medianMs),
    cpuValue: megabytesPerSecond(first.bytes, median(results.map((r) => r.cpuMs))),
    samples: results.map((r) => megabytesPerSecond(first.bytes, r.ms)),
    details: [`${formatNumber((medianMs * 1e6) / first.messages)} ns/message`],
    result: first,
  };
}

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, workspace, progress }) {
  const corpus = workspace.corpusFile(options.corpusBytes);
  const variantOptions = {
    corpusFile: corpus.path,
    piiSampleBytes: options.piiSampleBytes,
    timing: { warmup: options.warmup, rounds: options.rounds },
  };
  /** @type {{ ours: VariantResult, naive: VariantResult }[]} */
  const paired = [];
  /** @type {VariantResult[]} */
  const piiRuns = [];
  // Interleaved A B A B across processes, so that a change of the machine's load falls on both.
  for (let p = 0; p < options.processes; p++) {
    progress(`${PAIRED} (process ${p + 1}/${options.processes})`);
    paired.push(await runInFreshProcess(import.meta.url, PAIRED, variantOptions));
    progress(`${PII_NAME} (process ${p + 1}/${options.processes})`);
    piiRuns.push(await runInFreshProcess(import.meta.url, PII_NAME, variantOptions));
  }
  const oursFigure = figureOf(paired.map((run) => run.ours));
  const naiveFigure = figureOf(paired.map((run) => run.naive));
  const piiFigure = figureOf(piiRuns);
  const figures = { [OURS]: oursFigure, [NAIVE_NAME]: naiveFigure, [PII_NAME]: piiFigure };

  // The target's ratio: each process's naive time over its redact() time, the median process's.
  const pairs = paired.map(({ ours, naive }) => ({ oursMs: ours.ms, baselineMs: naive.ms, oursCpuMs: ours.cpuMs, baselineCpuMs: naive.cpuMs }));
  const byWall = medianRatioProcess(pairs, (pair) => pair.baselineMs / pair.oursMs);
  const byCpu = medianRatioProcess(pairs, (pair) => pair.baselineCpuMs / pair.oursCpuMs);
  const { bytes, messages } = oursFigure.result;
  const mbps = (/** @type {number} */ ms) => megabytesPerSecond(bytes, ms);
  const ratios = (/** @type {number[]} */ values) => values.map((r) => formatNumber(r)).join(' ');
  const againstNaive = {
    value: mbps(byWall.pair.oursMs),
    cpuValue: mbps(byCpu.pair.oursCpuMs),
    samples: oursFigure.samples,
    details: [
      `${formatNumber((byWall.pair.oursMs * 1e6) / messages)} ns/message against ${formatNumber((byWall.pair.baselineMs * 1e6) / messages)}, ` +
        `both in process ${byWall.index + 1} of ${pairs.length}, the median ratio`,
      `ratio by process ${ratios(byWall.ratios)}; on CPU time ${ratios(byCpu.ratios)}`,
    ],
  };
  const naiveInProcess = { variant: NAIVE_NAME, value: mbps(byWall.pair.baselineMs), cpuValue: mbps(byCpu.pair.baselineCpuMs) };

  const benchmark = 'one-shot, per message';
  const unit = 'MB/s';
  const [ours, naive, pii] = [oursFigure, naiveFigure, piiFigure];
  const piiSample = pii.result;
  const rows = [
    makeRow({ benchmark, variant: OURS, unit, ...againstNaive, baseline: naiveInProcess, target: { op: '>=', value: 0.8 } }),
    makeRow({ benchmark, variant: OURS, unit, ...ours, baseline: { variant: PII_NAME, ...pii }, target: { op: '>', value: 100 } }),
    makeRow({ benchmark, variant: NAIVE_NAME, unit, ...naive, isBaseline: true }),
    makeRow({
      benchmark,
      variant: PII_NAME,
      unit,
      ...pii,
      isBaseline: true,
      note:
        `timed on the first ${formatNumber(piiSample.bytes / 1024)} KiB (${formatNumber(piiSample.messages)} messages) ` +
        `of the corpus and extrapolated at that rate: ${formatNumber(corpus.bytes / 1e6 / pii.value)} s for the whole corpus`,
    }),
  ];
  for (const [variant, figure] of Object.entries(figures)) {
    const { leaked, total, digitsLeft } = figure.result.leaks;
    rows.push(
      makeRow({
        benchmark: `leaks (${total} formatted numbers)`,
        variant,
        value: leaked,
        unit: 'leaked',
        details: [`${digitsLeft} digits left`],
        ...(variant === OURS && { target: { op: '==', value: 0 } }),
      }),
    );
  }
  /** @param {number | undefined} n */
  const percent = (n) => `${formatNumber(((n ?? 0) / corpus.messages) * 100)}%`;
  const tally = corpus.tally;
  return {
    description: [
      `Corpus: ${formatNumber(corpus.messages)} generated chat messages (seeded), ` +
        `${formatNumber(corpus.bytes / 1024 / 1024)} MiB of UTF-8, ${formatNumber(corpus.characters / corpus.messages)} characters on average; ` +
        `${percent(tally.sensitive)} with a sensitive number, ${percent(tally['harmless number'])} with a harmless short one, ` +
        `${percent(tally['non-Latin'])} non-Latin, ${percent(tally.emoji)} emoji, ${percent(tally['curly quotes'])} curly quotes.`,
      `MB/s is 10^6 UTF-8 bytes of message text per second, each message passed on its own. ${OURS} and ${NAIVE_NAME} run in the same ` +
        `fresh processes (${options.processes}), ${options.warmup} warm-up rounds of each then ${options.rounds} timed rounds of each in turn ` +
        `(A B, B A; a full GC before each); against ${NAIVE_NAME} the figures and the ratio are those of the process whose ratio ` +
        `(its median round of ${NAIVE_NAME} over its median round of ${OURS}) is the median of the processes' (of an even count the lower middle), ` +
        `wall and CPU time each. ${PII_NAME} runs in fresh processes of its own, interleaved with those; its figure, and every other, ` +
        `is the median over processes of each process's median round.`,
      `${NAIVE_NAME}: \`text.replace(/\\d{7,}/g, '')\`, ASCII digits written together only — the speed limit, it does far less. ` +
        `${PII_NAME}: \`new SyncRedactor()\` with its defaults.`,
      `Leaks: each of ${LEAK_SET.length} synthetic numbers (national id, phone, account, card; NBSP, thin, zero-width, en dash; ` +
        'full-width, Arabic-Indic, Devanagari, mathematical digits) in a sentence with no other digit; it leaks when its output still holds a combination of 7 or more digits, judged by the plain reference redactor of the tests, not by the engine.',
    ],
    rows,
    notes: [],
  };
}
