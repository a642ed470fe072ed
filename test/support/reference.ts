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

/** `true` when the policy keeps this sensitive combination on purpose. */
function isKept(span: Span, text: string, policy: ReferencePolicy, dateTimes: readonly DateTimeSpan[]): boolean {
  const digits = span.digits.join('');
  if ((policy.allow ?? []).some((entry) => digitsOf(entry) === digits)) return true;
  return policy.keepTimestamps === true && dateTimes.some((d) => d.start <= span.start && span.end <= d.end);
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
  const sensitive = findCombinations(text, policy.maxGap).filter((s) => s.digits.length >= policy.minDigits);
  const kept = sensitive.filter((s) => isKept(s, text, policy, dateTimes));
  const spans = sensitive.filter((s) => !kept.includes(s));
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
  const combinations = findCombinations(text, maxGap);
  const standsAlone = (start: number, end: number): boolean =>
    combinations.every((c) => c.end <= start || c.start >= end || (c.start >= start && c.end <= end));
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
