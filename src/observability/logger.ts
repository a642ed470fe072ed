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
import { stdoutLineWriter } from './log-writer.js';

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
  // stdout: the lines of a turn gathered and written in one synchronous write when the turn ends,
  // and on exit, a crash or a fatal line (`log-writer.ts`), so that no line is in flight when the
  // process ends. History: pino's asynchronous default lost lines 1–201 of 500 on Node 26 in
  // `test/observability/logger.test.ts` ("a crash": sonic-boom's exit flush skips the write in
  // flight); a synchronous write per line (commit c623108) lost none but cost Node 26 37 → 43 µs
  // server CPU per POST /v1/redact (bench/micro/http-builds.js). Gathered by sonic-boom 4 KiB or
  // 100 ms at a time (commit 5fe8db9) was measured slower under autocannon on a loaded machine,
  // and loses the gathered lines on a crash.
  // Measured (sync a line → a turn's lines a write; fresh processes interleaved, load average
  // 8–13, 14 rounds of 3 s; "within a round" is the median of each round's ratio):
  // bench/micro/http-builds.js, server CPU per POST /v1/redact, saturated: Node 20 131 → 88 µs
  // (0.79× within a round, 12 of 14 rounds lower), Node 26 77 → 69 µs (0.89×, 9 of 14); at a
  // fixed 1,500 requests/s, about a line a turn: Node 20 178 → 161 (0.85×), Node 26 96 → 92
  // (1.02×, a tie). bench/micro/log-destination.js, CPU per turn to /dev/null: a line a turn
  // Node 20 5.5 → 5.5 µs, Node 26 4.8 → 5.1 (one write a turn either way); 4 lines a turn
  // Node 20 12.3 → 8.6, Node 26 15.4 → 10.5. A saturated gateway wrote ~20 lines a write.
  const logger = pino(options, settings.destination ?? stdoutLineWriter());
  scrubChildBindings(logger, settings.scrub);
  return logger;
}
