/**
 * A deliberately plain reading of the redaction policy, written from the definition and nothing
 * else: code point by code point, with the engine's own `\p{…}` classes. It is slow and obvious;
 * the fast engine must agree with it on every input (differential testing).
 */
export interface ReferencePolicy {
  minDigits: number;
  maxGap: number;
  replacement: string;
  /** Allowed numbers, written any way: only their digits count. */
  allow?: readonly string[];
  /** Keep sensitive combinations that lie wholly inside a complete date-time. */
  keepTimestamps?: boolean;
  /** Kept classes: `amounts`, `future_dates`, `org_numbers` (see the end of this file). */
  keep?: readonly ('amounts' | 'future_dates' | 'org_numbers')[];
}

export const DEFAULTS: ReferencePolicy = { minDigits: 7, maxGap: 3, replacement: '' };

const DIGIT = /^\p{Nd}$/u;
/** SPEC §1: horizontal white space, `. , - /`, the dashes, minus, every `Cf` and every `M`. */
const BASE_SEPARATOR = /^[\t\p{Zs}.,\-/\u2010-\u2015\u2212\p{Cf}\p{M}]$/u;
/** SPEC §1: the Arabic comma, decimal separator, thousands separator and five-pointed star. */
const ARABIC_SEPARATORS = ['\u060c', '\u066b', '\u066c', '\u066d'];

export const isDigitChar = (ch: string): boolean => DIGIT.test(ch);

/**
 * SPEC §1's separator: one of the base set, a code point whose compatibility form (NFKC) is one
 * of them (`－` U+FF0D is `-`), or an Arabic separator. Asked of one code point.
 */
export function isSeparatorChar(ch: string): boolean {
  if (BASE_SEPARATOR.test(ch) || ARABIC_SEPARATORS.includes(ch)) return true;
  const compatible = ch.normalize('NFKC');
  return compatible !== ch && BASE_SEPARATOR.test(compatible);
}

/**
 * SPEC §1's well-formed text: each lone surrogate becomes U+FFFD before anything is read. Kept
 * apart from `String.prototype.toWellFormed` on purpose: a judge written from the definition.
 */
export function wellFormed(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += text[i]! + text[i + 1]!;
      i++;
    } else {
      out += unit >= 0xd800 && unit <= 0xdfff ? '\ufffd' : text[i]!;
    }
  }
  return out;
}

/** Numeric value of a digit code point: its offset in its run of ten. */
export function digitValue(ch: string): number {
  let cp = ch.codePointAt(0)!;
  let offset = 0;
  while (DIGIT.test(String.fromCodePoint(cp - 1))) {
    cp -= 1;
    offset += 1;
  }
  return offset % 10;
}

export interface Span {
  /** UTF-16 index of the first digit. */
  start: number;
  /** UTF-16 index just past the last digit. */
  end: number;
  digits: number[];
  /** For a kept combination: why (`allowed` for an allow-list entry or a date-time, else its class). */
  keptAs?: string;
}

/**
 * Every maximal number combination, sensitive or not, of the well-formed text (lone surrogates
 * read as U+FFFD, which keeps every UTF-16 offset).
 */
export function findCombinations(input: string, maxGap: number): Span[] {
  const chars = Array.from(wellFormed(input));
  const spans: Span[] = [];
  let offset = 0;
  const offsets = chars.map((ch) => {
    const at = offset;
    offset += ch.length;
    return at;
  });
  let k = 0;
  while (k < chars.length) {
    if (!isDigitChar(chars[k]!)) {
      k++;
      continue;
    }
    const digits = [digitValue(chars[k]!)];
    let last = k;
    let j = k + 1;
    let gap = 0;
    while (j < chars.length) {
      const ch = chars[j]!;
      if (isDigitChar(ch)) {
        digits.push(digitValue(ch));
        last = j;
        gap = 0;
      } else if (isSeparatorChar(ch) && gap < maxGap) {
        gap++;
      } else {
        break;
      }
      j++;
    }
    spans.push({ start: offsets[k]!, end: offsets[last]! + chars[last]!.length, digits });
    k = last + 1;
  }
  return spans;
}

/** The digits of a number as a string of 0–9, whatever script and punctuation it is written in. */
export function digitsOf(text: string): string {
  return Array.from(text)
    .filter(isDigitChar)
    .map((ch) => String(digitValue(ch)))
    .join('');
}

