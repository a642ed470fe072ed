/**
 * Where the service's log lines go: stdout, which pino writes by default through an
 * asynchronous SonicBoom (each write handed to libuv's thread pool), against a synchronous
 * write per line, and against lines gathered up to 4 KiB (or 100 ms, whichever first) per write,
 * asynchronous or synchronous (commit 5fe8db9; not kept: see `observability/logger.ts`), and
 * against the service's writer, which gathers a turn's lines into one synchronous write at the
 * end of the turn (`observability/log-writer.ts`, from `dist/`: `npm run build` first).
 * `LINES_PER_TURN` lines per turn of the event loop (default 1, as a request log line comes at
 * low load; a loaded server answers several requests a turn); stdout is /dev/null here
 * or a pipe (run it as below). CPU time counts every thread of the process, the thread pool's
 * included; the first variant, a turn without a line, is what the others pay besides the line.
 *
 * `node --expose-gc bench/micro/log-destination.js > /dev/null` and `… | cat > /dev/null`
 *
 * @module
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import pino from 'pino';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { LineWriter } = await loadDistModule('observability/log-writer.js');
const LINES_PER_TURN = Number(process.env.LINES_PER_TURN ?? 1);

const STDOUT = 1;
const line = { method: 'POST', path: '/v1/redact', status: 200, durationMs: 0.42, ip: '203.0.113.0' };
const loggers = {
  'asynchronous, a write per line or per batch in flight (pino default)': pino({}, pino.destination({ dest: STDOUT, sync: false })),
  'synchronous, a write per line': pino({}, pino.destination({ dest: STDOUT, sync: true })),
  'asynchronous, 4 KiB or 100 ms per write': pino({}, pino.destination({ dest: STDOUT, sync: false, minLength: 4096, periodicFlush: 100 })),
  'synchronous, 4 KiB or 100 ms per write': pino({}, pino.destination({ dest: STDOUT, sync: true, minLength: 4096, periodicFlush: 100 })),
  "a turn's lines in one synchronous write (the service's LineWriter)": pino({}, new LineWriter({ fd: STDOUT })),
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
      for (let n = 0; n < LINES_PER_TURN; n++) logger.info(line, 'request');
      await nextTurn();
      return 1;
    },
  ]),
  ),
};
await raceInProcess(`log destination: ${LINES_PER_TURN} request log line(s) a turn, to stdout`, variants, { iterations: 20_000 });
for (const logger of Object.values(loggers)) logger.flush();
