/**
 * Kept classes (the policy's `keep`): numbers that identify nobody, kept verbatim when a policy
 * asks — amounts written as money, calendar dates after today everywhere on Earth, and
 * Brønnøysund organisation numbers. Pure rules, read by the keep rules (`keep-rules.ts`):
 *
 * - `amounts`: ASCII digits in groups of three (the first 1–3 digits, at most 15 in all) separated
 *   by one and the same group mark — a space, NBSP, thin space, narrow NBSP or `.`, or `,` when
 *   the decimal mark is `.` — optionally a decimal part (the other mark and two digits), with a
 *   currency mark right before or after it (at most one U+0020 between), or a trailing `,-`;
 * - `future_dates`: `dd.mm.yyyy` (`d.m.yyyy`), `dd/mm/yyyy` or `yyyy-mm-dd` (ASCII digits), a
 *   date that exists and lies after today's date in UTC+14, the first zone to start a day;
 * - `org_numbers`: 9 digits starting 8 or 9 with a right MOD11 check digit (weights 3 2 7 6 5 4 3 2).
 *
 * One mark, one amount (the SPEC is silent; decided for issue 23): a currency mark between two
 * numbers — `800 000 009,- kr 801 001 009`, `1 000 kr 2 000` — is the mark of the number before
 * it, read left to right (`1 250,- kr` is one amount: the decimal part `,-` and a mark after it),
 * and never shared. The number before is an amount however the mark is read; the one after is an
 * amount only if the writer meant the mark for it, and a bank would rather lose a doubtful amount
 * than keep a number that may be someone's: it is deleted unless it has a mark of its own
 * (`1 000 kr 2 000,-`, `kr 1 000 kr 2 000` keep both).
 *
 * Whatever its class, a combination whose digits are a valid national id, bank account or payment
 * card ({@link isAlwaysDeleted}) is never kept: a national id typed as an amount is still one.
 *
 * @module
 */
import type { Codec } from './codec.js';
import { CLASSIFY_DIGITS, isBankAccount, isLuhnValid, isNationalId } from './kinds.js';
import type { SpanPattern } from './pattern-spans.js';

/**
 * The classes of numbers a policy may keep.
 *
 * @example
 * ```ts
 * createPolicy({ keep: [...KEEP_CLASSES] });
 * ```
 */
export const KEEP_CLASSES = ['amounts', 'future_dates', 'org_numbers'] as const;

/**
 * One of {@link KEEP_CLASSES}.
 *
 * @example
 * ```ts
 * const kept: KeepClass = 'amounts';
 * ```
 */
export type KeepClass = (typeof KEEP_CLASSES)[number];

/**
 * Counts of kept combinations by class; classes with none are absent.
 *
 * @example
 * ```ts
 * redact('forfall 15.01.2099', { keep: ['future_dates'] }).keptClasses; // { future_dates: 1 }
 * ```
 */
export type KeptCounts = Partial<Record<KeepClass, number>>;

const AMOUNTS = KEEP_CLASSES.indexOf('amounts');
const FUTURE_DATES = KEEP_CLASSES.indexOf('future_dates');
const ORG_NUMBERS = KEEP_CLASSES.indexOf('org_numbers');

/** Span tags of kept classes follow the date-time tag (0): class `k` is tag `k + 1`. */
export const KEPT_TAG_BASE = 1;

/** Integer digits of the longest amount kept: `999 999 999 999 999` (a longer one is deleted). */
const AMOUNT_INTEGER_GROUPS = 4;
/** Most digits of a kept combination: the longest amount with two decimals. */
export const KEPT_MAX_DIGITS = 3 + 3 * AMOUNT_INTEGER_GROUPS + 2;

const CARD_MIN_LENGTH = 13;
const CARD_MAX_LENGTH = CLASSIFY_DIGITS;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const FEBRUARY = 2;
/** UTC+14 (the Line Islands) is the first zone to reach a date: a date after today there is after today everywhere. */
const EARLIEST_ZONE_AHEAD_MS = 14 * 60 * 60 * 1000;

/** Group marks of an amount that are spaces; `.` and `,` are written apart (each has its decimal mark). */
const SPACE_GROUP_MARKS = [' ', '\u00a0', '\u2009', '\u202f'] as const;
const CURRENCY_MARKS = ['kr.', 'kr', 'NOK', 'EUR', 'USD', 'SEK', 'DKK', 'GBP', '€', '$', '£'] as const;

/**
 * `true` when a combination's digits are a valid national id, bank account or payment card:
 * those are deleted however they are written, whatever the policy keeps.
 *
 * @example
 * ```ts
 * isAlwaysDeleted([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 16); // true: Luhn-valid
 * ```
 */
