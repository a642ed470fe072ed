/**
 * The service's logger: pino JSON lines, with a second line of defence. Every string a log line
 * carries — the message (after printf interpolation), every field and key at any depth, error
 * messages, stacks and causes, child bindings — passes through the redactor just before the line
 * is written; only pino's own `time`, `pid` and `hostname` are exempt. Secrets are censored by
 * field name at any depth, client addresses anonymised, query strings cut from URLs.
 *
 * The first line of defence is the code itself: it never logs message text, vendor bodies,
 * query strings or tokens.
 *
 * Why the finished line and not pino's `formatters.log`: the formatter sees neither the message
 * (so `logger.info('%s%s', '1234', '5678')`, `%d` arguments and `logger.error(err)`, whose
 * message pino takes from the raw error, all slipped through) nor child bindings, and pino's
 * serializers run after it. The `streamWrite` hook sees the line exactly as it will be written,
 * whatever pino assembled it from. Parsing it back costs a few microseconds a line; the service
 * logs a line per connection or failure, not per character.
 *
 * The same line scrubber serves the library's pino integration (`src/integrations/pino.ts`).
 *
 * @module
 */
import { hostname as osHostname } from 'node:os';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { anonymizeIp } from './anonymize-ip.js';

export type { Logger } from 'pino';

/** Turns any string into its redacted form. */
export type Scrub = (text: string) => string;

/** The values pino writes as `pid` and `hostname` by default; these alone are left as written. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
}

/** Field names whose values are secrets, matched at any depth regardless of case. */
export const SECRET_FIELD =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|sec-websocket-protocol)$|(?:token|password|secret|api[-_]?key)$/i;
/** Field names that hold client addresses: logged anonymised, never raw (a list for `x-forwarded-for`). */
export const IP_FIELD = /^(?:ip|clientIp|client_ip|remoteAddress|remote_addr|x-forwarded-for|x-real-ip)$/i;
/** Field names that hold URLs: logged without query string or fragment. */
export const URL_FIELD = /^(?:url|originalUrl|href)$/i;

/** What stands for a secret. */
export const CENSOR = '[secret]';
/** Deeper structures are cut off rather than walked: a log line is not a data dump. */
const MAX_DEPTH = 8;
const TOO_DEEP = '[too deep]';
/** Written instead of a line that could not be scrubbed: fail closed. */
const WITHHELD_MESSAGE = 'log line withheld: it could not be scrubbed';
const LINE_FEED = '\n';

function scrubField(key: string, value: unknown, scrub: Scrub, depth: number): unknown {
  if (SECRET_FIELD.test(key)) return CENSOR;
  if (IP_FIELD.test(key)) {
    return typeof value === 'string' ? value.split(',').map((ip) => anonymizeIp(ip.trim())).join(', ') : 'unknown';
  }
  if (URL_FIELD.test(key) && typeof value === 'string') return scrub(value.replace(/[?#].*$/s, ''));
  return scrubValue(value, scrub, depth);
}

/**
 * A deep copy of `value` with every string and every key scrubbed, secrets censored, client
 * addresses anonymised and URLs cut at their query; errors become pino's serialised form.
 * Numbers, booleans and `null` pass unchanged: they are the service's own counts, sizes and
 * durations — never log a number from outside as a number.
 *
 * @example
 * ```ts
 * scrubValue({ note: 'ring 98 76 54 32', token: 'abc' }, (s) => redact(s).text);
 * // { note: 'ring ', token: '[secret]' }
 * ```
 */
export function scrubValue(value: unknown, scrub: Scrub, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (value instanceof Error) return scrubValue({ ...pino.stdSerializers.err(value) }, scrub, depth);
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return scrubValue(json.call(value), scrub, depth + 1);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrub(key)] = scrubField(key, item, scrub, depth + 1);
  return out;
}

/** The logger's own fields, written as pino made them. */
function isOwnField(key: string, value: unknown, own: ProcessIdentity): boolean {
  return (
    (key === 'time' && typeof value === 'number') ||
    (key === 'pid' && value === own.pid) ||
    (key === 'hostname' && value === own.hostname)
  );
}

/**
 * Scrub one finished pino line (a JSON object, with or without its line break); a line that
 * cannot be parsed or scrubbed is replaced by a notice that keeps only level and time.
 */
function scrubLine(line: string, scrub: Scrub, own: ProcessIdentity): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new TypeError('not a record');
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (isOwnField(key, value, own)) out[key] = value;
      else out[scrub(key)] = scrubField(key, value, scrub, 1);
    }
    return `${JSON.stringify(out)}${LINE_FEED}`;
  } catch {
    const { level, time } = (typeof record === 'object' && record !== null ? record : {}) as Record<string, unknown>;
    const notice = {
      level: typeof level === 'number' ? level : undefined,
      time: typeof time === 'number' ? time : undefined,
      pid: own.pid,
      hostname: own.hostname,
      msg: WITHHELD_MESSAGE,
    };
    return `${JSON.stringify(notice)}${LINE_FEED}`;
  }
}

/** This process's pid and host name, as pino's default `base` writes them. */
export function readProcessIdentity(): ProcessIdentity {
  return { pid: process.pid, hostname: osHostname() };
}

/**
 * A function that scrubs finished pino output: one line, as pino's `streamWrite` hook hands it
 * over, or several at once, as a destination may receive them. Each line comes back as one JSON
 * object and a line break.
 *
 * @example
 * ```ts
 * const scrubLines = createLineScrubber((s) => redact(s).text);
 * pino({ hooks: { streamWrite: scrubLines } }).info('ring 98 76 54 32'); // "msg":"ring "
 * ```
 */
export function createLineScrubber(scrub: Scrub, own: ProcessIdentity = readProcessIdentity()): Scrub {
  return (text) => {
    // JSON escapes line breaks inside strings: a raw line feed only ever ends a line.
    const firstBreak = text.indexOf(LINE_FEED);
    if (firstBreak === -1 || firstBreak === text.length - 1) return scrubLine(text, scrub, own);
    let out = '';
    for (const line of text.split(LINE_FEED)) if (line.trim() !== '') out += scrubLine(line, scrub, own);
    return out;
  };
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
  const own = readProcessIdentity();
  const options: LoggerOptions = {
    level: settings.level,
    base: own,
    hooks: { streamWrite: createLineScrubber(settings.scrub, own) },
  };
  return settings.destination === undefined ? pino(options) : pino(options, settings.destination);
}
