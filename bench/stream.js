/**
 * Core, streaming: the corpus joined as one text, redacted through `StreamRedactor` in chunks of
 * 1 to 65,536 characters and through `RedactTransform` on UTF-8 bytes, raced against one-shot
 * `redact()` of the same text, each in fresh processes.
 *
 * @module
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadEngine, readJoinedText } from './lib/engine.js';
import { raceInFreshProcesses } from './lib/fresh-process.js';
import { throughputOf, timeRounds } from './lib/measure.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'core — streaming the corpus as one text';

const ONE_SHOT = 'one-shot redact()';
const CHUNK_SIZES = [1, 16, 64, 4096, 65536];
const TRANSFORM = 'RedactTransform, 64 KiB byte chunks';
const TRANSFORM_CHUNK_BYTES = 64 * 1024;
/** Ratios to one-shot the issue asks for, by chunk size. */
const CHUNK_TARGETS = new Map([
  [64, 0.7],
  [4096, 0.9],
]);

/** @param {number} size */
const chunkVariant = (size) => `StreamRedactor, ${formatNumber(size)}-char chunks`;

/**
 * @typedef {object} StreamResult
 * @property {number[]} roundsMs
 * @property {number[]} cpuMs
 * @property {number} bytes UTF-8 bytes of the joined text
 * @property {number} outputLength characters out (bytes for the Transform)
 * @property {number} [outputBytes] UTF-8 bytes out (one-shot only, to check the Transform)
 */

/**
 * @typedef {object} StreamOptions
 * @property {string} corpusFile
 * @property {{ warmup: number, rounds: number }} timing
 */

/** V8 copies a slice shorter than this (`SlicedString::kMinLength`); a longer one is a view. */
const SLICE_MIN_LENGTH = 13;

/**
 * The text cut into chunks of `size` characters, each a string of its own as a decoder or a
 * WebSocket hands them over. A slice of one large text is a view that V8 reads through its
 * parent: measured 10–20% slower to scan at 64 and 4,096 characters, which no real stream pays.
 * @param {string} text
 * @param {number} size at least {@link SLICE_MIN_LENGTH}
 * @returns {string[]}
 */
function cutIntoChunks(text, size) {
  const slices = [];
  for (let at = 0; at < text.length; at += size) slices.push(text.slice(at, at + size));
  return JSON.parse(JSON.stringify(slices));
}

/** @param {number} size @returns {(options: StreamOptions) => Promise<StreamResult>} */
function chunked(size) {
  return async ({ corpusFile, timing }) => {
    const { StreamRedactor } = await loadEngine();
    const text = readJoinedText(corpusFile);
    const bytes = Buffer.byteLength(text, 'utf8');
    /** @param {(redactor: InstanceType<typeof StreamRedactor>) => number} feed */
    const measure = async (feed) => {
      const { roundsMs, cpuMs, result } = await timeRounds(() => {
        const redactor = new StreamRedactor();
        return feed(redactor) + redactor.end().length;
      }, timing);
      return { roundsMs, cpuMs, bytes, outputLength: result };
    };
    if (size < SLICE_MIN_LENGTH) {
      // Short slices are copies already, and 16 million one-character strings made in advance
      // would take a gigabyte: these are cut inside the timed loop.
      return measure((redactor) => {
        let length = 0;
        for (let at = 0; at < text.length; at += size) length += redactor.push(text.slice(at, at + size)).length;
        return length;
      });
    }
    const chunks = cutIntoChunks(text, size);
    return measure((redactor) => {
      let length = 0;
      for (const chunk of chunks) length += redactor.push(chunk).length;
      return length;
    });
  };
}

