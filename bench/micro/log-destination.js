/**
 * Where the service's log lines go: stdout, which pino writes by default through an
 * asynchronous SonicBoom (each write handed to libuv's thread pool), against a synchronous
 * write per line, and against lines gathered up to 4 KiB (or 100 ms, whichever first) per write,
 * asynchronous or synchronous (commit 5fe8db9; not kept: see `observability/logger.ts`).
 * One line per turn of the event loop, as a request log line comes; stdout is /dev/null here
 * or a pipe (run it as below). CPU time counts every thread of the process, the thread pool's
 * included; the first variant, a turn without a line, is what the others pay besides the line.
 *
 * `node --expose-gc bench/micro/log-destination.js > /dev/null` and `… | cat > /dev/null`
 *
 * @module
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import pino from 'pino';
import { raceInProcess } from '../lib/micro.js';

const STDOUT = 1;
const line = { method: 'POST', path: '/v1/redact', status: 200, durationMs: 0.42, ip: '203.0.113.0' };
const loggers = {
  'asynchronous, a write per line or per batch in flight (pino default)': pino({}, pino.destination({ dest: STDOUT, sync: false })),
  'synchronous, a write per line': pino({}, pino.destination({ dest: STDOUT, sync: true })),
  'asynchronous, 4 KiB or 100 ms per write': pino({}, pino.destination({ dest: STDOUT, sync: false, minLength: 4096, periodicFlush: 100 })),
  'synchronous, 4 KiB or 100 ms per write': pino({}, pino.destination({ dest: STDOUT, sync: true, minLength: 4096, periodicFlush: 100 })),
};
const variants = {
  'no log line (the turn alone)': async () => {
    await nextTurn();
    return 1;
  },
  ...Object.fromEntries(
  Object.entries(loggers).map(([name, logger]) => [
    name,
    async () => {
      logger.info(line, 'request');
      await nextTurn();
      return 1;
    },
  ]),
  ),
};
await raceInProcess('log destination: a request log line a turn, to stdout', variants, { iterations: 20_000 });
for (const logger of Object.values(loggers)) logger.flush();
