/**
 * This build's native OpenAI endpoint against other builds of it (the one before a change): the
 * `native` suite's client — one app, one streamed Chat Completions request at a time, through the
 * gateway and straight to the OpenAI-compatible stub in turn (`lib/native-load.js`) — with a
 * gateway of each build in fresh processes every round, rounds in alternating order (A B, B A, …),
 * so that a change of the machine's load falls on all alike. Figures, medians over rounds: the
 * added time to first token at p50 and p99 (gateway − straight, per round) and the gateway's CPU
 * time (user + system, from /proc) per request, which the machine's load moves least.
 *
 * ```sh
 * mkdir -p /tmp/before && cp -r dist package.json /tmp/before/ && ln -s "$PWD/node_modules" /tmp/before/node_modules
 * # … change, then:
 * npm run build && node bench/micro/native-builds.js /tmp/before/dist
 * BENCH_ROUNDS=8 BENCH_NATIVE_MESSAGES=500 node bench/micro/native-builds.js /tmp/before/dist
 * # a CPU profile of each gateway, at this low load:
 * BENCH_PROFILE_DIR=/tmp/prof node bench/micro/native-builds.js /tmp/before/dist
 * # paired: both gateways at once, the client alternating between them (one other build):
 * BENCH_NATIVE_PAIRED=1 node bench/micro/native-builds.js /tmp/before/dist
 * ```
 *
 * Paired (`BENCH_NATIVE_PAIRED=1`): on a shared machine a gateway's CPU per request moves by half
 * from one round to the next (900 to 1700 µs on Node 26 at load 7-9), far more than a change of a
 * few tens of µs. Paired, each round starts a gateway of each build at once (fresh processes, the
 * order of starting alternating) and the client sends each message to one then the other (the
 * order rotating), so that both see the same machine at the same moment; the figures are each
 * build's time to first token (p50, p99) and CPU per request, and per round the difference, their
 * medians over rounds, and in how many rounds this build's figure was the lower (a median
 * difference of 0.02 ms at load 13-15 came out −0.019, −0.017 ms on Node 20 and −0.027, +0.014 ms
 * on Node 26 for one change: the count says whether the rounds agree).
 *
 * @module
 */
import path from 'node:path';
import { sampleMessages } from '../lib/chat-sample.js';
import { median, percentile } from '../lib/measure.js';
import { withProcessGroup } from '../lib/net-process.js';
import { CHILD_LIFETIME_MS } from '../lib/net-race.js';

