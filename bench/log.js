/**
 * Logging: the lines the gateway writes at `LOG_LEVEL=info`, through its logger (every string
 * scrubbed), against the very same calls through a plain pino logger, and through pino with the
 * library's finished-line scrubber (`redactingHooks`, which parses every line back). Each
 * variant runs in a fresh process; the lines go to a destination that drops them, so the figure
 * is the logger's own work (writing to stdout costs all three the same).
 *
 * @module
 */
import { hostname } from 'node:os';
import { loadDistModule } from './lib/engine.js';
import { runInFreshProcess } from './lib/fresh-process.js';
import { median, timeRounds } from './lib/measure.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'Logging — a service log line, scrubbed, vs plain pino';

const OURS = 'chat-redact logger';
const PLAIN = 'plain pino';
const LINES = 'pino + redactingHooks (finished lines)';
/** The target: a scrubbed line at most twice the time of the same line through plain pino. */
const TARGET_RATIO = 2;
/** Lines of each kind a round. */
const CALLS_PER_KIND = 20_000;

/**
 * The service's lines at `info` and above, as its code writes them (`http/request-log.ts`,
 * `gateway/chat-server.ts`, `chatbot/vendor-client.ts`, `http/error-handler.ts`), with synthetic
 * values: IPv4 addresses from the documentation ranges (a gateway on its default `HOST=0.0.0.0`
 * sees IPv4 clients), ids of letters.
 * @type {Record<string, (logger: any, chat: any, k: number) => void>}
 */
export const KINDS = {
  'request log line': (logger, _chat, k) =>
    logger.info({ method: 'POST', path: '/v1/redact', status: 200, durationMs: 0.42 + (k % 7) / 100, ip: `203.0.113.${k % 250}` }, 'request'),
  'chat opened (child logger)': (_logger, chat, k) => chat.info({ ip: `198.51.100.${k % 250}` }, 'chat opened'),
  'vendor retry': (_logger, chat, k) => chat.info({ attempt: 1 + (k % 3), status: 503, cause: 'UND_ERR_SOCKET', delayMs: 212 }, 'vendor attempt failed; retrying'),
  'request failed (stack frames)': (logger) =>
    logger.error(
      {
        code: 'internal',
        errorClass: 'TypeError',
        stack: ['at redactRoute (file:///app/dist/http/redact-routes.js:160:21)', 'at Layer.handleRequest (file:///app/node_modules/router/lib/layer.js:152:17)', 'at next (file:///app/node_modules/router/lib/route.js:157:13)'],
      },
      'request failed',
    ),
};

/** A destination that drops every line, counting its characters so the work cannot be skipped. */
function createSink() {
  const sink = { characters: 0, write: (/** @type {string} */ line) => void (sink.characters += line.length) };
  return sink;
}

/**
 * @param {(destination: { write(line: string): void }) => any} makeLogger
 * @param {{ warmup: number, rounds: number }} timing
 */
async function measureLogger(makeLogger, timing) {
  const sink = createSink();
  const logger = makeLogger(sink);
  // As the gateway has them: a child per part, and one per chat.
  const chat = logger.child({ part: 'chat' }).child({ conversationId: 'qhzkwmpbtreaxjvnlsud' });
  /** @type {Record<string, { roundsMs: number[], cpuMs: number[] }>} */
  const kinds = {};
  for (const [kind, logLine] of Object.entries(KINDS)) {
    const { roundsMs, cpuMs } = await timeRounds(() => {
      for (let k = 0; k < CALLS_PER_KIND; k++) logLine(logger, chat, k);
      return sink.characters;
    }, timing);
    kinds[kind] = { roundsMs, cpuMs };
  }
  return { kinds, calls: CALLS_PER_KIND, characters: sink.characters };
}

