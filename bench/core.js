/**
 * Core, one-shot: `redact()` called once per chat message over the corpus, raced against the naive
 * `text.replace(/\d{7,}/g, '')` (the speed limit: it does far less) and against redact-pii (the
 * common Node choice), each in fresh processes. Also counts what each leaves of ~50 formatted
 * numbers.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { LEAK_SET, measureLeaks } from './corpus.js';
import { loadEngine, readMessages } from './lib/engine.js';
import { raceInFreshProcesses } from './lib/fresh-process.js';
import { throughputOf, timeRounds } from './lib/measure.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'core — one-shot redact() per message';

const NAIVE = /\d{7,}/g;
const OURS = 'chat-redact redact()';
const NAIVE_NAME = 'naive replace';
const PII_NAME = 'redact-pii';

/**
 * @typedef {object} VariantResult
 * @property {number[]} roundsMs
 * @property {number[]} cpuMs
 * @property {number} bytes UTF-8 bytes of the messages timed
 * @property {number} messages
 * @property {number} outputLength
 * @property {{ total: number, leaked: number, digitsLeft: number }} leaks
 */

/**
 * @param {string[]} messages
 * @param {(text: string) => string} redactText
 * @param {{ warmup: number, rounds: number }} timing
 * @returns {Promise<VariantResult>}
 */
async function measureMessages(messages, redactText, timing) {
  const bytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m, 'utf8'), 0);
  const { roundsMs, cpuMs, result } = await timeRounds(() => {
    let length = 0;
    for (const message of messages) length += redactText(message).length;
    return length;
  }, timing);
  return { roundsMs, cpuMs, bytes, messages: messages.length, outputLength: result, leaks: await measureLeaks(redactText) };
}

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
  /** @param {CoreOptions} options */
  async [OURS]({ corpusFile, timing }) {
    const { redact } = await loadEngine();
    return measureMessages(readMessages(corpusFile), (text) => redact(text).text, timing);
  },
  /** @param {CoreOptions} options */
  async [NAIVE_NAME]({ corpusFile, timing }) {
    return measureMessages(readMessages(corpusFile), (text) => text.replace(NAIVE, ''), timing);
  },
  /** @param {CoreOptions} options */
  async [PII_NAME]({ corpusFile, piiSampleBytes, timing }) {
    const { SyncRedactor } = createRequire(import.meta.url)('redact-pii');
    const redactor = new SyncRedactor();
    return measureMessages(sample(readMessages(corpusFile), piiSampleBytes), (text) => redactor.redact(text), timing);
  },
};

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, workspace, progress }) {
  const corpus = workspace.corpusFile(options.corpusBytes);
  const raced = await raceInFreshProcesses(import.meta.url, Object.keys(variants), {
    processes: options.processes,
    options: {
      corpusFile: corpus.path,
      piiSampleBytes: options.piiSampleBytes,
      timing: { warmup: options.warmup, rounds: options.rounds },
    },
    onProgress: progress,
  });
  const benchmark = 'one-shot, per message';
  const figures = Object.fromEntries(
    [...raced].map(([variant, race]) => {
      const result = /** @type {VariantResult} */ (race.result);
      const details = [`${formatNumber((race.medianMs * 1e6) / result.messages)} ns/message`];
      return [variant, { ...throughputOf(race, result.bytes), details, result }];
    }),
  );
  /** @param {string} variant */
  const figureOf = (variant) => {
    const figure = figures[variant];
    if (figure === undefined) throw new Error(`no figure for ${variant}`);
    return figure;
  };
  const ours = figureOf(OURS);
  const naive = figureOf(NAIVE_NAME);
  const pii = figureOf(PII_NAME);
  const unit = 'MB/s';
  const piiSample = pii.result;
  const rows = [
    makeRow({ benchmark, variant: OURS, unit, ...ours, baseline: { variant: NAIVE_NAME, ...naive }, target: { op: '>=', value: 0.8 } }),
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
      `MB/s is 10^6 UTF-8 bytes of message text per second, each message passed on its own, the median of ` +
        `${options.processes} fresh processes × ${options.rounds} rounds after ${options.warmup} warm-up rounds.`,
      `${NAIVE_NAME}: \`text.replace(/\\d{7,}/g, '')\`, ASCII digits written together only — the speed limit, it does far less. ` +
        `${PII_NAME}: \`new SyncRedactor()\` with its defaults.`,
      `Leaks: each of ${LEAK_SET.length} synthetic numbers (national id, phone, account, card; NBSP, thin, zero-width, en dash; ` +
        'full-width, Arabic-Indic, Devanagari, mathematical digits) in a sentence with no other digit; it leaks when its output still holds a combination of 7 or more digits, judged by the plain reference redactor of the tests, not by the engine.',
    ],
    rows,
    notes: [],
  };
}
