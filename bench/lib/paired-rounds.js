/**
 * Two pieces of work raced inside one process, slice by slice of the input in turn, and the ratio
 * of each process taken before the median over processes: the method of `core.js`'s `redact()`
 * against the naive replace.
 *
 * Why one process: a figure timed in a process of its own carries that process's luck — on Node
 * 20 the naive replace alone ran 78–150 ns a message from one fresh process to the next on the
 * 2-core development machine — and a ratio of two such figures carries two independent draws of
 * it. In one process the two share the draw (the same heap layout, the same neighbours on the
 * CPU, the same moment of the machine's load).
 *
 * Why slices: on a machine where other work keeps the cores busy, the scheduler takes the CPU
 * away for milliseconds at a time, and a round over the whole corpus (25–50 ms) is rarely spared:
 * it lands on one variant's round or the other's, at random. A slice takes about half a
 * millisecond, so most of its rounds run untouched, and the median round of each slice drops the
 * ones that did not. The two works take each slice in turn (A B, then B A in the next round, and
 * the order flips from slice to slice too), and a work's time is the sum over slices of each
 * slice's median round: the whole input, each part of it timed when nothing got in the way.
 *
 * @module
 */

/**
 * @typedef {object} SlicedTime
 * @property {number} ms the sum over slices of each slice's median round, wall time
 * @property {number} cpuMs the same, CPU time (user + system)
 * @property {number[]} roundsMs each round's wall time over all slices (for reference)
 */

/** @param {number[]} values sorted in place @returns {number} */
function medianInPlace(values) {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? /** @type {number} */ (values[mid]) : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
}

/**
 * Warm up both works (`warmup` passes over every slice each), then time `rounds` passes of each
 * over every slice, in turn, a full GC before each pass (when the process runs with
 * `--expose-gc`). The two works must be different function literals: a loop shared by both would
 * gather the type feedback of both and be optimised for neither.
 *
 * @template S
 * @param {readonly S[]} slices the input, in parts of about half a millisecond's work
 * @param {(slice: S) => number} workA returns something derived from its output, so it cannot be
 *   optimised away
 * @param {(slice: S) => number} workB
 * @param {{ warmup: number, rounds: number }} options
 * @returns {{ a: SlicedTime, b: SlicedTime, sink: number }}
 */
export function timePairedSlices(slices, workA, workB, { warmup, rounds }) {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  let sink = 0;
  for (let k = 0; k < warmup; k++) {
    for (const slice of slices) sink += workA(slice) + workB(slice);
  }
  const count = slices.length;
  /** @type {{ wall: Float64Array, cpu: Float64Array, roundsMs: number[] }[]} */
  const times = [0, 1].map(() => ({ wall: new Float64Array(count * rounds), cpu: new Float64Array(count * rounds), roundsMs: [] }));
  const works = [workA, workB];
  for (let round = 0; round < rounds; round++) {
    gc?.();
    const roundMs = [0, 0];
    for (let s = 0; s < count; s++) {
      const first = (round + s) % 2;
      for (const w of [first, 1 - first]) {
        const work = /** @type {(slice: S) => number} */ (works[w]);
        const time = /** @type {(typeof times)[number]} */ (times[w]);
        const cpu = process.cpuUsage();
        const start = process.hrtime.bigint();
        sink += work(/** @type {S} */ (slices[s]));
        const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
        const used = process.cpuUsage(cpu);
        time.wall[s * rounds + round] = wallMs;
        time.cpu[s * rounds + round] = (used.user + used.system) / 1e3;
        roundMs[w] = (roundMs[w] ?? 0) + wallMs;
      }
    }
    for (const w of [0, 1]) times[w]?.roundsMs.push(roundMs[w] ?? 0);
  }
  /** @param {(typeof times)[number]} time @returns {SlicedTime} */
  const sum = ({ wall, cpu, roundsMs }) => {
    let ms = 0;
    let cpuMs = 0;
    for (let s = 0; s < count; s++) {
      ms += medianInPlace([...wall.subarray(s * rounds, (s + 1) * rounds)]);
      cpuMs += medianInPlace([...cpu.subarray(s * rounds, (s + 1) * rounds)]);
    }
    return { ms, cpuMs, roundsMs };
  };
  return { a: sum(/** @type {(typeof times)[number]} */ (times[0])), b: sum(/** @type {(typeof times)[number]} */ (times[1])), sink };
}

/**
 * Split `items` into consecutive slices of about `bytes` UTF-8 bytes each.
 * @param {readonly string[]} items @param {number} bytes
 * @returns {string[][]}
 */
export function sliceByBytes(items, bytes) {
  /** @type {string[][]} */
  const slices = [];
  /** @type {string[]} */
  let slice = [];
  let size = 0;
  for (const item of items) {
    slice.push(item);
    size += Buffer.byteLength(item, 'utf8');
    if (size >= bytes) {
      slices.push(slice);
      slice = [];
      size = 0;
    }
  }
  if (slice.length > 0) slices.push(slice);
  return slices;
}

