/**
 * Logging: the lines the gateway writes at `LOG_LEVEL=info`, through its logger (every string
 * scrubbed), against the very same calls through a plain pino logger, and through pino with the
 * library's finished-line scrubber (`redactingHooks`, which parses every line back). The lines go
 * to a destination that drops them, so the figure is the logger's own work (writing to stdout
 * costs all three the same).
 *
 * Method: the three race in the same fresh process, in short rounds in turn (a round is
 * `LINES_PER_ROUND` lines of one kind; the order rotates from round to round), each process's
 * ratio is that of the two's median rounds, and the figure the median over processes. A line takes
 * well under a microsecond through plain pino, and a ratio of figures from separate processes (the
 * method before) swung ±40 % between runs with each process's draw of the machine; two rounds a few
 * milliseconds apart share it. Each logger is its own copy of pino and is driven by its own copy of
 * the calling code (`ownCopy`), so no logger runs on type feedback gathered from another: each
 * process is as monomorphic as a service holding one logger. Spread over runs, before → after:
 * see `bench/README.md`, *Log and hostile: races in rounds*.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import path from 'node:path';
import { loadDistModule } from './lib/engine.js';
import { runInFreshProcess } from './lib/fresh-process.js';
import { median } from './lib/measure.js';
import { medianRatioProcess } from './lib/paired-rounds.js';
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

/**
 * Lines of a kind in one timed round: 0.1–1 ms, well under the scheduler's time slice, so that on
 * a loaded machine most rounds of each logger run untouched and the median drops the rest. Rounds
 * of 2,000 lines (0.5–4 ms) were preempted more often the longer they were: at load 10–15 on two
 * cores ours (the longer) lost most of its rounds and its wall ratio fell to 0.17–0.48× plain pino
 * against 0.59–0.71× on CPU (request failed, Node 20, five runs); with 500 lines, three runs read
 * wall 0.68–0.70× (CPU 0.68–0.70×) on Node 20 and 0.64–0.66× (CPU 0.66×) on Node 26, every
 * kind's wall within 0.01 of its CPU figure (`micro/suite-spread.js bench/log.js`).
 */
const LINES_PER_ROUND = 500;

/** A destination that drops every line, counting its characters so the work cannot be skipped. */
function createSink() {
  const sink = { characters: 0, write: (/** @type {string} */ line) => void (sink.characters += line.length) };
  return sink;
}

/**
 * A copy of `fn` compiled anew from its source: its own type feedback, so that driving one logger
 * through it does not make the call sites polymorphic for another. `fn` must use no closure.
 * @template {Function} F @param {F} fn @returns {F}
 */
const ownCopy = (fn) => (0, eval)(`(${fn.toString()})`);

/** The round's loop, copied per logger and kind. */
const roundLoop = (/** @type {any} */ logLine, /** @type {any} */ logger, /** @type {any} */ chat, /** @type {number} */ lines) => {
  for (let k = 0; k < lines; k++) logLine(logger, chat, k);
};