export function isAlwaysDeleted(digits: ArrayLike<number>, count: number): boolean {
  if (isNationalId(digits, count) || isBankAccount(digits, count)) return true;
  return count >= CARD_MIN_LENGTH && count <= CARD_MAX_LENGTH && isLuhnValid(digits, count);
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * `true` when the date exists and lies after today's date in UTC+14: a date that is today or
 * past anywhere may be a birth date.
 *
 * @example
 * ```ts
 * isFutureDate(2099, 1, 15); // true
 * isFutureDate(2099, 2, 29); // false: no such day
 * ```
 */
export function isFutureDate(year: number, month: number, day: number, now: number = Date.now()): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === FEBRUARY && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > days) return false;
  const today = new Date(now + EARLIEST_ZONE_AHEAD_MS);
  const todayKey = today.getUTCFullYear() * 10_000 + (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
  return year * 10_000 + month * 100 + day > todayKey;
}

/** `text` in the codec's units, as a regular expression that matches it literally. */
function literal(codec: Codec, text: string): string {
  let source = '';
  for (const unit of codec.encode(text)) {
    source += /[0-9A-Za-z ]/.test(unit) ? unit : `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return source;
}

const anyOf = (codec: Codec, texts: readonly string[]): string => `(?:${texts.map((text) => literal(codec, text)).join('|')})`;

/**
 * Amounts written as money, in the codec's units. The number is followed by no digit, nor a mark
 * and a digit (a short look-ahead, within {@link amountMaxLength}): so that the first way of
 * reading it that fits is the whole number (`$1,250,000.00` is not `$1,25`).
 */
function amountSource(codec: Codec): string {
  const groups = (mark: string, decimal: string): string =>
    `[0-9]{1,3}(?:${mark}[0-9]{3}){0,${AMOUNT_INTEGER_GROUPS}}(?:${decimal}[0-9]{2})?`;
  const alternatives = [
    ...SPACE_GROUP_MARKS.map((mark) => groups(literal(codec, mark), '[,.]')),
    groups('\\.', ','),
    groups(',', '\\.'),
  ].join('|');
  const number = `(?:${alternatives})(?![0-9]|${anyOf(codec, [...SPACE_GROUP_MARKS, '.', ','])}[0-9])`;
  const currency = anyOf(codec, CURRENCY_MARKS);
  return `${currency} ?${number}(?:,-)?|${number}(?:,-(?: ?${currency})?| ?${currency})`;
}

/** The longest amount in the codec's units (a mark and a space, 15 digits in groups, decimals, `,-`), and the look-ahead after it. */
function amountMaxLength(codec: Codec): number {
  const widest = (texts: readonly string[]): number => Math.max(...texts.map((text) => codec.encode(text).length));
  const groupMark = widest([...SPACE_GROUP_MARKS, '.', ',']);
  return widest(CURRENCY_MARKS) + 1 + 3 + AMOUNT_INTEGER_GROUPS * (groupMark + 3) + 3 + 2 + groupMark + 1;
}

/** Groups 1–3: day, month, year (`d.m.yyyy`); 4–6: day, month, year (`dd/mm/yyyy`); 7–9: year, month, day. */
const DATE_SOURCE = '([0-9]{1,2})\\.([0-9]{1,2})\\.([0-9]{4})|([0-9]{2})/([0-9]{2})/([0-9]{4})|([0-9]{4})-([0-9]{2})-([0-9]{2})';
const DATE_MAX_LENGTH = 10;

function isFutureDateMatch(match: RegExpExecArray): boolean {
  const [, d1, m1, y1, d2, m2, y2, y3, m3, d3] = match;
  if (y1 !== undefined) return isFutureDate(Number(y1), Number(m1), Number(d1));
  if (y2 !== undefined) return isFutureDate(Number(y2), Number(m2), Number(d2));
  return isFutureDate(Number(y3), Number(m3), Number(d3));
}

/**
 * The patterns of the kept classes in `keep` that depend on how a number is written (amounts,
 * future dates), for {@link PatternSpans} over the codec's units; org numbers need none.
 *
 * @example
 * ```ts
 * keptClassPatterns(utf16, ['amounts', 'org_numbers']).length; // 1
 * ```
 */
export function keptClassPatterns(codec: Codec, keep: readonly KeepClass[]): SpanPattern[] {
  const patterns: SpanPattern[] = [];
  if (keep.includes('amounts')) {
    const tag = KEPT_TAG_BASE + AMOUNTS;
    patterns.push({ source: amountSource(codec), maxLength: amountMaxLength(codec), accept: () => tag });
  }
  if (keep.includes('future_dates')) {
    const tag = KEPT_TAG_BASE + FUTURE_DATES;
    patterns.push({ source: DATE_SOURCE, maxLength: DATE_MAX_LENGTH, accept: (match) => (isFutureDateMatch(match) ? tag : -1) });
  }
  return patterns;
}

/** The tag of an org number, when the policy keeps them. */
export const ORG_NUMBER_TAG = KEPT_TAG_BASE + ORG_NUMBERS;