/** Each runs in a fresh process (see `lib/worker.js`). */
export const variants = {
  /** @param {StreamOptions} options @returns {Promise<StreamResult>} */
  async [ONE_SHOT]({ corpusFile, timing }) {
    const { redact } = await loadEngine();
    const text = readJoinedText(corpusFile);
    const { roundsMs, cpuMs, result } = await timeRounds(() => redact(text).text, timing);
    return {
      roundsMs,
      cpuMs,
      bytes: Buffer.byteLength(text, 'utf8'),
      outputLength: result.length,
      outputBytes: Buffer.byteLength(result, 'utf8'),
    };
  },
  ...Object.fromEntries(CHUNK_SIZES.map((size) => [chunkVariant(size), chunked(size)])),
  /** @param {StreamOptions} options @returns {Promise<StreamResult>} */
  async [TRANSFORM]({ corpusFile, timing }) {
    const { RedactTransform } = await loadEngine();
    const bytes = Buffer.from(readJoinedText(corpusFile), 'utf8');
    /** @type {Buffer[]} */
    const chunks = [];
    for (let at = 0; at < bytes.length; at += TRANSFORM_CHUNK_BYTES) {
      chunks.push(bytes.subarray(at, at + TRANSFORM_CHUNK_BYTES));
    }
    const { roundsMs, cpuMs, result } = await timeRounds(async () => {
      let length = 0;
      const sink = new Writable({
        write(chunk, _encoding, callback) {
          length += chunk.length;
          callback();
        },
      });
      await pipeline(Readable.from(chunks), new RedactTransform(), sink);
      return length;
    }, timing);
    return { roundsMs, cpuMs, bytes: bytes.length, outputLength: result };
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
    options: { corpusFile: corpus.path, timing: { warmup: options.warmup, rounds: options.rounds } },
    onProgress: progress,
  });
  /** @param {string} variant */
  const figure = (variant) => {
    const race = /** @type {import('./lib/fresh-process.js').Raced} */ (raced.get(variant));
    const result = /** @type {StreamResult} */ (race.result);
    return { ...throughputOf(race, result.bytes), result };
  };
  const benchmark = 'streaming, joined corpus';
  const unit = 'MB/s';
  const oneShot = figure(ONE_SHOT);
  const baseline = { variant: ONE_SHOT, value: oneShot.value, cpuValue: oneShot.cpuValue };
  /** @param {StreamResult} result @param {number | undefined} expected */
  const check = (result, expected) =>
    result.outputLength === expected ? undefined : `OUTPUT DIFFERS from one-shot (${result.outputLength} vs ${expected})`;
  const rows = [makeRow({ benchmark, variant: ONE_SHOT, unit, ...oneShot, isBaseline: true })];
  for (const size of CHUNK_SIZES) {
    const variant = chunkVariant(size);
    const chunks = figure(variant);
    const target = CHUNK_TARGETS.get(size);
    rows.push(
      makeRow({
        benchmark,
        variant,
        unit,
        ...chunks,
        baseline,
        ...(target !== undefined && { target: { op: '>=', value: target } }),
        note: check(chunks.result, oneShot.result.outputLength),
      }),
    );
  }
  const transform = figure(TRANSFORM);
  rows.push(
    makeRow({ benchmark, variant: TRANSFORM, unit, ...transform, baseline, note: check(transform.result, oneShot.result.outputBytes) }),
  );
  return {
    description: [
      `The corpus (${formatNumber(corpus.messages)} messages, ${formatNumber(corpus.bytes / 1024 / 1024)} MiB) joined by line breaks ` +
        'into one text, redacted with the default policy.',
      `MB/s is 10^6 UTF-8 bytes of input per second, the median of ${options.processes} fresh processes × ` +
        `${options.rounds} rounds after ${options.warmup} warm-up rounds. Chunks are strings of their own, made before timing ` +
        '(1-char chunks: cut inside the timed loop); the Transform is fed 64 KiB Buffers and writes to a sink that only counts bytes.',
    ],
    rows,
    notes: ['Each streamed output is checked against the length of the one-shot output; a mismatch shows as a note.'],
  };
}
