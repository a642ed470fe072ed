/**
 * Complete date-times, for the `keepTimestamps` choice of log scrubbing: where they are in a
 * stream of text, found with bounded look-ahead so that every chunking finds the same ones.
 *
 * Recognised, ASCII digits only, each field in its range and the day real for its month:
 *
 * - ISO 8601 / RFC 3339 extended format with a time to the second: `2026-12-01T07:45:18Z`,
 *   `2026-12-01 07:45:18,123`, `2026-12-01T07:45:18.123456789+01:00`; also year-first with
 *   slashes (`2026/12/01 07:45:18`, nginx's error log and Go's `log`);
 * - syslog (RFC 3164): `Dec  1 07:45:18`;
 * - common log format: `01/Dec/2026:07:45:18 +0000`.
 *
 * A bare date (`1990-01-01`), a time without a date and a date-time to the minute are no
 * complete date-time. The exemption is exact: a date-time counts only when it stands alone — no
 * digit joined to either end of it by up to `maxGap` separators (`12 2026-12-01T07:45:18Z`,
 * `2026-12-01 07:45:18 1234567`); then every combination is judged as usual, and what is deleted
 * never leaves half a date-time kept. The scanner keeps a combination only when it lies wholly
 * inside a date-time that counts.
 *
 * @module
 */
import { classOf, widthOf, type Codec } from './codec.js';
import { SEPARATOR } from './unicode.js';

/** The longest date-time: `2026-12-01T07:45:18.123456789+01:00`. */
export const DATE_TIME_MAX_LENGTH = 35;
/**
 * Most digits of one combination inside a date-time: seconds, nine fraction digits and a
 * negative offset without a colon (`18.123456789-0500` — `.` and `-` are separators, `:` is not).
 */
export const DATE_TIME_MAX_DIGITS = 15;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
/** Forgotten span entries that trigger compacting the list. */
const COMPACT_AFTER = 1024;
const FEBRUARY = 2;
const LEAP_DAY = 29;

const MONTH = '(0[1-9]|1[0-2])';
const DAY = '(0[1-9]|[12]\\d|3[01])';
const MONTH_NAME = `(${MONTHS.join('|')})`;
const HOUR = '(?:[01]\\d|2[0-3])';
const MINUTE = '[0-5]\\d';
/** 60: a leap second. */
const SECOND = '(?:[0-5]\\d|60)';
const TIME = `${HOUR}:${MINUTE}:${SECOND}`;
const OFFSET = `(?:[Zz]|[+-]${HOUR}(?::?${MINUTE})?| [+-]${HOUR}${MINUTE})`;
/** Groups 1–4: year, the date's separator (the same twice), month, day. */
const ISO = `(\\d{4})([-/])${MONTH}\\2${DAY}[Tt ]${TIME}(?:[.,]\\d{1,9})?${OFFSET}?`;
/** Groups 5–6: month name, day (space-padded, or two digits). */
const SYSLOG = `${MONTH_NAME} ( [1-9]|0[1-9]|[12]\\d|3[01]) ${TIME}`;
/** Groups 7–9: day, month name, year. */
const COMMON_LOG = `${DAY}/${MONTH_NAME}/(\\d{4}):${TIME}(?: [+-]${HOUR}${MINUTE})?`;
/** No look-around: a match depends on nothing past its own (at most `DATE_TIME_MAX_LENGTH`) units. */
const DATE_TIME_SOURCE = `${ISO}|${SYSLOG}|${COMMON_LOG}`;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `true` when the day exists in the month; without a year (syslog) 29 February may be one. */
function isRealDay(year: number | undefined, month: number, day: number): boolean {
  if (month === FEBRUARY && day === LEAP_DAY) return year === undefined || isLeapYear(year);
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name as (typeof MONTHS)[number]) + 1;
}

function hasRealDate(match: RegExpExecArray): boolean {
  if (match[1] !== undefined) return isRealDay(Number(match[1]), Number(match[3]), Number(match[4]));
  if (match[5] !== undefined) return isRealDay(undefined, monthOf(match[5]), Number(match[6]));
  return isRealDay(Number(match[9]), monthOf(match[8] ?? ''), Number(match[7]));
}

/**
 * The date-times of a stream, as spans of absolute unit offsets in the codec's units. It looks
 * ahead at most {@link lookAhead} units: {@link release} says how far the scanner may read,
 * knowing every date-time that begins before that point.
 *
 * @example
 * ```ts
 * const spans = new DateTimeSpans(utf16, 3);
 * spans.release('at 2026-12-01T07:45:18Z ok', 0, 26, true); // 26
 * spans.contains(3, 13); // true: '2026-12-01' lies inside the date-time
 * ```
 */
export class DateTimeSpans {
  /** Units past `limit`'s settled point that a decision may read: the longest date-time, and the gap and digit after it. */
  readonly lookAhead: number;
  readonly #pattern = new RegExp(DATE_TIME_SOURCE, 'g');
  readonly #codec: Codec;
  readonly #maxGap: number;
  /** Enough units to walk back over `maxGap` separators and a digit, whatever their widths. */
  readonly #contextLength: number;
  /** The last released units before the text of the next call, for the look back at a date-time's start. */
  #before = '';
  /** Absolute offset from which date-times are still to be found. */
  #cursor = 0;
  /** Found spans in order, as flat pairs `start, end`; those before `#head` are forgotten. */
  #spans: number[] = [];
  #head = 0;
  /** The final text, while date-times in it are still to be found on demand. */
  #rest: { text: string; base: number; limit: number } | null = null;

