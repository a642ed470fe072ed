/**
 * HTTP: autocannon against the gateway's `POST /v1/redact` with chat messages from the corpus,
 * raced against a bare express route of the same process that answers the same JSON without
 * doing anything — the baseline and target — and, for reference, against that route
 * with the same token check and one access log line per request, a floor no real service goes
 * below (see `startBareRoutes` in `lib/net-server.js`). Each run starts a fresh server process,
 * which serves all three; autocannon runs in this process and loads one of them.
 *
 * @module
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { sampleMessages } from './lib/chat-sample.js';
import { countLeaks } from './lib/judge.js';
import { median } from './lib/measure.js';
import { readCpuMs, withProcessGroup } from './lib/net-process.js';
import { CHILD_LIFETIME_MS, medianOf, raceInRounds } from './lib/net-race.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'HTTP — POST /v1/redact vs a bare express route';

const SERVER = new URL('./lib/net-server.js', import.meta.url);
const OURS = 'chat-redact POST /v1/redact';
const BARE = 'bare express route';
const LOGGED = 'bare express route + token check + access log line';
/** The target: the gateway's route at 0.9× the bare route's requests per second or better. */
const TARGET_RATIO = 0.9;
/** Request bodies, rotated; this many of them carry a number to delete (5%). */
const BODY_COUNT = 40;
const BODIES_WITH_NUMBERS = 2;
/**
 * The gateway's environment: its defaults, logging at `info` (to stdout, which is discarded), the redaction API's token check in place
 * (`REDACT_API_TOKEN`, every request sends it) and its per-client rate in place but at its highest (one load client sends every request,
 * and is to be answered, not refused).
 */
const TOKEN = 'bench-token-qhzkwmpbtreaxjvnlsud';
const GATEWAY_ENV = { LOG_LEVEL: 'info', REDACT_API_TOKEN: TOKEN, REDACT_API_RATE_PER_MINUTE: '1000000' };
const PATH = '/v1/redact';
/** Every request carries the token; the bare route does not look at it, the logged one does. */
const JSON_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

/**
 * One request to `port` with `body`; its status, body and the size of its header block.
 * @param {number} port
 * @param {string} body
 * @returns {Promise<{ status: number, text: string, headerBytes: number }>}
 */
