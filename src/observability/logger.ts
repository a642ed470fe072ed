/**
 * The service's logger: pino JSON lines, with a second line of defence. Every string a log line
 * carries — the message, every field, error messages and stacks, child bindings — passes
 * through the redactor before it is written; only pino's own `time`, `pid` and `hostname` are
 * exempt. Secrets at known paths are censored outright.
 *
 * The first line of defence is the code itself: it never logs message text, vendor bodies,
 * query strings or tokens.
 *
 * @module
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Turns any string into its redacted form. */
export type Scrub = (text: string) => string;

/** Fields whose values are secrets: replaced whole, wherever they appear. */
const SECRET_PATHS = [
  'token',
  'authorization',
  'cookie',
  '*.token',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["sec-websocket-protocol"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
];
const CENSOR = '[secret]';
/** Deeper structures are cut off rather than walked: a log line is not a data dump. */
const MAX_DEPTH = 8;

/** A deep copy of `value` with every string scrubbed; errors become plain serialised objects. */
export function scrubValue(value: unknown, scrub: Scrub, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) return scrubValue(pino.stdSerializers.err(value), scrub, depth + 1);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValue(item, scrub, depth + 1);
  return out;
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
 * logger.warn({ err }, 'vendor failed'); // err.message scrubbed before it is written
 * ```
 */
export function createLogger(settings: LoggerSettings): Logger {
  const { scrub } = settings;
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: SECRET_PATHS, censor: CENSOR },
    formatters: {
      log: (object) => scrubValue(object, scrub) as Record<string, unknown>,
      bindings: (bindings) => {
        const { pid, hostname, ...rest } = bindings;
        return { pid, hostname, ...(scrubValue(rest, scrub) as Record<string, unknown>) };
      },
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return settings.destination === undefined ? pino(options) : pino(options, settings.destination);
}