  constructor(codec: Codec, maxGap: number) {
    this.#codec = codec;
    this.#maxGap = maxGap;
    this.#contextLength = (maxGap + 2) * codec.maxUnitsPerCodePoint;
    this.lookAhead = DATE_TIME_MAX_LENGTH + this.#contextLength;
  }

  /**
   * Find the date-times of `text` (whose first unit is at absolute offset `base`) before
   * `limit`; returns the index of `text` up to which every date-time that begins there is known.
   * Unless `final`, a date-time that may still run past `limit` is left for the next call.
   */
  release(text: string, base: number, limit: number, final: boolean): number {
    if (final) {
      // The whole rest is here: date-times are looked for only where a combination asks
      // (measured: searching every one-shot text up front halved redact()'s throughput).
      this.#rest = { text, base, limit };
      return limit;
    }
    // A date-time that begins before `settled` ends, with what may be joined to it, before `limit`.
    const settled = limit - this.lookAhead + 1;
    const pattern = this.#pattern;
    const from = Math.max(0, this.#cursor - base);
    pattern.lastIndex = from;
    let release = Math.max(from, settled);
    for (let match = pattern.exec(text); match !== null && match.index < settled; match = pattern.exec(text)) {
      const end = this.#accept(match, text, base, limit);
      if (end !== -1) release = Math.max(release, end);
    }
    release = this.#codec.codePointStart(text, Math.min(limit, release));
    this.#before = (this.#before + text.slice(0, release)).slice(-this.#contextLength);
    this.#cursor = base + release;
    return release;
  }

  /** Keep the match as a span when it is a real date that stands alone; returns its end, or -1. */
  #accept(match: RegExpExecArray, text: string, base: number, limit: number): number {
    const start = match.index;
    const end = start + match[0].length;
    if (hasRealDate(match) && !this.#isJoinedBefore(text, start) && !this.#isJoinedAfter(text, end, limit)) {
      this.#spans.push(base + start, base + end);
      return end;
    }
    this.#pattern.lastIndex = start + 1;
    return -1;
  }

  /** Find the date-times of the final text that begin at or before absolute `offset`. */
  #findUpTo(offset: number): void {
    const rest = this.#rest;
    if (rest === null) return;
    const { text, base, limit } = rest;
    const pattern = this.#pattern;
    pattern.lastIndex = Math.max(0, this.#cursor - base);
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (base + match.index > offset) {
        this.#cursor = base + match.index;
        return;
      }
      this.#accept(match, text, base, limit);
      this.#cursor = base + pattern.lastIndex;
    }
    this.#rest = null;
  }

  /** `true` when a digit lies up to `maxGap` separators before `text[start]`, itself a digit. */
  #isJoinedBefore(text: string, start: number): boolean {
    const codec = this.#codec;
    if (classOf(codec.classAt(text, start)) >= SEPARATOR) return false;
    // Only a date-time near the start of the text needs the units released before it.
    const context = start >= this.#contextLength ? text : this.#before + text.slice(0, start);
    let k = context === text ? start : context.length;
    for (let gap = 0; k > 0; gap++) {
      const packed = codec.classBefore(context, k);
      const cls = classOf(packed);
      if (cls < SEPARATOR) return true;
      if (cls !== SEPARATOR || gap === this.#maxGap) return false;
      k -= widthOf(packed);
    }
    return false;
  }

  /** `true` when a digit lies up to `maxGap` separators after `text[end - 1]`, itself a digit. */
  #isJoinedAfter(text: string, end: number, limit: number): boolean {
    const codec = this.#codec;
    if (classOf(codec.classBefore(text, end)) >= SEPARATOR) return false;
    let k = end;
    for (let gap = 0; k < limit; gap++) {
      const packed = codec.classAt(text, k);
      const cls = classOf(packed);
      if (cls < SEPARATOR) return true;
      if (cls !== SEPARATOR || gap === this.#maxGap) return false;
      k += widthOf(packed);
    }
    return false;
  }

  /** `true` when `[start, end)` lies inside one date-time. Asked in order of `start`. */
  contains(start: number, end: number): boolean {
    this.#findUpTo(start);
    this.forget(start);
    const spans = this.#spans;
    const at = this.#head;
    return at < spans.length && (spans[at] ?? 0) <= start && end <= (spans[at + 1] ?? 0);
  }

  /** Drop the spans that end at or before `offset`: nothing before it will be asked about. */
  forget(offset: number): void {
    const spans = this.#spans;
    let head = this.#head;
    while (head < spans.length && (spans[head + 1] ?? 0) <= offset) head += 2;
    if (head === spans.length) {
      spans.length = 0;
      head = 0;
    } else if (head >= COMPACT_AFTER) {
      spans.splice(0, head);
      head = 0;
    }
    this.#head = head;
  }

  /** Start again at offset 0, for new input. */
  reset(): void {
    this.#rest = null;
    this.#before = '';
    this.#cursor = 0;
    this.#spans = [];
    this.#head = 0;
  }
}