function post(port, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: PATH, method: 'POST', headers: JSON_HEADERS, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        // Each header is a line `name: value\r\n`: two bytes beside each name and each value.
        const headerBytes = res.rawHeaders.reduce((sum, part) => sum + Buffer.byteLength(part) + 2, 0);
        resolve({ status: res.statusCode ?? 0, text, headerBytes });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Both routes answer every body with status 200 and the very same JSON: the race compares the
 * work done, not the size of the answers.
 * @param {{ port: number, barePort: number, loggedPort: number }} ports
 * @param {string[]} bodies
 * @returns {Promise<{ extraHeaderBytes: number, meanAnswerBytes: number }>} how many more header
 *   bytes the gateway's answers carry, and the mean size of an answer's body
 */
async function checkSameAnswers({ port, barePort, loggedPort }, bodies) {
  let extraHeaderBytes = 0;
  let answerBytes = 0;
  for (const body of bodies) {
    const [ours, bare, logged] = await Promise.all([post(port, body), post(barePort, body), post(loggedPort, body)]);
    for (const other of [bare, logged]) {
      if (ours.status !== 200 || other.status !== 200 || ours.text !== other.text) {
        throw new Error(`the routes answer ${body} differently: ${ours.status} ${ours.text} / ${other.status} ${other.text}`);
      }
    }
    extraHeaderBytes = ours.headerBytes - bare.headerBytes;
    answerBytes += Buffer.byteLength(ours.text);
  }
  return { extraHeaderBytes, meanAnswerBytes: answerBytes / bodies.length };
}

/**
 * @typedef {object} CannonResult
 * @property {number} requestsPerSecond answered with 200, over the run
 * @property {number} p50Ms latency of 200 answers, from autocannon's own timing of each
 * @property {number} p99Ms
 * @property {number} ok 200 answers
 * @property {number} failed other statuses, errors and timeouts
 * @property {number} seconds
 * @property {number | null} serverCpuMs CPU time of the server process over the run
 */

/**
 * One autocannon run against `port`, the bodies rotated on each connection.
 * @param {number} port
 * @param {string[]} bodies
 * @param {{ seconds: number, connections: number, pipelining: number }} settings
 * @param {number} serverPid
 * @returns {Promise<CannonResult>}
 */
async function cannon(port, bodies, { seconds, connections, pipelining }, serverPid) {
  /** @type {number[]} */
  const latencies = [];
  const cpuBefore = readCpuMs(serverPid);
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    requests: bodies.map((body) => ({ method: 'POST', path: PATH, headers: JSON_HEADERS, body })),
    connections,
    pipelining,
    duration: seconds,
  });
  // autocannon's histogram keeps whole milliseconds; its response event has the exact time.
  instance.on('response', (/** @type {unknown} */ _client, /** @type {number} */ status, /** @type {number} */ _bytes, /** @type {number} */ ms) => {
    if (status === 200) latencies.push(ms);
  });
  const result = await instance;
  const cpuAfter = readCpuMs(serverPid);
  latencies.sort((a, b) => a - b);
  /** @param {number} p */
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN;
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / result.duration,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
    serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
  };
}

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, progress }) {
  const settings = options.http;
  const texts = sampleMessages({ count: BODY_COUNT, withNumbers: BODIES_WITH_NUMBERS, hasNumber: (text) => countLeaks(text) > 0 });
  const bodies = texts.map((text) => JSON.stringify({ text }));
  /** @type {{ extraHeaderBytes: number, meanAnswerBytes: number } | undefined} */
  let answers;
  const runs = await raceInRounds(
    [OURS, BARE, LOGGED],
    settings.rounds,
    (variant) =>
      withProcessGroup(async (group) => {
        const server = await group.start(SERVER, { kind: 'gateway', env: GATEWAY_ENV, bareTexts: texts, lifetimeMs: CHILD_LIFETIME_MS }, { name: 'HTTP server' });
        answers ??= await checkSameAnswers(server.ready, bodies);
        const port = variant === OURS ? server.ready.port : variant === BARE ? server.ready.barePort : server.ready.loggedPort;
        if (settings.warmupSeconds > 0) await cannon(port, bodies, { ...settings, seconds: settings.warmupSeconds }, server.pid);
        return cannon(port, bodies, settings, server.pid);
      }),
    progress,
  );
  /** @param {string} variant */
  const summarise = (variant) => {
    const results = runs.get(variant) ?? [];
    const throughput = medianOf(results, (r) => r.requestsPerSecond);
    const cpuTimes = results.flatMap((r) => (r.serverCpuMs === null ? [] : [r.serverCpuMs / r.ok]));
    const cpuMsPerRequest = cpuTimes.length > 0 ? median(cpuTimes) : null;
    const p50 = medianOf(results, (r) => r.p50Ms);
    const p99 = medianOf(results, (r) => r.p99Ms);
    return {
      ...throughput,
      cpuValue: cpuMsPerRequest === null ? null : 1000 / cpuMsPerRequest,
      p50,
      p99,
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      details: [
        `p50 ${formatNumber(p50.value)} ms`,
        `p99 ${formatNumber(p99.value)} ms`,
        ...(cpuMsPerRequest === null ? [] : [`${formatNumber(cpuMsPerRequest * 1000)} µs server CPU/request`]),
      ],
    };
  };
  const ours = summarise(OURS);
  const bare = summarise(BARE);
  const logged = summarise(LOGGED);
  const benchmark = `${PATH}, ${settings.connections} connections`;
  const unit = 'req/s';
  const failures = [ours, bare, logged].some((s) => s.failed > 0)
    ? [`Answers other than 200, errors or timeouts: ${ours.failed} from ${OURS}, ${bare.failed} from the ${BARE}, ${logged.failed} from the ${LOGGED}.`]
    : [];
  const { extraHeaderBytes, meanAnswerBytes } = /** @type {NonNullable<typeof answers>} */ (answers);
  const meanBodyBytes = bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / bodies.length;
  return {
    description: [
      `Bodies: ${BODY_COUNT} chat messages from the seeded corpus as \`{"text":"…"}\`, ${formatNumber(meanBodyBytes)} bytes on average, ` +
        `${BODIES_WITH_NUMBERS} of them (${formatNumber((BODIES_WITH_NUMBERS / BODY_COUNT) * 100)}%) with a number to delete; each connection sends them in turn. ` +
        `Both routes answer each with the same JSON (checked before timing; ${formatNumber(meanAnswerBytes)} bytes on average).`,
      `${OURS}: the gateway as \`startGateway(loadConfig(env))\` from \`dist/\` builds it, default settings, LOG_LEVEL=info ` +
        '(one log line per request, written to /dev/null), REDACT_API_TOKEN set and sent with every request: the route served before express\'s router ' +
        '(`http/redact-fast-route.ts`) with request log, security headers, ' +
        'the guard (method, per-client rate at its highest, bearer token), the JSON body (read by `http/json-body.ts`, not body-parser), zod, redaction, metrics.',
      `${BARE}: \`http.createServer(express())\` in the same process, express set up as the gateway's app (no x-powered-by, ` +
        'no ETag, no query parser), the same `express.json()` parser and limit, answering a JSON precomputed at start with the same ' +
        `\`cache-control\`. The gateway's answers carry ${formatNumber(extraHeaderBytes)} bytes more of headers (its security headers).`,
      `${LOGGED} (a reference, not the target): the bare route behind the gateway's own bearer-token check (\`createSecretCheck\`) ` +
        'and with one access log line per request (method, route, status, milliseconds, address) from plain pino to its default ' +
        'destination, stdout (discarded), as the gateway\'s logger writes: what any service that checks a token and logs its ' +
        'requests pays, without the scrubbing, security headers, schema check, redaction and metrics that are the gateway\'s own.',
      `autocannon ${settings.connections} connections, pipelining ${settings.pipelining}, ${formatNumber(settings.seconds)} s a run after a ` +
        `${formatNumber(settings.warmupSeconds)} s warm-up, in this process; the server in a fresh process per run (both routes in it each time), ` +
        `${settings.rounds} rounds in alternating order; figures are medians over rounds. Latency is autocannon's own timing of each request, ` +
        'exact rather than its whole-millisecond histogram. Server CPU is the server process\'s user + system time over the run, from /proc.',
    ],
    rows: [
      makeRow({ benchmark, variant: OURS, unit, ...ours, baseline: { variant: BARE, ...bare }, target: { op: '>=', value: TARGET_RATIO } }),
      makeRow({ benchmark, variant: BARE, unit, ...bare, isBaseline: true }),
      makeRow({ benchmark: `${benchmark}, latency p50`, variant: OURS, unit: 'ms', ...ours.p50, baseline: { variant: BARE, ...bare.p50 } }),
      makeRow({ benchmark: `${benchmark}, latency p99`, variant: OURS, unit: 'ms', ...ours.p99, baseline: { variant: BARE, ...bare.p99 } }),
      makeRow({ benchmark: `${benchmark}, against a token check and a log line`, variant: OURS, unit, ...ours, baseline: { variant: LOGGED, ...logged } }),
      makeRow({ benchmark: `${benchmark}, against a token check and a log line`, variant: LOGGED, unit, ...logged, isBaseline: true }),
    ],
    notes: [
      'The CPU ratio compares requests per second of server CPU time: steadier than req/s when other work shares the machine, ' +
        'and what the server costs whatever the load generator gets.',
      ...failures,
    ],
  };
}
