/**
 * The service's logger: pino JSON lines, with a second line of defence. Every string a log line
 * carries — the message (after printf interpolation), every field and key at any depth, error
 * messages, stacks and causes, child bindings — passes through the redactor before the line is
 * written; only pino's own `time`, `pid` and `hostname` are exempt. Secrets are censored by
 * field name at any depth, client addresses anonymised, query strings cut from URLs.
 *
 * The first line of defence is the code itself: it never logs message text, vendor bodies,
 * query strings or tokens.
 *
 * Each call is scrubbed in pino's `logMethod` hook and each child's bindings when the child is
 * made (`log-calls.ts`): done once, not by parsing every finished line back. The rules of what
 * a line may carry are one module (`log-fields.ts`), shared with the library's pino integration,
 * which scrubs finished lines (`log-lines.ts`) because it cannot know how its user's logger is
 * configured.
 *
 * @module
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { createCallScrubber, scrubChildBindings } from './log-calls.js';
import type { Scrub } from './log-fields.js';
import { readProcessIdentity } from './log-lines.js';

export type { Logger } from 'pino';
export { CENSOR, IP_FIELD, SECRET_FIELD, URL_FIELD, scrubValue, type Scrub } from './log-fields.js';
export { createLineScrubber, readProcessIdentity, type ProcessIdentity } from './log-lines.js';

const keepSerialised = (value: unknown): unknown => value;


export interface LoggerSettings {
  /** pino level name: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** The redactor applied to every string (the configured policy's one-shot redaction). */
  scrub: Scrub;
  /** Where lines go; stdout when absent. Tests pass a stream of their own. */
  destination?: DestinationStream;
}

/**
 * Build the logger.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: 'info', scrub: (s) => redact(s).text });
 * logger.warn({ err }, 'vendor failed'); // err.message, stack and causes scrubbed before writing
 * logger.info({ ip: req.socket.remoteAddress }, 'chat opened'); // ip written as 203.0.113.0
 * ```
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: readProcessIdentity(),
    hooks: { logMethod: createCallScrubber(settings.scrub) },
    // Errors arrive serialised and scrubbed by the hook; pino's serializer would take them for errors again.
    serializers: { err: keepSerialised },
  };
  // stdout written synchronously, a line at a time. pino's default stdout writes through the
  // thread pool, and a line in such a write is lost when the process ends before it is done: on a
  // crash pino's exit flush writes the lines that came after it, not it (sonic-boom's flushSync
  // skips the buffer in flight). `test/observability/logger.test.ts` ("a crash") lost lines 1–201
  // of 500 that way on Node 26 with the test's stdout a busy pipe. A synchronous write leaves
  // nothing in flight. Cost (bench/micro/http-builds.js, POST /v1/redact, 6 rounds of 4 s, quiet
  // machine, asynchronous → synchronous): Node 20 50 → 51 µs server CPU/request (a tie), Node 26
  // 37 → 43 µs (rounds 30–48 on both sides). Kept: a log that loses lines on a crash loses the
  // ones that tell what led to it.
  //
  // Measured before (with the asynchronous default): a synchronous write 3.8 µs against 8.5 µs a
  // line in-process (bench/micro/log-destination.js), but under load the asynchronous one gathers
  // the lines that come while a write is in flight, and the HTTP route measured 1.3× the bare
  // route's CPU with it against 1.4× with synchronous writes.
  // Lines gathered and written synchronously 4 KiB or 100 ms at a time (commit 5fe8db9), measured
  // again with POST /v1/redact served before express: in-process they win on both Nodes (a line
  // less the turn alone 5.4 → 1.9 µs CPU on Node 26, 6.2 → 1.8 on Node 20), but under autocannon
  // (bench/micro/http-builds.js, fresh processes interleaved, load average 8-14) the route took
  // 57 and 46 µs of server CPU per request with them against 37 and 38 with the asynchronous
  // default on Node 26 (runs of 6×4 s and 10×3 s), 48 against 54 on Node 20: not kept (and a
  // gathered line is lost on a crash too). Gathered and written asynchronously: Node 26 35 against
  // 38 (8×3 s) and 44 against 48 at a fixed 4,000 requests/s, but Node 20 38 against 39, 44
  // against 42 and 75 against 66 at the fixed rate: not kept either.
  const logger = pino(options, settings.destination ?? pino.destination({ dest: 1, sync: true }));
  scrubChildBindings(logger, settings.scrub);
  return logger;
}
