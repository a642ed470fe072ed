/**
 * What a log line may carry of the values it is given: every string and every key passes the
 * redactor; a number that is written as a sensitive combination (`1234567`, `10516.04`) is
 * written `null`, as `redact --json` writes one; fields named like secrets are censored, client
 * addresses anonymised, URLs cut at their query string; errors become pino's serialised form. The one set of rules for both ways
 * a line is scrubbed: when it is logged (`log-calls.ts`, the service's logger) and when it is
 * written (`log-lines.ts`, for pino loggers configured elsewhere).
 *
 * @module
 */
import { anonymizeIp } from './anonymize-ip.js';
import { loadPino } from './pino-module.js';

/** Turns any string into its redacted form. */
export type Scrub = (text: string) => string;

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

/** How a field is written, by its name. */
const enum FieldRule {
  Plain,
  Secret,
  Address,
  Link,
}

/** What a field name stands for, and the name as it is written. */
interface FieldName {
  readonly written: string;
  readonly rule: FieldRule;
}

/**
 * Field names seen, per scrubber: a log line's names come from the code, a few dozen of them, and
 * each costs three pattern tests and a redaction otherwise (the request log line's fields: 0.80 µs
 * against 1.50 µs, bench/micro/log-fields.js). Bounded, as names may come from outside.
 */
const fieldNames = new WeakMap<Scrub, Map<string, FieldName>>();
const MAX_FIELD_NAMES = 1024;

/** The last scrubber's names: a process has one scrubber, and a WeakMap look-up per field showed. */
let lastScrub: Scrub | undefined;
let lastNames = new Map<string, FieldName>();

/**
 * Numbers seen, per scrubber, and whether a line may carry each: a line's numbers are the
 * service's own statuses, counts and durations, a few hundred distinct values, and each costs a
 * redaction (about 120 ns) otherwise. Bounded like the names.
 */
const numberVerdicts = new WeakMap<Scrub, Map<number, boolean>>();
const MAX_NUMBERS = 1024;
let lastNumbers = new Map<number, boolean>();
/** A whole number of one digit is no combination whatever the policy (`minDigits` is at least 2). */
const MAX_ONE_DIGIT = 9;

/**
 * Strings scrubbed, per scrubber: most strings a line carries are the code's own — messages,
 * methods, routes, error codes, stack frames — and each costs a redaction otherwise (with the
 * remembered addresses of `anonymize-ip.ts`: a failed request's line with three stack frames
 * 1.99 against 2.56 µs on Node 20, 1.53 against 2.00 on Node 26; bench/micro/log-builds.js,
 * interleaved, machine loaded by other work). Bounded like the names, and only short strings:
 * a long one is scrubbed every time, so no line's text is held on to for long.
 */
const stringsScrubbed = new WeakMap<Scrub, Map<string, string>>();
const MAX_STRINGS = 1024;
const MAX_REMEMBERED_STRING = 256;
let lastStrings = new Map<string, string>();

function useScrubber(scrub: Scrub): void {
  if (scrub === lastScrub) return;
  let names = fieldNames.get(scrub);
  if (names === undefined) fieldNames.set(scrub, (names = new Map()));
  let numbers = numberVerdicts.get(scrub);
  if (numbers === undefined) numberVerdicts.set(scrub, (numbers = new Map()));
  let strings = stringsScrubbed.get(scrub);
  if (strings === undefined) stringsScrubbed.set(scrub, (strings = new Map()));
  lastScrub = scrub;
  lastNames = names;
  lastNumbers = numbers;
  lastStrings = strings;
}

/** `text` scrubbed, remembered when short (see {@link stringsScrubbed}). */
function scrubString(text: string, scrub: Scrub): string {
  if (text.length > MAX_REMEMBERED_STRING) return scrub(text);
  useScrubber(scrub);
  let clean = lastStrings.get(text);
  if (clean === undefined) {
    clean = scrub(text);
    if (lastStrings.size >= MAX_STRINGS) lastStrings.clear();
    lastStrings.set(text, clean);
  }
  return clean;
}

/** `value`, or `null` when it is written as a sensitive combination (as JSON writes it, and as the redactor reads that). */
function scrubNumber(value: number, scrub: Scrub): number | null {
  if (Number.isInteger(value) && value >= -MAX_ONE_DIGIT && value <= MAX_ONE_DIGIT) return value;
  useScrubber(scrub);
  let clean = lastNumbers.get(value);
  if (clean === undefined) {
    const written = JSON.stringify(value);
    clean = scrub(written) === written;
    if (lastNumbers.size >= MAX_NUMBERS) lastNumbers.clear();
    lastNumbers.set(value, clean);
  }
  return clean ? value : null;
}

function readFieldName(key: string, scrub: Scrub): FieldName {
  useScrubber(scrub);
  const known = lastNames;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const rule = SECRET_FIELD.test(key) ? FieldRule.Secret : IP_FIELD.test(key) ? FieldRule.Address : URL_FIELD.test(key) ? FieldRule.Link : FieldRule.Plain;
  const name = { written: scrub(key), rule };
  if (known.size >= MAX_FIELD_NAMES) known.clear();
  known.set(key, name);
  return name;
}

function scrubByRule(rule: FieldRule, value: unknown, scrub: Scrub, depth: number): unknown {
  switch (rule) {
    case FieldRule.Secret:
      return CENSOR;
    case FieldRule.Address:
      if (typeof value !== 'string') return 'unknown';
      // One address is the common case; a list (x-forwarded-for) is split.
      return value.includes(',') ? value.split(',').map((ip) => anonymizeIp(ip.trim())).join(', ') : anonymizeIp(value.trim());
    case FieldRule.Link:
      if (typeof value === 'string') return scrub(value.replace(/[?#].*$/s, ''));
      return scrubValue(value, scrub, depth);
    default:
      return scrubValue(value, scrub, depth);
  }
}

/**
 * The value of field `key` as a line may carry it, `depth` levels down: censored, anonymised,
 * cut at its query string, or scrubbed like any value.
 */
export function scrubField(key: string, value: unknown, scrub: Scrub, depth: number): unknown {
  return scrubByRule(readFieldName(key, scrub).rule, value, scrub, depth);
}

/**
 * A deep copy of `value` with every string and every key scrubbed, secrets censored, client
 * addresses anonymised and URLs cut at their query; errors become pino's serialised form.
 * Booleans, `null` and numbers pass unchanged — they are the service's own counts, sizes and
 * durations, and are logged in units that keep them short (whole milliseconds, KiB) — except a
 * number written as a sensitive combination, which becomes `null`.
 *
 * @example
 * ```ts
 * scrubValue({ note: 'ring 98 76 54 32', token: 'abc', durationMs: 10516.04 }, (s) => redact(s).text);
 * // { note: 'ring ', token: '[secret]', durationMs: null }
 * ```
 */
export function scrubValue(value: unknown, scrub: Scrub, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value, scrub);
  if (typeof value === 'number') return scrubNumber(value, scrub);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (value instanceof Error) return scrubValue({ ...loadPino().stdSerializers.err(value) }, scrub, depth);
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return scrubValue(json.call(value), scrub, depth + 1);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const name = readFieldName(key, scrub);
    out[name.written] = scrubByRule(name.rule, (value as Record<string, unknown>)[key], scrub, depth + 1);
  }
  return out;
}
