/**
 * Core, streaming: the corpus joined as one text, redacted through `StreamRedactor` in chunks of
 * 1 to 65,536 characters and through `RedactTransform` on UTF-8 bytes, raced against one-shot
 * `redact()` of the same text: each chunk size in fresh processes of its own, against one-shot in the
 * same process, round by round in turn, each of the two on its own copy of the engine.
 *
 * Why: a ratio of medians taken in different processes carries two independent draws of the
 * machine's load and of each process's luck; on the 2-core machine the 4,096-char ratio read
 * 0.69–1.03× and the 64-char 0.59–0.83× over three runs of one build. Rounds in turn, moments
 * apart, share the draw, and each round's ratio is taken under the same load. Each work runs on
 * its own copy of the engine's modules (`lib/engine-copies.js`), so that one-shot's rounds do not
 * shape the inline caches the stream runs on (nor the other way), as separate processes ensured
 * before. Spread before → after: `bench/README.md`, *Streaming: chunk sizes raced in one process*.
 *
 * @module
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readJoinedText } from './lib/engine.js';
import { EngineCopies } from './lib/engine-copies.js';
import { runInFreshProcess } from './lib/fresh-process.js';
import { median, megabytesPerSecond } from './lib/measure.js';
import { timePairedRuns } from './lib/paired-rounds.js';
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

/**
 * The stream's work of a contender on an engine: one pass over the text in chunks of `size`
 * characters (or the Transform's byte chunks), returning the length of its output.
 * @param {typeof import('../dist/library/redact.js')} engine
 * @param {number | typeof TRANSFORM} contender
 * @param {string} text
 * @returns {() => number | Promise<number>}
 */
function streamWork(engine, contender, text) {
  const { StreamRedactor, RedactTransform } = engine;
  if (contender === TRANSFORM) {
    const bytes = Buffer.from(text, 'utf8');
    /** @type {Buffer[]} */
    const chunks = [];
    for (let at = 0; at < bytes.length; at += TRANSFORM_CHUNK_BYTES) chunks.push(bytes.subarray(at, at + TRANSFORM_CHUNK_BYTES));
    return async () => {
      let length = 0;
      const sink = new Writable({
        write(chunk, _encoding, callback) {
          length += chunk.length;
          callback();
        },
      });
      await pipeline(Readable.from(chunks), new RedactTransform(), sink);
      return length;
    };
  }
  const size = contender;
  if (size < SLICE_MIN_LENGTH) {
    // Short slices are copies already, and 16 million one-character strings made in advance
    // would take a gigabyte: these are cut inside the timed loop.
    return () => {
      const redactor = new StreamRedactor();
      let length = 0;
      for (let at = 0; at < text.length; at += size) length += redactor.push(text.slice(at, at + size)).length;
      return length + redactor.end().length;
    };
  }
  const chunks = cutIntoChunks(text, size);
  return () => {
    const redactor = new StreamRedactor();
    let length = 0;
    for (const chunk of chunks) length += redactor.push(chunk).length;
    return length + redactor.end().length;
  };
}

/**
 * @typedef {object} PairRace
 * @property {{ ms: number[], cpuMs: number[] }} oneShot each round's wall and CPU time
 * @property {{ ms: number[], cpuMs: number[] }} stream
 * @property {number} ratio the median round's one-shot time over the stream's (× one-shot), wall
 * @property {number} cpuRatio the same, CPU time
 * @property {number} bytes UTF-8 bytes of the joined text
 * @property {number} outputLength the stream's output: characters (bytes for the Transform)
 * @property {number} expectedLength one-shot's output in the same unit
 */