const SERVER = new URL('../lib/net-server.js', import.meta.url);
const LOAD = new URL('../lib/native-load.js', import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const MESSAGES = Number(process.env.BENCH_NATIVE_MESSAGES ?? 300);
const WARMUP = Number(process.env.BENCH_NATIVE_WARMUP ?? 100);
const PAUSE_MS = Number(process.env.BENCH_NATIVE_PAUSE_MS ?? 2);
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const PAIRED = process.env.BENCH_NATIVE_PAIRED === '1';
const TOKEN = 'bench-native-token';
/** The `native` suite's questions (`native.js`). */
const TEXTS = sampleMessages({ count: 40, withNumbers: 4, hasNumber: (text) => /\d{7,}/.test(text.replace(/\D+/g, '')) });

const otherDists = process.argv.slice(2);
if (otherDists.length === 0) throw new Error('usage: node bench/micro/native-builds.js OTHER_DIST_DIR…');
/** @type {Record<string, string | undefined>} build name → its dist (undefined: this tree's) */
const builds = Object.fromEntries([...otherDists.map((dist, k) => [`other build ${k + 1}`, path.resolve(dist)]), ['this build', undefined]]);

/**
 * One round through a gateway of `dist`.
 * @param {string | undefined} dist
 * @param {string} name
 */
function runOnce(dist, name) {
  return withProcessGroup(async (group) => {
    const stub = await group.start(SERVER, { kind: 'openai-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'OpenAI stub' });
    const env = { LOG_LEVEL: 'info', VENDOR_KIND: 'openai', VENDOR_MODEL: 'bench', VENDOR_URL: stub.ready.url, NATIVE_API: 'on', NATIVE_TOKEN: TOKEN };
    const execArgv = PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`];
    const gateway = await group.start(SERVER, { kind: 'gateway', env, lifetimeMs: CHILD_LIFETIME_MS, ...(dist !== undefined && { dist }) }, { name: 'gateway', execArgv });
    const load = await group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'native client' });
    const result = await load.request('measure', {
      gatewayUrl: `http://127.0.0.1:${gateway.ready.port}/v1/chat/completions`,
      vendorUrl: `${stub.ready.url}/chat/completions`,
      token: TOKEN,
      texts: TEXTS,
      warmup: WARMUP,
      messages: MESSAGES,
      pauseMs: PAUSE_MS,
      watchPids: [gateway.pid],
    });
    return {
      added50: percentile(result.gatewayFirst, 0.5) - percentile(result.directFirst, 0.5),
      added99: percentile(result.gatewayFirst, 0.99) - percentile(result.directFirst, 0.99),
      cpuUs: ((result.watchedCpuMs[0] ?? NaN) * 1000) / MESSAGES,
    };
  });
}

/**
 * One paired round: a gateway of `otherDist` and one of this tree at once, the client alternating.
 * @param {string} otherDist
 * @param {boolean} otherFirst which gateway starts first
 */
function runPaired(otherDist, otherFirst) {
  return withProcessGroup(async (group) => {
    const stub = await group.start(SERVER, { kind: 'openai-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'OpenAI stub' });
    const env = { LOG_LEVEL: 'info', VENDOR_KIND: 'openai', VENDOR_MODEL: 'bench', VENDOR_URL: stub.ready.url, NATIVE_API: 'on', NATIVE_TOKEN: TOKEN };
    /** @param {string | undefined} dist @param {string} name */
    const start = (dist, name) => group.start(SERVER, { kind: 'gateway', env, lifetimeMs: CHILD_LIFETIME_MS, ...(dist !== undefined && { dist }) }, { name });
    const [other, mine] = otherFirst
      ? [await start(otherDist, 'other gateway'), await start(undefined, 'this gateway')]
      : [...[await start(undefined, 'this gateway'), await start(otherDist, 'other gateway')].reverse()];
    const load = await group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'native client' });
    const result = await load.request('measure', {
      gatewayUrl: `http://127.0.0.1:${mine?.ready.port}/v1/chat/completions`,
      vendorUrl: `http://127.0.0.1:${other?.ready.port}/v1/chat/completions`,
      vendorToken: TOKEN,
      token: TOKEN,
      texts: TEXTS,
      warmup: WARMUP,
      messages: MESSAGES,
      pauseMs: PAUSE_MS,
      watchPids: [other?.pid, mine?.pid],
    });
    const [otherCpuMs = NaN, mineCpuMs = NaN] = result.watchedCpuMs;
    return {
      other: { first50: percentile(result.directFirst, 0.5), first99: percentile(result.directFirst, 0.99), cpuUs: (otherCpuMs * 1000) / MESSAGES },
      mine: { first50: percentile(result.gatewayFirst, 0.5), first99: percentile(result.gatewayFirst, 0.99), cpuUs: (mineCpuMs * 1000) / MESSAGES },
    };
  });
}

if (PAIRED) {
  if (otherDists.length !== 1) throw new Error('BENCH_NATIVE_PAIRED=1 takes one other build');
  /** @type {Record<'other' | 'mine' | 'change', { first50: number[], first99: number[], cpuUs: number[] }>} */
  const paired = { other: { first50: [], first99: [], cpuUs: [] }, mine: { first50: [], first99: [], cpuUs: [] }, change: { first50: [], first99: [], cpuUs: [] } };
  for (let round = 0; round < ROUNDS; round++) {
    const run = await runPaired(path.resolve(otherDists[0] ?? ''), round % 2 === 0);
    for (const key of /** @type {const} */ (['first50', 'first99', 'cpuUs'])) {
      paired.other[key].push(run.other[key]);
      paired.mine[key].push(run.mine[key]);
      paired.change[key].push(run.mine[key] - run.other[key]);
    }
    process.stderr.write(
      `round ${round + 1}: other ${run.other.first50.toFixed(3)} / ${run.other.first99.toFixed(3)} ms TTFT p50/p99, ${run.other.cpuUs.toFixed(0)} µs CPU/request; ` +
        `this ${run.mine.first50.toFixed(3)} / ${run.mine.first99.toFixed(3)} ms, ${run.mine.cpuUs.toFixed(0)} µs\n`,
    );
  }
  process.stdout.write(`native OpenAI endpoint, paired gateways, one client, ${ROUNDS} rounds of ${MESSAGES} pairs, Node ${process.version}\n`);
  for (const [name, figures] of /** @type {const} */ ([['other build', paired.other], ['this build', paired.mine], ['this − other', paired.change]])) {
    process.stdout.write(
      `  ${name.padEnd(13)}  TTFT p50 ${median(figures.first50).toFixed(3)} ms  p99 ${median(figures.first99).toFixed(3)} ms  ${median(figures.cpuUs).toFixed(0).padStart(5)} µs gateway CPU/request\n`,
    );
  }
  // A median difference of a few tens of µs at a loaded machine's p50 of 2-4 ms is noise unless
  // most rounds agree: how many rounds this build was faster (less) in, each figure.
  /** @param {number[]} changes */
  const fewer = (changes) => `${changes.filter((change) => change < 0).length}/${changes.length}`;
  const { change } = paired;
  process.stdout.write(`  rounds this build less in: TTFT p50 ${fewer(change.first50)}, p99 ${fewer(change.first99)}, CPU ${fewer(change.cpuUs)}\n`);
  process.exit(0);
}

/** @type {Record<string, { added50: number[], added99: number[], cpuUs: number[] }>} */
const results = Object.fromEntries(Object.keys(builds).map((name) => [name, { added50: [], added99: [], cpuUs: [] }]));
const names = Object.keys(builds);
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const run = await runOnce(builds[name], name);
    const figures = results[name];
    figures?.added50.push(run.added50);
    figures?.added99.push(run.added99);
    figures?.cpuUs.push(run.cpuUs);
    process.stderr.write(`round ${round + 1} ${name}: +${run.added50.toFixed(3)} / +${run.added99.toFixed(3)} ms TTFT p50/p99, ${run.cpuUs.toFixed(0)} µs CPU/request\n`);
  }
}
process.stdout.write(`native OpenAI endpoint, one client, ${ROUNDS} rounds of ${MESSAGES} pairs, Node ${process.version}\n`);
for (const [name, { added50, added99, cpuUs }] of Object.entries(results)) {
  process.stdout.write(
    `  ${name.padEnd(13)}  added TTFT p50 ${median(added50).toFixed(3)} ms  p99 ${median(added99).toFixed(3)} ms  ${median(cpuUs).toFixed(0).padStart(5)} µs gateway CPU/request\n`,
  );
}
