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

/** stdout's file descriptor, as pino's default destination takes it. */
const STDOUT_FD = 1;
/** A write gathers lines up to this many bytes (about 20 request lines)… */
const GATHER_BYTES = 4096;
/** …or what came in this many milliseconds, whichever is first: a quiet service's line waits no longer. */
const GATHER_MS = 100;

/** The one stdout destination of this process, made when a logger first needs it. */
let stdoutDestination: DestinationStream | undefined;

/**
 * Where the service's lines go when no destination is given: stdout, written synchronously a
 * {@link GATHER_BYTES} or {@link GATHER_MS} at a time, and whatever is left when the process
 * exits. One per process, whatever the number of loggers, so lines leave in the order they were
 * logged.
 *
 * pino's default is an asynchronous write per line, or per batch of lines that came while one
 * was in flight: each hands the write to libuv's thread pool and back, 17 to 22 µs of CPU
 * whatever its size (to /dev/null, Node 20 and 26), and under load that was nearly a write per
 * request. Gathered, a request line costs 2.8 and 1.8 µs beside 5.9 and 7.2 µs on Node 20,
 * 3.0 and 1.9 beside 8.0 and 7.9 on Node 26, gathered asynchronously 3.8/3.1 and 3.3/3.5
 * (bench/micro/log-destination.js, two runs each, less the event-loop turn alone). A
 * synchronous write can wait when stdout is a pipe its reader has let fill (64 KiB on Linux), as
 * pino's own synchronous destinations do; the asynchronous one would hold every line in memory
 * meanwhile instead.
 *
 * @example
 * ```ts
 * const plain = pino({}, openLogDestination()); // the HTTP benchmark's floor logs as the service does
 * ```
 */
export function openLogDestination(): DestinationStream {
  if (stdoutDestination === undefined) {
    const destination = pino.destination({ dest: process.stdout.fd ?? STDOUT_FD, sync: true, minLength: GATHER_BYTES, periodicFlush: GATHER_MS });
    // pino flushes only its asynchronous destinations on exit; the gathered lines are written here.
    process.once('exit', () => {
      try {
        destination.flushSync();
      } catch {
        // Exiting: stdout is gone or full, and there is no one left to tell.
      }
    });
    stdoutDestination = destination;
  }
  return stdoutDestination;
}

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
  const logger = pino(options, settings.destination ?? openLogDestination());
  scrubChildBindings(logger, settings.scrub);
  return logger;
}