/**
 * @typedef {object} ProcessPair
 * @property {number} oursMs the process's time of the measured work
 * @property {number} baselineMs the same process's time of the baseline
 * @property {number} oursCpuMs
 * @property {number} baselineCpuMs
 */

/**
 * The process whose ratio (baseline's time over ours: > 1 when ours is faster) is the median of
 * all processes' ratios, by `ratioOf` (wall or CPU time). Of an even count, the lower of the two
 * middle ones: a target is never met on an average of two processes that neither met.
 *
 * @param {readonly ProcessPair[]} pairs one per process
 * @param {(pair: ProcessPair) => number} ratioOf
 * @returns {{ pair: ProcessPair, index: number, ratios: number[] }} `ratios` in process order
 */
export function medianRatioProcess(pairs, ratioOf) {
  if (pairs.length === 0) throw new RangeError('no processes');
  const ratios = pairs.map(ratioOf);
  const order = ratios.map((_, k) => k).sort((x, y) => (ratios[x] ?? 0) - (ratios[y] ?? 0));
  const index = /** @type {number} */ (order[(pairs.length - 1) >> 1]);
  return { pair: /** @type {ProcessPair} */ (pairs[index]), index, ratios };
}

/**
 * @typedef {object} PairedRuns
 * @property {{ ms: number[], cpuMs: number[] }} a each round's wall and CPU time of work A
 * @property {{ ms: number[], cpuMs: number[] }} b the same of work B
 * @property {number[]} ratios each round's time of B over A's (wall): the race's figure is their median
 * @property {number[]} cpuRatios the same on CPU time (this process's; work done in other
 *   processes, such as a CLI child or a server, is not in it)
 * @property {number} outputA what work A returned in its last round
 * @property {number} outputB
 */

/**
 * Two whole works raced in turn, round by round, in this process: A B, then B A in the next
 * round, a GC before each (with `--expose-gc`; full, or of the young generation only with
 * `gc: 'minor'`). Each round gives a ratio of the two times
 * taken moments apart, under the same load of the machine; the median of those ratios drops the
 * rounds in which the scheduler took the CPU from one of the two, where a ratio of two medians
 * could pair a quiet round of one with a busy round of the other. `warmup` untimed runs of each
 * first (0 where the other work has already warmed what they share).
 *
 * @param {() => Promise<number> | number} workA returns the output's size, so it cannot be skipped
 * @param {() => Promise<number> | number} workB
 * A full GC before every round throws away what a work keeps warm between rounds (its regular
 * expressions' compiled code among it, which V8 may flush): the stream suite's 64-character chunks
 * read 0.59–0.62× one-shot with it and 0.80–0.84× with a young-generation collection only (Node 20,
 * two runs each, 2026-12-08), and their CPU time ran 0.1–0.2 above wall time (the collector's
 * threads). The log suite found the same (`log.js`).
 *
 * @param {{ warmup: number, rounds: number, gc?: 'full' | 'minor' }} options `gc`: the collection
 *   before each round (default `'full'`)
 * @returns {Promise<PairedRuns>}
 */
export async function timePairedRuns(workA, workB, { warmup, rounds, gc: kind = 'full' }) {
  const expose = /** @type {((options?: { type: 'minor' }) => void) | undefined} */ (globalThis.gc);
  const gc = expose === undefined ? undefined : kind === 'minor' ? () => expose({ type: 'minor' }) : () => expose();
  const output = [0, 0];
  const works = [workA, workB];
  for (let k = 0; k < warmup; k++) for (const w of [0, 1]) output[w] = await /** @type {() => Promise<number> | number} */ (works[w])();
  /** @type {{ ms: number[], cpuMs: number[] }[]} */
  const times = [
    { ms: [], cpuMs: [] },
    { ms: [], cpuMs: [] },
  ];
  for (let round = 0; round < rounds; round++) {
    for (const w of round % 2 === 0 ? [0, 1] : [1, 0]) {
      gc?.();
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      output[w] = await /** @type {() => Promise<number> | number} */ (works[w])();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const used = process.cpuUsage(cpu);
      times[w]?.ms.push(ms);
      times[w]?.cpuMs.push((used.user + used.system) / 1e3);
    }
  }
  const [a, b] = /** @type {[{ ms: number[], cpuMs: number[] }, { ms: number[], cpuMs: number[] }]} */ (times);
  return {
    a,
    b,
    ratios: b.ms.map((ms, k) => ms / (a.ms[k] ?? NaN)),
    cpuRatios: b.cpuMs.map((ms, k) => ms / (a.cpuMs[k] ?? NaN)),
    outputA: output[0] ?? 0,
    outputB: output[1] ?? 0,
  };
}
