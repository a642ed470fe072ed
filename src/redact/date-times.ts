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
import type { SpanPattern } from './pattern-spans.js';

/** The longest date-time: `2026-12-01T07:45:18.123456789+01:00`. */
export const DATE_TIME_MAX_LENGTH = 35;
/**
 * Most digits of one combination inside a date-time: seconds, nine fraction digits and a
 * negative offset without a colon (`18.123456789-0500` — `.` and `-` are separators, `:` is not).
 */
export const DATE_TIME_MAX_DIGITS = 15;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
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

/** Tag of a date-time span. */
export const DATE_TIME_TAG = 0;

/**
 * Complete date-times as a pattern whose spans keep a number (see `pattern-spans.ts`): one that
 * is a real date.
 *
 * @example
 * ```ts
 * const spans = new PatternSpans(utf16, 3, [DATE_TIME_PATTERN]);
 * spans.release('at 2026-12-01T07:45:18Z ok', 0, 26, true);
 * spans.contains(3, 13); // DATE_TIME_TAG: '2026-12-01' lies inside the date-time
 * ```
 */
export const DATE_TIME_PATTERN: SpanPattern = {
  source: DATE_TIME_SOURCE,
  maxLength: DATE_TIME_MAX_LENGTH,
  accept: (match) => (hasRealDate(match) ? DATE_TIME_TAG : -1),
};
