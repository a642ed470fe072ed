/**
 * Scrubbing a finished pino line: parsed back, every string scrubbed by the rules of
 * `log-fields.ts`, written again. Only pino's own `time`, `pid` and `hostname` are exempt. It
 * sees the line exactly as it will be written, whatever pino assembled it from — serializers,
 * mixins, formatters and child bindings of a logger configured by someone else — so the
 * library's pino integration (`src/integrations/pino.ts`) uses it. The service's own logger,
 * whose configuration is ours, scrubs each call instead (`log-calls.ts`), which costs a
 * fraction of a parse and a stringify per line.
 *
 * @module
 */
import { hostname as osHostname } from 'node:os';
import { scrubField, type Scrub } from './log-fields.js';

/** The values pino writes as `pid` and `hostname` by default; these alone are left as written. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
}

/** Written instead of a line that could not be scrubbed: fail closed. */
export const WITHHELD_MESSAGE = 'log line withheld: it could not be scrubbed';
const LINE_FEED = '\n';

/** This process's pid and host name, as pino's default `base` writes them. */
export function readProcessIdentity(): ProcessIdentity {
  return { pid: process.pid, hostname: osHostname() };
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