/** Each runs in a fresh process (see `lib/worker.js`). */
export const variants = {
  /** @param {{ timing: { warmup: number, rounds: number } }} options */
  async [OURS]({ timing }) {
    const { createLogger } = await loadDistModule('observability/logger.js');
    const { redact } = await loadDistModule('index.js');
    return measureLogger((destination) => createLogger({ level: 'info', scrub: (text) => redact(text).text, destination }), timing);
  },
  /** @param {{ timing: { warmup: number, rounds: number } }} options */
  async [PLAIN]({ timing }) {
    const { default: pino } = await import('pino');
    return measureLogger((destination) => pino({ level: 'info', base: { pid: process.pid, hostname: hostname() } }, destination), timing);
  },
  /** @param {{ timing: { warmup: number, rounds: number } }} options */
  async [LINES]({ timing }) {
    const { default: pino } = await import('pino');
    const { redactingHooks } = await loadDistModule('index.js');
    return measureLogger((destination) => pino({ level: 'info', hooks: redactingHooks() }, destination), timing);
  },
};

/**
 * @typedef {object} LoggerResult
 * @property {Record<string, { roundsMs: number[], cpuMs: number[] }>} kinds
 * @property {number} calls lines of each kind a round
 * @property {number} characters written in all
 */

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, progress }) {
  const names = Object.keys(variants);
  /** @type {Map<string, LoggerResult[]>} */
  const results = new Map(names.map((name) => [name, []]));
  // Interleaved A B C A B C, each in a fresh process, as raceInFreshProcesses does; every process's result is kept.
  for (let p = 0; p < options.processes; p++) {
    for (const variant of names) {
      progress(`${variant} (process ${p + 1}/${options.processes})`);
      results.get(variant)?.push(await runInFreshProcess(import.meta.url, variant, { timing: { warmup: options.warmup, rounds: options.rounds } }));
    }
  }
  /** @param {string} variant @param {string} kind */
  const figure = (variant, kind) => {
    const runs = results.get(variant) ?? [];
    const perLine = (/** @type {number[]} */ ms, /** @type {LoggerResult} */ r) => (median(ms) * 1000) / r.calls;
    const samples = runs.map((r) => perLine(r.kinds[kind]?.roundsMs ?? [NaN], r));
    const cpu = median(runs.map((r) => perLine(r.kinds[kind]?.cpuMs ?? [NaN], r)));
    // Lines per second, so that a higher figure is better as in every other suite.
    return { value: 1e6 / median(samples), cpuValue: 1e6 / cpu, samples: samples.map((us) => 1e6 / us), details: [`${formatNumber(median(samples))} µs/line`, `${formatNumber(cpu)} µs CPU/line`] };
  };
  const rows = [];
  for (const kind of Object.keys(KINDS)) {
    const plain = figure(PLAIN, kind);
    const unit = 'lines/s';
    // At most 2× the time is at least 0.5× the lines per second.
    rows.push(makeRow({ benchmark: kind, variant: OURS, unit, ...figure(OURS, kind), baseline: { variant: PLAIN, ...plain }, target: { op: '>=', value: 1 / TARGET_RATIO } }));
    rows.push(makeRow({ benchmark: kind, variant: LINES, unit, ...figure(LINES, kind), baseline: { variant: PLAIN, ...plain } }));
    rows.push(makeRow({ benchmark: kind, variant: PLAIN, unit, ...plain, isBaseline: true }));
  }
  return {
    description: [
      `Lines: the gateway's own at info and above, with synthetic values — the request log line (method, route, status, duration, client address), ` +
        '"chat opened" through a chat\'s child logger, a vendor retry, and a failed request with its stack frames; ' +
        `${formatNumber(CALLS_PER_KIND)} of a kind a round, to a destination that drops them.`,
      `${OURS}: \`createLogger\` from \`dist/\` (each call scrubbed in pino's logMethod hook, child bindings when the child is made). ` +
        `${PLAIN}: \`pino()\` with the same base fields. ${LINES}: \`pino({ hooks: redactingHooks() })\`, the library integration, which parses every finished line back.`,
      `${options.processes} fresh processes per variant, interleaved; in each ${options.warmup} warm-up rounds, then ${options.rounds} timed rounds with a full GC before each; ` +
        'lines/s is the median over processes of each process\'s median round. The target is at most 2× plain pino\'s time a line, that is ≥ 0.5× its lines/s.',
    ],
    rows,
    notes: [],
  };
}
