/**
 * One native OpenAI turn's cost in the gateway's process: a gateway of each build started in a
 * fresh process of its own, with the `native` suite's OpenAI stub (`lib/openai-stub.js`) in a
 * process apart, and one client in the gateway's process making streamed Chat Completions
 * requests through it one at a time (`lib/completion-client.js`). Per request: that process's CPU
 * time (`process.cpuUsage`: the gateway's work, plus the client's, the same for every build) and
 * the wall time to the first token. Builds run in fresh processes, interleaved (A B A B …), the
 * figure the median over processes of each process's median round — steadier on a loaded
 * machine than `micro/native-builds.js`, which weighs the same on the wire.
 *
 * ```sh
 * mkdir -p /tmp/before && cp -r dist package.json /tmp/before/ && ln -s "$PWD/node_modules" /tmp/before/node_modules
 * # … change, then:
 * npm run build && node bench/micro/native-turn.js /tmp/before/dist
 * ```
 *
 * @module
 */
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { Agent } from 'undici';
import { sampleMessages } from '../lib/chat-sample.js';
import { complete } from '../lib/completion-client.js';
import { loadDistModule } from '../lib/engine.js';
import { raceInFreshProcesses } from '../lib/fresh-process.js';
import { median } from '../lib/measure.js';
import { NetProcess } from '../lib/net-process.js';
import { CHILD_LIFETIME_MS } from '../lib/net-race.js';

const SERVER = new URL('../lib/net-server.js', import.meta.url);
const TOKEN = 'bench-native-token';
const PROCESSES = Number(process.env.MICRO_PROCESSES ?? 6);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 7);
const REQUESTS = Number(process.env.MICRO_REQUESTS ?? 100);
const WARMUP = Number(process.env.MICRO_WARMUP ?? 300);
/** The `native` suite's questions (`native.js`). */
const TEXTS = sampleMessages({ count: 40, withNumbers: 4, hasNumber: (text) => /\d{7,}/.test(text.replace(/\D+/g, '')) });

/** @param {string | undefined} dist the build's dist (undefined: this tree's) */
async function runTurns(dist) {
  // The gateway logs a line per request to fd 1, which the fresh process shares with ours: /dev/null takes it.
  closeSync(1);
  openSync('/dev/null', 'w');
  const stub = await NetProcess.start(SERVER, { kind: 'openai-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'OpenAI stub' });
  const { startGateway } = await loadDistModule('server.js', dist);
  const { loadConfig } = await loadDistModule('config/load-config.js', dist);
  const env = { LOG_LEVEL: 'info', VENDOR_KIND: 'openai', VENDOR_MODEL: 'bench', VENDOR_URL: stub.ready.url, NATIVE_API: 'on', NATIVE_TOKEN: TOKEN };
  const gateway = await startGateway(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }), {});
  const url = `http://127.0.0.1:${gateway.port}/v1/chat/completions`;
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  const headers = { authorization: `Bearer ${TOKEN}` };
  let n = 0;
  const turn = () => complete(agent, url, headers, TEXTS[n++ % TEXTS.length] ?? '');
  try {
    for (let k = 0; k < WARMUP; k++) await turn();
    /** @type {number[]} */ const roundsMs = [];
    /** @type {number[]} */ const cpuMs = [];
    /** @type {number[]} */ const firstMs = [];
    for (let round = 0; round < ROUNDS; round++) {
      globalThis.gc?.();
      const cpu = process.cpuUsage();
      const started = performance.now();
      /** @type {number[]} */ const firsts = [];
      for (let k = 0; k < REQUESTS; k++) firsts.push((await turn()).firstMs);
      roundsMs.push((performance.now() - started) / REQUESTS);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000 / REQUESTS);
      firstMs.push(median(firsts));
    }
    return { roundsMs, cpuMs, firstMs: median(firstMs) };
  } finally {
    await agent.close();
    await gateway.stop?.();
    await stub.stop();
  }
}

export const variants = {
  /** @param {{ otherDist: string }} options */
  'other build': ({ otherDist }) => runTurns(otherDist),
  'this build': () => runTurns(undefined),
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const otherDist = process.argv[2];
  if (otherDist === undefined) throw new Error('usage: node bench/micro/native-turn.js OTHER_DIST_DIR');
  const raced = await raceInFreshProcesses(import.meta.url, Object.keys(variants), {
    processes: PROCESSES,
    options: { otherDist: path.resolve(otherDist) },
    onProgress: (text) => process.stderr.write(`${text}\n`),
  });
  process.stdout.write(`native turn, ${PROCESSES} processes × ${ROUNDS} rounds of ${REQUESTS} requests, Node ${process.version}\n`);
  for (const [name, { medianMs, medianCpuMs, result }] of raced) {
    process.stdout.write(`  ${name.padEnd(12)} ${(medianCpuMs * 1000).toFixed(0).padStart(5)} µs CPU/request  ${(medianMs * 1000).toFixed(0).padStart(5)} µs wall/request  TTFT ${result.firstMs.toFixed(3)} ms (last process)\n`);
  }
}