/** One fresh process (see `lib/worker.js`) races one contender against one-shot. */
export const variants = {
  /**
   * One-shot and the contender, each on its own copy of the engine, in rounds in turn
   * (`timePairedRuns`: A B, then B A, a young-generation GC before each: a full one throws away
   * what the stream keeps warm between rounds — see `timePairedRuns`).
   * @param {StreamOptions & { contender: number | typeof TRANSFORM }} options
   * @returns {Promise<PairRace>}
   */
  async race({ corpusFile, timing, contender }) {
    const copies = new EngineCopies();
    try {
      const { redact } = await copies.load('one-shot');
      const stream = await copies.load('stream');
      const text = readJoinedText(corpusFile);
      let output = '';
      const runs = await timePairedRuns(
        () => {
          output = redact(text).text;
          return output.length;
        },
        streamWork(stream, contender, text),
        { ...timing, gc: 'minor' },
      );
      /** @param {number[]} ones @param {number[]} streams */
      const ratio = (ones, streams) => median(ones.map((ms, k) => ms / (streams[k] ?? NaN)));
      return {
        oneShot: runs.a,
        stream: runs.b,
        ratio: ratio(runs.a.ms, runs.b.ms),
        cpuRatio: ratio(runs.a.cpuMs, runs.b.cpuMs),
        bytes: Buffer.byteLength(text, 'utf8'),
        outputLength: runs.outputB,
        expectedLength: contender === TRANSFORM ? Buffer.byteLength(output, 'utf8') : output.length,
      };
    } finally {
      copies.remove();
    }
  },
};

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, workspace, progress }) {
  const corpus = workspace.corpusFile(options.corpusBytes);
  const timing = { warmup: options.warmup, rounds: options.rounds };
  /** @type {(number | typeof TRANSFORM)[]} */
  const contenders = [...CHUNK_SIZES, TRANSFORM];
  const nameOf = (/** @type {number | typeof TRANSFORM} */ contender) => (contender === TRANSFORM ? TRANSFORM : chunkVariant(contender));
  /** @type {PairRace[][]} each contender's races, one a process */
  const races = contenders.map(() => []);
  // Processes interleaved (every contender once, then again), so that a change in the machine's
  // load falls on all alike.
  for (let p = 0; p < options.processes; p++) {
    for (const [c, contender] of contenders.entries()) {
      progress(`${nameOf(contender)} against ${ONE_SHOT} in one process (process ${p + 1}/${options.processes})`);
      races[c]?.push(await runInFreshProcess(import.meta.url, 'race', { corpusFile: corpus.path, timing, contender }));
    }
  }
  const benchmark = 'streaming, joined corpus';
  const unit = 'MB/s';
  const mbps = (/** @type {PairRace} */ race, /** @type {number} */ ms) => megabytesPerSecond(race.bytes, ms);
  const all = races.flat();
  const oneShotMs = all.map((race) => median(race.oneShot.ms));
  const bytes = all[0]?.bytes ?? NaN;
  const rows = [
    makeRow({
      benchmark,
      variant: ONE_SHOT,
      unit,
      value: megabytesPerSecond(bytes, median(oneShotMs)),
      cpuValue: megabytesPerSecond(bytes, median(all.map((race) => median(race.oneShot.cpuMs)))),
      samples: oneShotMs.map((ms) => megabytesPerSecond(bytes, ms)),
      details: [`median over the ${all.length} processes of all the races`],
      isBaseline: true,
    }),
  ];
  for (const [c, contender] of contenders.entries()) {
    const processes = races[c] ?? [];
    // The figure: the median over processes (of an even count the lower middle) of each
    // process's ratio, itself the median of its rounds' ratios; the row shows that process's
    // one-shot MB/s as the baseline and the ratio times it as the stream's.
    const pick = (/** @type {(race: PairRace) => number} */ ratioOf) => {
      const ratios = processes.map(ratioOf);
      const order = ratios.map((_, k) => k).sort((x, y) => (ratios[x] ?? 0) - (ratios[y] ?? 0));
      const race = /** @type {PairRace} */ (processes[/** @type {number} */ (order[(processes.length - 1) >> 1])]);
      return { race, ratio: ratioOf(race), ratios };
    };
    const wall = pick((race) => race.ratio);
    const cpu = pick((race) => race.cpuRatio);
    const oneShot = { wall: mbps(wall.race, median(wall.race.oneShot.ms)), cpu: mbps(cpu.race, median(cpu.race.oneShot.cpuMs)) };
    const target = typeof contender === 'number' ? CHUNK_TARGETS.get(contender) : undefined;
    const differs = processes.find((race) => race.outputLength !== race.expectedLength);
    rows.push(
      makeRow({
        benchmark,
        variant: nameOf(contender),
        unit,
        value: oneShot.wall * wall.ratio,
        cpuValue: oneShot.cpu * cpu.ratio,
        samples: processes.map((race) => mbps(race, median(race.stream.ms))),
        details: [
          `× one-shot by process ${wall.ratios.map((r) => formatNumber(r)).join(', ')} (CPU ${cpu.ratios.map((r) => formatNumber(r)).join(', ')})`,
          `its median round ${formatNumber(mbps(wall.race, median(wall.race.stream.ms)))} MB/s`,
        ],
        baseline: { variant: ONE_SHOT, value: oneShot.wall, cpuValue: oneShot.cpu },
        ...(target !== undefined && { target: { op: '>=', value: target } }),
        note: differs && `OUTPUT DIFFERS from one-shot (${differs.outputLength} vs ${differs.expectedLength})`,
      }),
    );
  }
  return {
    description: [
      `The corpus (${formatNumber(corpus.messages)} messages, ${formatNumber(corpus.bytes / 1024 / 1024)} MiB) joined by line breaks ` +
        'into one text, redacted with the default policy.',
      `Each chunk size (and the Transform) races one-shot \`redact()\` in ${options.processes} fresh processes of its own, the two on copies ` +
        `of the engine of their own (\`lib/engine-copies.js\`): ${options.warmup} warm-up rounds of each, then ${options.rounds} rounds ` +
        'in turn (A B, then B A), a young-generation GC before each (a full one throws away what the stream keeps warm). A process\'s ratio is the median of its rounds\' ratios (one-shot\'s time over the ' +
        'stream\'s: × one-shot), the figure the median over processes (of an even count the lower middle), its row that process\'s one-shot ' +
        'MB/s and the ratio times it; one-shot\'s own row, the median over all the processes. MB/s is 10^6 UTF-8 bytes of input per second. ' +
        'Chunks are strings of their own, made before timing (1-char chunks: cut inside the timed loop); the Transform is fed 64 KiB Buffers ' +
        'and writes to a sink that only counts bytes.',
    ],
    rows,
    notes: ['Each streamed output is checked against the length of the one-shot output of its process; a mismatch shows as a note.'],
  };
}
