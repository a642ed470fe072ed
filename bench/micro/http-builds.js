/**
 * This build's `POST /v1/redact` against another build of it (the one before a change): each
 * gateway in a fresh server process every round, a second of warm-up, then autocannon; rounds in
 * alternating order (A B, B A, …), so that a change of the machine's load falls on both alike. The figure is the server's CPU time (user + system, from
 * /proc) per answered request, the median over rounds, beside requests per second.
 *
 * ```sh
 * git worktree add /tmp/before main && (cd /tmp/before && npm ci && npm run build)
 * npm run build && node bench/micro/http-builds.js /tmp/before/dist
 * ```
 *
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { median } from '../lib/measure.js';
import { readCpuMs } from '../lib/net-process.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const CONNECTIONS = 50;
/**
 * `BENCH_HTTP_RATE`: requests per second in all, rather than as many as the server answers. On a
 * machine that other work keeps busy, a saturated server's CPU per request swings with how
 * starved it is (one build's rounds from 193 to 1,140 µs on Node 20, load average 14); at a rate
 * both builds keep up with, it is the work per request.
 */
const RATE = process.env.BENCH_HTTP_RATE === undefined ? undefined : Number(process.env.BENCH_HTTP_RATE);
/**
 * The conditions: the token check and the per-client rate in place, the rate at its
 * highest (one load generator sends every request), logging at info (to a discarded stdout).
 */
const TOKEN = 'bench-token-qhzkwmpbtreaxjvnlsud';
const GATEWAY_ENV = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', REDACT_API_TOKEN: TOKEN, REDACT_API_RATE_PER_MINUTE: '1000000' };
const BODY = JSON.stringify({ text: 'Hei, jeg lurer på fakturaen min fra mars, ring meg på 98 76 54 32' });

const otherDist = process.argv[2];
if (otherDist === undefined) throw new Error('usage: node bench/micro/http-builds.js OTHER_DIST_DIR');
const thisDist = new URL('../../dist/', import.meta.url).pathname;

/**
 * A gateway from `dist` (demo bot, default settings; its log is discarded) in a process of its own.
 * @param {string} dist
 * @returns {Promise<{ port: number, pid: number, stop: () => void }>}
 */
async function startGateway(dist) {
  const base = pathToFileURL(path.resolve(dist)).href;
  const script = `
    const { startGateway } = await import('${base}/server.js');
    const { loadConfig } = await import('${base}/config/load-config.js').catch(() => import('${base}/config.js'));
    const gateway = await startGateway(loadConfig(${JSON.stringify(GATEWAY_ENV)}));
    process.stderr.write('port ' + gateway.port + '\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let seen = '';
  for await (const chunk of child.stderr) {
    seen += chunk;
    const port = /port (\d+)/.exec(seen)?.[1];
    if (port !== undefined) return { port: Number(port), pid: /** @type {number} */ (child.pid), stop: () => child.kill() };
  }
  throw new Error(`the gateway from ${dist} did not start: ${seen}`);
}

/** @param {number} port @param {number} seconds */
function load(port, seconds) {
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/redact`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: BODY,
    connections: CONNECTIONS,
    duration: seconds,
    ...(RATE === undefined ? {} : { overallRate: RATE }),
  });
}

const dists = { 'other build': otherDist, 'this build': thisDist };
/** @type {Record<string, { cpuUs: number[], rps: number[] }>} */
const results = { 'other build': { cpuUs: [], rps: [] }, 'this build': { cpuUs: [], rps: [] } };
const names = Object.keys(dists);
for (let round = 0; round < ROUNDS; round++) {
  // Fresh processes every round: one process's JIT luck moved its figure by a quarter.
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const gateway = await startGateway(dists[/** @type {keyof typeof dists} */ (name)]);
    try {
      await load(gateway.port, 1);
      const before = readCpuMs(gateway.pid) ?? 0;
      const result = await load(gateway.port, SECONDS);
      const used = (readCpuMs(gateway.pid) ?? 0) - before;
      if (result.non2xx > 0) throw new Error(`${name}: ${result.non2xx} answers other than 2xx`);
      results[name]?.cpuUs.push((used * 1000) / result.requests.total);
      results[name]?.rps.push(result.requests.average);
    } finally {
      gateway.stop();
    }
  }
}
const base = median(results['other build']?.cpuUs ?? []);
const rate = RATE === undefined ? '' : `, ${RATE} requests/s`;
process.stdout.write(`POST /v1/redact, ${CONNECTIONS} connections${rate}, ${ROUNDS} rounds of ${SECONDS} s, Node ${process.version}\n`);
for (const [name, { cpuUs, rps }] of Object.entries(results)) {
  const cpu = median(cpuUs);
  const rounds = cpuUs.map((us) => us.toFixed(0)).join(' ');
  process.stdout.write(`  ${name.padEnd(11)}  ${cpu.toFixed(0).padStart(5)} µs server CPU/request  ${median(rps).toFixed(0).padStart(6)} req/s  ${(cpu / base).toFixed(2)}×  (rounds: ${rounds})\n`);
}
// Each round's two gateways ran back to back, so the ratio within a round is less at the mercy of
// the machine's load than either median (on a loaded machine one build's rounds swung 86–494 µs).
const paired = (results['this build']?.cpuUs ?? []).map((us, round) => us / (results['other build']?.cpuUs[round] ?? NaN));
process.stdout.write(`  this build / other build within a round: median ${median(paired).toFixed(2)}×, ${paired.filter((ratio) => ratio < 1).length} of ${paired.length} rounds below 1\n`);