/** Why the policy keeps this sensitive combination on purpose, or undefined when it does not. */
function keptAs(span: Span, policy: ReferencePolicy, dateTimes: readonly DateTimeSpan[], classSpans: readonly ClassSpan[]): string | undefined {
  const digits = span.digits.join('');
  if ((policy.allow ?? []).some((entry) => digitsOf(entry) === digits)) return 'allowed';
  if (policy.keepTimestamps === true && dateTimes.some((d) => d.start <= span.start && span.end <= d.end)) return 'allowed';
  const keep = policy.keep ?? [];
  if (keep.length === 0 || isNationalIdOrAccountOrCard(digits)) return undefined;
  const inside = classSpans.find((c) => c.start <= span.start && span.end <= c.end);
  if (inside !== undefined) return inside.keptAs;
  if (keep.includes('org_numbers') && isOrgNumberDigits(digits)) return 'org_numbers';
  return undefined;
}

/**
 * The reference redaction: the output, the deleted spans and the kept ones. The input is made
 * well-formed first (SPEC §1), so lone surrogates come out as U+FFFD.
 */
export function referenceRedact(
  input: string,
  policy: ReferencePolicy = DEFAULTS,
): { text: string; spans: Span[]; kept: Span[] } {
  const text = wellFormed(input);
  const dateTimes = policy.keepTimestamps === true ? findDateTimes(text, policy.maxGap) : [];
  const classSpans = findClassSpans(text, policy.maxGap, policy.keep ?? []);
  const sensitive = findCombinations(text, policy.maxGap).filter((s) => s.digits.length >= policy.minDigits);
  const kept: Span[] = [];
  for (const span of sensitive) {
    const why = keptAs(span, policy, dateTimes, classSpans);
    if (why !== undefined) kept.push({ ...span, keptAs: why });
  }
  const keptStarts = new Set(kept.map((k) => k.start));
  const spans = sensitive.filter((s) => !keptStarts.has(s.start));
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + policy.replacement;
    at = span.end;
  }
  return { text: out + text.slice(at), spans, kept };
}

/** The longest run of digits in any combination of `text` (for the no-leak property). */
export function longestCombination(text: string, maxGap: number): number {
  return Math.max(0, ...findCombinations(text, maxGap).map((s) => s.digits.length));
}

/** Combinations of `minDigits`+ digits in `text` that the policy does not keep (for the no-leak property). */
export function unkeptCombinations(text: string, policy: ReferencePolicy): Span[] {
  return referenceRedact(text, policy).spans;
}

// ---- Date-times, read field by field (the engine uses one regex; this reads them as a person would).

