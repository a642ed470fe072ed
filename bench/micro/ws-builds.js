/**
 * This build's WebSocket chat path against other builds of it (the one before a change): the
 * `ws` suite's traffic — 50 widget clients, each sending its next message once the last is
 * answered — through a gateway of each build in a fresh server process every round (with the
 * demo bot, or the generic adapter to the HTTP vendor stub in a process of its own), rounds in
 * alternating order (A B, B A, …), so that a change of the machine's load falls on all alike.
 * The figure is the gateway's CPU time (user + system, from /proc) per answered message, the
 * median over rounds, beside messages per second and the round trip's p50.
 *
 * ```sh
 * mkdir -p /tmp/before && cp -r dist package.json /tmp/before/ && ln -s "$PWD/node_modules" /tmp/before/node_modules
 * # … change, then:
 * npm run build && node bench/micro/ws-builds.js demo /tmp/before/dist
 * BENCH_ROUNDS=8 node bench/micro/ws-builds.js stub /tmp/before/dist /tmp/other/dist
 * ```
 *
 * @module
 */
import path from 'node:path';
import { sampleMessages } from '../lib/chat-sample.js';
import { median } from '../lib/measure.js';
import { withProcessGroup } from '../lib/net-process.js';
import { CHILD_LIFETIME_MS } from '../lib/net-race.js';

const SERVER = new URL('../lib/net-server.js', import.meta.url);
const LOAD = new URL('../lib/ws-load.js', import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SECONDS = Number(process.env.BENCH_WS_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 50);
/** The `ws` suite's settings (`ws.js`): its messages, its gateway environment. */
const GATEWAY_ENV = { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000' };
const TEXTS = sampleMessages({ count: 40, withNumbers: 2, hasNumber: (text) => /\d{7,}/.test(text.replace(/\D+/g, '')) });

const [vendor, ...otherDists] = process.argv.slice(2);
if ((vendor !== 'demo' && vendor !== 'stub') || otherDists.length === 0) {
  throw new Error('usage: node bench/micro/ws-builds.js demo|stub OTHER_DIST_DIR…');
}
/** @type {Record<string, string | undefined>} build name → its dist (undefined: this tree's) */
const builds = Object.fromEntries([...otherDists.map((dist, k) => [`other build ${k + 1}`, path.resolve(dist)]), ['this build', undefined]]);

/**
 * One timed run through a gateway of `dist`.
 * @param {string | undefined} dist
 */
function runOnce(dist) {
  return withProcessGroup(async (group) => {
    const stub = vendor === 'stub' ? await group.start(SERVER, { kind: 'vendor-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'vendor stub' }) : undefined;
    const env = stub === undefined ? GATEWAY_ENV : { ...GATEWAY_ENV, VENDOR_URL: stub.ready.url };
    const server = await group.start(SERVER, { kind: 'gateway', env, lifetimeMs: CHILD_LIFETIME_MS, ...(dist !== undefined && { dist }) }, { name: 'gateway' });
    const load = await group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'load client' });
    const result = await load.request('traffic', {
      url: `ws://127.0.0.1:${server.ready.port}/chat`,
      protocol: 'gateway',
      clients: CLIENTS,
      warmupMs: 2000,
      durationMs: SECONDS * 1000,
      texts: TEXTS,
      watchPids: [server.pid],
    });
    if (result.errors > 0) throw new Error(`${result.errors} error frames`);
    return { cpuUs: ((result.watchedCpuMs[0] ?? NaN) * 1000) / Math.max(1, result.messages), rate: result.messages / result.seconds, p50Ms: result.p50Ms };
  });
}

/** @type {Record<string, { cpuUs: number[], rate: number[], p50Ms: number[] }>} */
const results = Object.fromEntries(Object.keys(builds).map((name) => [name, { cpuUs: [], rate: [], p50Ms: [] }]));
const names = Object.keys(builds);
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const run = await runOnce(builds[name]);
    const figures = results[name];
    figures?.cpuUs.push(run.cpuUs);
    figures?.rate.push(run.rate);
    figures?.p50Ms.push(run.p50Ms);
    process.stderr.write(`round ${round + 1} ${name}: ${run.cpuUs.toFixed(1)} µs/message\n`);
  }
}
const base = median(results[names[0] ?? '']?.cpuUs ?? []);
process.stdout.write(`ws chat path (${vendor === 'demo' ? 'demo bot' : 'HTTP vendor stub'}), ${CLIENTS} clients, ${ROUNDS} rounds of ${SECONDS} s, Node ${process.version}\n`);
for (const [name, { cpuUs, rate, p50Ms }] of Object.entries(results)) {
  const cpu = median(cpuUs);
  process.stdout.write(
    `  ${name.padEnd(13)}  ${cpu.toFixed(1).padStart(6)} µs gateway CPU/message  ${median(rate).toFixed(0).padStart(6)} messages/s  p50 ${median(p50Ms).toFixed(2)} ms  ${(cpu / base).toFixed(2)}×\n`,
  );
}