/** pino loaded anew (its modules and their dependencies out of the require cache): a copy of its own. */
function freshPino() {
  const require = createRequire(import.meta.url);
  for (const key of Object.keys(require.cache)) if (key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
  return require('pino');
}

/**
 * The three loggers in this process, each on its own copy of pino (ours loads the one the built
 * gateway imports).
 * @returns {Promise<Record<string, (destination: { write(line: string): void }) => any>>}
 */
async function loadLoggers() {
  const { createLogger } = await loadDistModule('observability/logger.js');
  const { redact, redactingHooks } = await loadDistModule('index.js');
  const plainPino = freshPino();
  const linesPino = freshPino();
  return {
    [OURS]: (destination) => createLogger({ level: 'info', scrub: (/** @type {string} */ text) => redact(text).text, destination }),
    [PLAIN]: (destination) => plainPino({ level: 'info', base: { pid: process.pid, hostname: hostname() } }, destination),
    [LINES]: (destination) => linesPino({ level: 'info', hooks: redactingHooks() }, destination),
  };
}

/**
 * @typedef {object} KindTimes
 * @property {Record<string, { ms: number, cpuMs: number }>} medians each logger's median round, wall and CPU
 */

/**
 * @typedef {object} LoggerRace
 * @property {Record<string, KindTimes>} kinds
 * @property {number} lines lines of each kind a round
 * @property {number} characters written in all
 */

/** One fresh process (see `lib/worker.js`) races the three loggers. */
export const variants = {
  /** @param {{ timing: { warmup: number, rounds: number } }} options @returns {Promise<LoggerRace>} */
  async race({ timing }) {
    const gc = /** @type {((options?: { type: 'minor' }) => void) | undefined} */ (globalThis.gc);
    const sink = createSink();
    const makers = await loadLoggers();
    const names = Object.keys(makers);
    // Warm-up and rounds of the suite's settings, in lines: as many of each as the method before
    // timed in rounds of CALLS_PER_KIND, cut into rounds of LINES_PER_ROUND.
    const warmupLines = timing.warmup * CALLS_PER_KIND;
    const rounds = Math.max(2, Math.round((timing.rounds * CALLS_PER_KIND) / LINES_PER_ROUND));
    /** @type {Record<string, KindTimes>} */
    const kinds = {};
    for (const [kind, logLine] of Object.entries(KINDS)) {
      const runs = names.map((name) => {
        const logger = /** @type {(d: typeof sink) => any} */ (makers[name])(sink);
        // As the gateway has them: a child per part, and one per chat.
        const chat = logger.child({ part: 'chat' }).child({ conversationId: 'qhzkwmpbtreaxjvnlsud' });
        const loop = ownCopy(roundLoop);
        const line = ownCopy(logLine);
        return (/** @type {number} */ lines) => loop(line, logger, chat, lines);
      });
      for (const run of runs) run(warmupLines);
      gc?.();
      const wall = names.map(() => /** @type {number[]} */ ([]));
      const cpu = names.map(() => /** @type {number[]} */ ([]));
      for (let round = 0; round < rounds; round++) {
        for (let step = 0; step < names.length; step++) {
          const v = (round + step) % names.length;
          // A scavenge (~0.1 ms; a full GC is 10–70 ms, longer than the round): each round starts
          // with an empty young generation, none pays for another's garbage.
          gc?.({ type: 'minor' });
          const cpuStart = process.cpuUsage();
          const start = process.hrtime.bigint();
          runs[v]?.(LINES_PER_ROUND);
          wall[v]?.push(Number(process.hrtime.bigint() - start) / 1e6);
          const used = process.cpuUsage(cpuStart);
          cpu[v]?.push((used.user + used.system) / 1e3);
        }
      }
      kinds[kind] = {
        medians: Object.fromEntries(names.map((name, v) => [name, { ms: median(wall[v] ?? []), cpuMs: median(cpu[v] ?? []) }])),
      };
    }
    return { kinds, lines: LINES_PER_ROUND, characters: sink.characters };
  },
};

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, progress }) {
  /** @type {LoggerRace[]} */
  const races = [];
  for (let p = 0; p < options.processes; p++) {
    progress(`three loggers in one process (process ${p + 1}/${options.processes})`);
    races.push(await runInFreshProcess(import.meta.url, 'race', { timing: { warmup: options.warmup, rounds: options.rounds } }));
  }
  const rounds = Math.max(2, Math.round((options.rounds * CALLS_PER_KIND) / LINES_PER_ROUND));
  const perLine = (/** @type {number} */ ms) => (ms * 1000) / LINES_PER_ROUND;
  const linesPerSecond = (/** @type {number} */ ms) => 1e6 / perLine(ms);
  /** @param {string} variant @param {string} kind @returns {{ ms: number, cpuMs: number }[]} each process's median round */
  const mediansOf = (variant, kind) => races.map((race) => race.kinds[kind]?.medians[variant] ?? { ms: NaN, cpuMs: NaN });
  const rows = [];
  for (const kind of Object.keys(KINDS)) {
    const plain = mediansOf(PLAIN, kind);
    const unit = 'lines/s';
    for (const variant of [OURS, LINES]) {
      // Each process's ratio: plain pino's median round over the logger's (its lines/s over plain
      // pino's), both medians of the same rounds in turn; the row is the process whose ratio is
      // the median (of an even count the lower middle), with that process's figures.
      const pairs = mediansOf(variant, kind).map((ours, p) => ({ oursMs: ours.ms, baselineMs: plain[p]?.ms ?? NaN, oursCpuMs: ours.cpuMs, baselineCpuMs: plain[p]?.cpuMs ?? NaN }));
      const wall = medianRatioProcess(pairs, (pair) => pair.baselineMs / pair.oursMs);
      const cpu = medianRatioProcess(pairs, (pair) => pair.baselineCpuMs / pair.oursCpuMs);
      rows.push(
        makeRow({
          benchmark: kind,
          variant,
          unit,
          value: linesPerSecond(wall.pair.oursMs),
          cpuValue: linesPerSecond(cpu.pair.oursCpuMs),
          samples: pairs.map((pair) => linesPerSecond(pair.oursMs)),
          details: [
            `${formatNumber(perLine(wall.pair.oursMs))} µs/line`,
            `${formatNumber(perLine(cpu.pair.oursCpuMs))} µs CPU/line`,
            `× plain pino by process ${wall.ratios.map((r) => formatNumber(r)).join(', ')} (CPU ${cpu.ratios.map((r) => formatNumber(r)).join(', ')})`,
          ],
          baseline: { variant: PLAIN, value: linesPerSecond(wall.pair.baselineMs), cpuValue: linesPerSecond(cpu.pair.baselineCpuMs) },
          // At most 2× the time is at least 0.5× the lines per second.
          ...(variant === OURS && { target: { op: '>=', value: 1 / TARGET_RATIO } }),
        }),
      );
    }
    const us = median(plain.map((m) => perLine(m.ms)));
    const cpuUs = median(plain.map((m) => perLine(m.cpuMs)));
    rows.push(
      makeRow({
        benchmark: kind,
        variant: PLAIN,
        unit,
        value: 1e6 / us,
        cpuValue: 1e6 / cpuUs,
        samples: plain.map((m) => linesPerSecond(m.ms)),
        details: [`${formatNumber(us)} µs/line`, `${formatNumber(cpuUs)} µs CPU/line`, 'median over processes'],
        isBaseline: true,
      }),
    );
  }
  return {
    description: [
      `Lines: the gateway's own at info and above, with synthetic values — the request log line (method, route, status, duration, client address), ` +
        '"chat opened" through a chat\'s child logger, a vendor retry, and a failed request with its stack frames; ' +
        `to a destination that drops them.`,
      `${OURS}: \`createLogger\` from \`dist/\` (each call scrubbed in pino's logMethod hook, child bindings when the child is made). ` +
        `${PLAIN}: \`pino()\` with the same base fields. ${LINES}: \`pino({ hooks: redactingHooks() })\`, the library integration, which parses every finished line back.`,
      `The three in each of ${options.processes} fresh processes, each on its own copy of pino and of the calling code; per kind of line ` +
        `${formatNumber(options.warmup * CALLS_PER_KIND)} lines of warm-up each, then ${rounds} rounds of ${formatNumber(LINES_PER_ROUND)} lines in turn ` +
        '(the order rotating), a scavenge before each. A process\'s ratio is plain pino\'s median round over the logger\'s (its lines/s over plain ' +
        'pino\'s), the figure the median over processes (of an even count the lower middle), its row that process\'s figures. The target is at most 2× plain pino\'s time a line, that is ≥ 0.5× its lines/s.',
    ],
    rows,
    notes: [],
  };
}