export interface DateTimeSpan {
  start: number;
  end: number;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A reader over `text` from `at`: each step returns false when the text does not go on so. */
class FieldReader {
  constructor(
    readonly text: string,
    public at: number,
  ) {}
  /** `count` ASCII digits, as a number (or undefined). */
  number(count: number): number | undefined {
    const part = this.text.slice(this.at, this.at + count);
    if (part.length !== count || !/^[0-9]+$/.test(part)) return undefined;
    this.at += count;
    return Number(part);
  }
  literal(options: readonly string[]): string | undefined {
    const found = options.find((option) => this.text.startsWith(option, this.at));
    if (found !== undefined) this.at += found.length;
    return found;
  }
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** HH:MM:SS with each field in range; false when not there. */
function readTime(r: FieldReader): boolean {
  const hour = r.number(2);
  if (hour === undefined || hour > 23 || r.literal([':']) === undefined) return false;
  const minute = r.number(2);
  if (minute === undefined || minute > 59 || r.literal([':']) === undefined) return false;
  const second = r.number(2);
  return second !== undefined && second <= 60;
}

/** An offset's hours and minutes in range: `HH`, `HHMM` or `HH:MM` (`any`), or `HHMM` alone (`four`). */
function readOffsetDigits(r: FieldReader, forms: 'any' | 'four'): boolean {
  const hours = r.number(2);
  if (hours === undefined || hours > 23) return false;
  const before = r.at;
  if (forms === 'any') r.literal([':']);
  const minutes = r.number(2);
  if (minutes === undefined || minutes > 59) {
    r.at = before;
    return forms === 'any';
  }
  return true;
}

/** Try an optional part: keep the reader's advance only when it succeeds. */
function optional(r: FieldReader, part: (r: FieldReader) => boolean): void {
  const before = r.at;
  if (!part(r)) r.at = before;
}

function readIso(r: FieldReader): boolean {
  const year = r.number(4);
  const separator = r.literal(['-', '/']);
  if (year === undefined || separator === undefined) return false;
  const month = r.number(2);
  if (month === undefined || r.literal([separator]) === undefined) return false;
  const day = r.number(2);
  if (day === undefined || !isRealDate(year, month, day)) return false;
  if (r.literal(['T', 't', ' ']) === undefined || !readTime(r)) return false;
  optional(r, (f) => {
    if (f.literal(['.', ',']) === undefined) return false;
    let count = 0;
    while (count < 9 && f.number(1) !== undefined) count++;
    return count > 0;
  });
  optional(r, (f) => {
    if (f.literal(['Z', 'z']) !== undefined) return true;
    if (f.literal(['+', '-']) !== undefined) return readOffsetDigits(f, 'any');
    return f.literal([' +', ' -']) !== undefined && readOffsetDigits(f, 'four');
  });
  return true;
}

function readSyslog(r: FieldReader): boolean {
  const month = r.literal(MONTH_NAMES);
  if (month === undefined || r.literal([' ']) === undefined) return false;
  const padded = r.literal([' ']) !== undefined;
  const day = padded ? r.number(1) : r.number(2);
  if (day === undefined || day === 0) return false;
  // Any year will do when none is written: 29 February is one in a leap year.
  if (!isRealDate(2024, MONTH_NAMES.indexOf(month) + 1, day)) return false;
  return r.literal([' ']) !== undefined && readTime(r);
}

function readCommonLog(r: FieldReader): boolean {
  const day = r.number(2);
  if (day === undefined || r.literal(['/']) === undefined) return false;
  const month = r.literal(MONTH_NAMES);
  if (month === undefined || r.literal(['/']) === undefined) return false;
  const year = r.number(4);
  if (year === undefined || !isRealDate(year, MONTH_NAMES.indexOf(month) + 1, day)) return false;
  if (r.literal([':']) === undefined || !readTime(r)) return false;
  optional(r, (f) => f.literal([' +', ' -']) !== undefined && readOffsetDigits(f, 'four'));
  return true;
}

/**
 * Every complete date-time that stands alone, left to right, none overlapping: one that a number
 * combination (of any length) runs into or out of is no date-time to keep.
 */
export function findDateTimes(text: string, maxGap: number): DateTimeSpan[] {
  const standsAlone = standsAloneIn(text, maxGap);
  const found: DateTimeSpan[] = [];
  let at = 0;
  while (at < text.length) {
    let end = -1;
    for (const read of [readIso, readSyslog, readCommonLog]) {
      const reader = new FieldReader(text, at);
      if (read(reader)) end = Math.max(end, reader.at);
    }
    if (end > at && standsAlone(at, end)) {
      found.push({ start: at, end });
      at = end;
    } else {
      at += 1;
    }
  }
  return found;
}

/** A test of `[start, end)`: no number combination runs into it or out of it. */
function standsAloneIn(text: string, maxGap: number): (start: number, end: number) => boolean {
  const combinations = findCombinations(text, maxGap);
  return (start, end) => combinations.every((c) => c.end <= start || c.start >= end || (c.start >= start && c.end <= end));
}

// ---- Kept classes (`keep`), read from the policy's words: amounts written as money, dates after
// today everywhere, organisation numbers; never a valid national id, bank account or card.

interface ClassSpan extends DateTimeSpan {
  keptAs: string;
}

const ASCII_DIGITS = /^[0-9]+$/;
/** Group marks that are spaces: space, NBSP, thin space, narrow NBSP. Then `.` and `,`. */
const GROUP_MARKS = [' ', '\u00a0', '\u2009', '\u202f', '.', ','];
/** Longest first, so that `kr.` is read before `kr`. */
const CURRENCIES = ['kr.', 'kr', 'NOK', 'EUR', 'USD', 'SEK', 'DKK', 'GBP', '€', '$', '£'];

/** The run of ASCII digits at `at` (possibly empty). */
function digitRun(text: string, at: number): string {
  let end = at;
  while (end < text.length && text[end]! >= '0' && text[end]! <= '9') end++;
  return text.slice(at, end);
}

/**
 * The end of the amount's number at `at` with group mark `mark`, or -1: a first group of 1–3
 * digits, groups of three after the mark (15 integer digits at most), optionally the other mark
 * (`.` for `,`, `,` for `.`, either for spaces) and two digits — and no digit, nor a group mark
 * and a digit, right after it (the number is read whole).
 */
function readMoneyNumber(text: string, at: number, mark: string): number {
  const first = digitRun(text, at);
  if (first.length < 1 || first.length > 3) return -1;
  let end = at + first.length;
  let digits = first.length;
  while (text.startsWith(mark, end) && digitRun(text, end + mark.length).length === 3 && digits + 3 <= 15) {
    end += mark.length + 3;
    digits += 3;
  }
  const decimals = mark === '.' ? [','] : mark === ',' ? ['.'] : [',', '.'];
  if (decimals.includes(text[end] ?? '') && digitRun(text, end + 1).length === 2) end += 3;
  const after = text.slice(end);
  if (/^[0-9]/.test(after) || GROUP_MARKS.some((m) => after.startsWith(m) && /^[0-9]/.test(after.slice(m.length)))) return -1;
  return end;
}

/**
 * The end of a money expression that starts at `at` (a currency mark before or after the number, or
 * `,-`), or -1.
 *
 * One mark, one amount: a currency mark between two numbers (`800 000 009,- kr 801 001 009`,
 * `1 000 kr 2 000`) belongs to the number before it, read left to right, and not to both. The
 * number before is an amount whichever way the mark is read (it has `,-`, or the mark); the number
 * after is one only if the writer meant the mark for it — a doubt, and in doubt it is deleted.
 */
function readMoney(text: string, at: number): number {
  const currencyAt = (k: number): number => {
    const found = CURRENCIES.find((c) => text.startsWith(c, k));
    return found === undefined ? -1 : k + found.length;
  };
  const before = currencyAt(at);
  if (before >= 0) {
    const numberAt = text[before] === ' ' && /[0-9]/.test(text[before + 1] ?? '') ? before + 1 : before;
    for (const mark of GROUP_MARKS) {
      const end = readMoneyNumber(text, numberAt, mark);
      if (end >= 0) return text.startsWith(',-', end) ? end + 2 : end;
    }
    return -1;
  }
  for (const mark of GROUP_MARKS) {
    let end = readMoneyNumber(text, at, mark);
    if (end < 0) continue;
    const dashed = text.startsWith(',-', end);
    if (dashed) end += 2;
    // A mark after the number is this amount's, also after `,-` (`1 250,- kr`): one mark, one
    // amount, the one before it (this function's comment).
    const after = currencyAt(text[end] === ' ' ? end + 1 : end);
    if (after >= 0) return after;
    if (dashed) return end;
  }
  return -1;
}

/** Today's date where the day starts first (UTC+14), as yyyymmdd. */
function todayInUtcPlus14(): number {
  const today = new Date(Date.now() + 14 * 3_600_000);
  return today.getUTCFullYear() * 10_000 + (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
}

/** The end of a future date at `at` (`d.m.yyyy`, `dd.mm.yyyy`, `dd/mm/yyyy`, `yyyy-mm-dd`), or -1. */
function readFutureDate(text: string, at: number): number {
  const field = (k: number, lengths: number[]): string | undefined => {
    const run = digitRun(text, k);
    return lengths.includes(run.length) ? run : undefined;
  };
  const forms: Array<[lengths: number[][], separator: string, order: 'dmy' | 'ymd']> = [
    [[[1, 2], [1, 2], [4]], '.', 'dmy'],
    [[[2], [2], [4]], '/', 'dmy'],
    [[[4], [2], [2]], '-', 'ymd'],
  ];
  for (const [lengths, separator, order] of forms) {
    const parts: string[] = [];
    let k = at;
    for (let p = 0; p < 3; p++) {
      const part = field(k, lengths[p]!);
      if (part === undefined || (p < 2 && text[k + part.length] !== separator)) break;
      parts.push(part);
      k += part.length + (p < 2 ? 1 : 0);
    }
    if (parts.length !== 3) continue;
    const [a, b, c] = parts.map(Number) as [number, number, number];
    const [year, month, day] = order === 'dmy' ? [c, b, a] : [a, b, c];
    const exists = isRealDate(year, month, day) && year >= 1000;
    return exists && year * 10_000 + month * 100 + day > todayInUtcPlus14() ? k : -1;
  }
  return -1;
}

/** Amounts and future dates that stand alone, per kept class, left to right, none overlapping within a class. */
function findClassSpans(text: string, maxGap: number, keep: readonly string[]): ClassSpan[] {
  const standsAlone = standsAloneIn(text, maxGap);
  const found: ClassSpan[] = [];
  const readers: Array<[string, (text: string, at: number) => number]> = [
    ['amounts', readMoney],
    ['future_dates', readFutureDate],
  ];
  for (const [name, read] of readers) {
    if (!keep.includes(name)) continue;
    for (let at = 0; at < text.length; ) {
      const end = read(text, at);
      if (end > at && standsAlone(at, end)) {
        found.push({ start: at, end, keptAs: name });
        at = end;
      } else {
        at += 1;
      }
    }
  }
  return found;
}

/** Weighted sum of digits with the given weights. */
const weighted = (digits: number[], weights: number[]): number => weights.reduce((sum, w, k) => sum + w * digits[k]!, 0);

/** Brønnøysund: 9 digits starting 8 or 9, K = 11 − S mod 11 with weights 3 2 7 6 5 4 3 2; 11 → 0; 10 = invalid. */
function isOrgNumberDigits(digits: string): boolean {
  if (!/^[89][0-9]{8}$/.test(digits)) return false;
  const d = Array.from(digits, Number);
  let k = 11 - (weighted(d, [3, 2, 7, 6, 5, 4, 3, 2]) % 11);
  if (k === 11) k = 0;
  return k !== 10 && k === d[8];
}

/** The Kinds table's national_id rule: both check digits, and a real birth date not after today (UTC+14). */
function isNationalIdDigits(digits: string): boolean {
  if (digits.length !== 11) return false;
  const d = Array.from(digits, Number);
  const check = (sum: number): number => (11 - (sum % 11)) % 11;
  const k1 = check(weighted(d, [3, 7, 6, 1, 8, 9, 4, 5, 2]));
  const k2 = check(weighted(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]));
  if (k1 === 10 || k2 === 10 || k1 !== d[9] || k2 !== d[10]) return false;
  let day = Number(digits.slice(0, 2));
  let month = Number(digits.slice(2, 4));
  if (day > 40 && month > 40) return false;
  if (day > 40) day -= 40;
  if (month > 40) month -= 40;
  const shortYear = Number(digits.slice(4, 6));
  const individual = Number(digits.slice(6, 9));
  let year: number;
  if (individual <= 499) year = 1900 + shortYear;
  else if (individual <= 749 && shortYear >= 54) year = 1800 + shortYear;
  else if (shortYear <= 39) year = 2000 + shortYear;
  else if (individual >= 900 && shortYear >= 40) year = 1900 + shortYear;
  else return false;
  return isRealDate(year, month, day) && year * 10_000 + month * 100 + day <= todayInUtcPlus14();
}

/** The Kinds table's bank_account rule: 11 digits, weights 5 4 3 2 7 6 5 4 3 2, K = 11 − S mod 11, 11 → 0, 10 = invalid. */
function isBankAccountDigits(digits: string): boolean {
  if (digits.length !== 11) return false;
  const d = Array.from(digits, Number);
  let k = 11 - (weighted(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11);
  if (k === 11) k = 0;
  return k !== 10 && k === d[10];
}

/** The Kinds table's payment_card rule: 13–19 digits, Luhn-valid. */
function isCardDigits(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  Array.from(digits, Number)
    .reverse()
    .forEach((value, k) => {
      const doubled = k % 2 === 1 ? value * 2 : value;
      sum += doubled > 9 ? doubled - 9 : doubled;
    });
  return sum % 10 === 0;
}

/** Digits that are always deleted, whatever is kept: a valid national id, bank account or card. */
export function isNationalIdOrAccountOrCard(digits: string): boolean {
  return isNationalIdDigits(digits) || isBankAccountDigits(digits) || isCardDigits(digits);
}
