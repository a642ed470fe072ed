/**
 * The service's log lines (`bench/log.js`'s four kinds) through this build's logger against
 * another build's (the one before a change), both in this process, rounds interleaved A B A B
 * with a full GC before each; plain pino beside them for the ratio `bench/log.js` reports. Each
 * logger scrubs with its own build's redactor, writes to a sink that drops the lines, and has
 * its child per part and per chat, as the gateway has.
 *
 * ```sh
 * mkdir -p node_modules/.cache/before && cp -r dist package.json node_modules/.cache/before/   # before the change
 * npm run build && node --expose-gc bench/micro/log-builds.js node_modules/.cache/before/dist
 * ```
 *
 * @module
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { KINDS } from '../log.js';
import { raceInProcess } from '../lib/micro.js';

const otherDist = process.argv[2];
if (otherDist === undefined) throw new Error('usage: node --expose-gc bench/micro/log-builds.js OTHER_DIST_DIR');
const LINES = 2_000;

/** A sink that counts characters, so no line can be skipped. */
const sink = { characters: 0, write: (/** @type {string} */ line) => void (sink.characters += line.length) };

/** @param {string} dist */
async function loggerOf(dist) {
  const base = pathToFileURL(path.resolve(dist)).href;
  const { createLogger } = await import(`${base}/observability/logger.js`);
  const { redact } = await import(`${base}/index.js`);
  return createLogger({ level: 'info', scrub: (/** @type {string} */ text) => redact(text).text, destination: sink });
}

const loggers = {
  'plain pino': pino({ level: 'info', base: { pid: process.pid, hostname: hostname() } }, sink),
  'other build': await loggerOf(otherDist),
  'this build': await loggerOf(new URL('../../dist', import.meta.url).pathname),
};
for (const [kind, logLine] of Object.entries(KINDS)) {
  /** @type {Record<string, () => number>} */
  const variants = {};
  for (const [name, logger] of Object.entries(loggers)) {
    const chat = logger.child({ part: 'chat' }).child({ conversationId: 'qhzkwmpbtreaxjvnlsud' });
    let k = 0;
    variants[name] = () => {
      for (let n = 0; n < LINES; n++) logLine(logger, chat, k++);
      return sink.characters;
    };
  }
  const results = await raceInProcess(`log line: ${kind}, ${LINES} lines an operation`, variants, { iterations: 20 });
  const plain = results[0]?.cpuUs ?? NaN;
  process.stderr.write(results.slice(1).map((r) => `  ${r.variant}: ${(plain / r.cpuUs).toFixed(2)}× plain pino's lines per CPU second\n`).join(''));
}
