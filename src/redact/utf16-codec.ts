/**
 * UTF-16: JavaScript strings.
 *
 * The finder has two alternatives, a shape measured on the chat corpus (V8 irregexp): a regex over
 * the exact Unicode classes runs ~8× slower on two-byte strings than one with a few ranges, and
 * every extra regex call costs ~40 ns before it reads a character.
 *
 * - A: `minDigits` ASCII digits with gaps of up to `maxGap` Latin-1 separators or code points past
 *   Latin-1 — exact for one-byte (Latin-1) strings, and a superset elsewhere;
 * - C: a code unit that may begin a non-ASCII digit (a coarse superset).
 *
 * A match begins at the first digit of a combination (the leftmost match rule: an earlier digit
 * of the same combination would have matched first); the exact walk settles every match.
 *
 * @module
 */
import { WIDTH_SHIFT, type Codec, type Finder } from './codec.js';
import {
  BMP,
  HIGH_SURROGATE,
  LATIN1_DIGIT_CLASS,
  LATIN1_SEPARATOR_BODY,
  NON_ASCII_CANDIDATE_CLASS,
  OTHER,
  SEPARATOR,
  classifyAstral,
  isHighSurrogate,
  isLowSurrogate,
} from './unicode.js';

/** Every BMP unit past Latin-1 that is no surrogate, as a class body. */
const PAST_LATIN1_BMP_BODY = String.raw`\u0100-\ud7ff\ue000-\uffff`;
const SURROGATE_PAIR = String.raw`[\ud800-\udbff][\udc00-\udfff]`;
const ANY_SURROGATE_BODY = String.raw`\ud800-\udfff`;
const SURROGATE_OFFSET = 0x10000 - (0xd800 << 10) - 0xdc00;
const ONE_UNIT = 1 << WIDTH_SHIFT;
const TWO_UNITS = 2 << WIDTH_SHIFT;
const LATIN1_LIMIT = 0x100;

/**
 * A finder regex (`g` flag) behind the {@link Finder} interface; `exec` allocates only on a hit.
 * (A lookahead read with `test`, which allocates nothing, halved the cost of a hit but made the
 * chat corpus 1.6× slower to scan: V8 no longer checks a regex's first character quickly when it
 * begins with a lookahead.)
 */
class RegexFinder implements Finder {
  readonly #regex: RegExp;
  #text = '';

  constructor(regex: RegExp) {
    this.#regex = regex;
  }

  begin(text: string): void {
    this.#text = text;
  }

  next(from: number): number {
    const regex = this.#regex;
    regex.lastIndex = from;
    const match = regex.exec(this.#text);
    return match === null ? -1 : match.index;
  }
}

/**
 * Source of alternative A for a policy: `minDigits` Latin-1 digits with gaps of up to `maxGap`
 * units between them (see above).
 */
function firstDigitsSource(minDigits: number, maxGap: number): string {
  const digit = LATIN1_DIGIT_CLASS;
  // A gap unit is a Latin-1 separator or any code point past Latin-1: one unit, or a surrogate
  // pair. Counting pairs as one keeps the bound at maxGap; a bound of 2 × maxGap single units
  // measured 1.3× slower on messages with short numbers (backtracking).
  const gapUnit = `(?:[${LATIN1_SEPARATOR_BODY}${PAST_LATIN1_BMP_BODY}]|${SURROGATE_PAIR})`;
  // Exactly minDigits digits: the walk finds the true end, and a greedy tail costs ~2× per hit.
  return `${digit}(?:${gapUnit}{0,${maxGap}}${digit}){${minDigits - 1}}`;
}

/**
 * Source of the finder's regex for a policy: every place a combination of `minDigits` digits with
 * gaps of up to `maxGap` separators may begin, as alternatives A | C (see above).
 */
function finderSource(minDigits: number, maxGap: number): string {
  return `${firstDigitsSource(minDigits, maxGap)}|${NON_ASCII_CANDIDATE_CLASS}`;
}

/**
 * A regex (no `g` flag unless `flags` says: for `test`, which allocates nothing) that matches
 * wherever the finder does and at any surrogate; with `g`, `test` leaves where its first match
 * ended ({@link findChangeStart}: where it began; `TextScanner.redactChanged` goes on from there). Text it does not match is well-formed and holds no combination of
 * `minDigits` digits: it is its own redaction, nothing counted. One pass where the one-shot path
 * made two (the well-formed check, then the finder); see `redact.ts` for the figures.
 *
 * A | (C and every surrogate in one class), not A | C | any surrogate: the same matches, one
 * unit long but for A's, and one alternative less for irregexp to try at every position. The
 * check alone over the chat corpus, one process, slices in turn (CPU ns a message, two runs):
 * 68.2 → 65.6 and 64.4 → 61.1 on Node 20, 43.6 → 41.4 and 44.7 → 42.0 on Node 26.
 */
export function createChangeCheck(minDigits: number, maxGap: number, flags = ''): RegExp {
  return new RegExp(`${firstDigitsSource(minDigits, maxGap)}|[${NON_ASCII_CANDIDATE_CLASS.slice(1, -1)}${ANY_SURROGATE_BODY}]`, flags);
}

/**
 * Where the change check's match that ended at `end` began (the check with `g`: `test` sets
 * `lastIndex` to the end and allocates nothing; `exec`'s match object cost 70 ns a hit on Node 20
 * in the chat corpus, more than the scan it saves). A match that ends on a Latin-1 digit is
 * alternative A, exactly `minDigits` such digits with gaps of other units; any other is one unit.
 */
export function findChangeStart(text: string, end: number, minDigits: number): number {
  let k = end - 1;
  if (!isLatin1Digit(text.charCodeAt(k))) return k;
  for (let digits = 1; digits < minDigits; ) if (isLatin1Digit(text.charCodeAt(--k))) digits += 1;
  return k;
}

/**
 * Where the text needs the scan, after the change check (`createChangeCheck` with `g`) has
 * matched it (`lastIndex` where the match ended): the start of the first match
 * ({@link findChangeStart}) that is not a well-formed surrogate pair of class other (an emoji),
 * or -1 when every match was one. Such a pair is no digit, cannot be a gap, and is well-formed:
 * the check goes on after it, a combination after it begins after it, and the scan, reading
 * back from the match it is given, stops there. A pair that is a digit or a separator, or a lone
 * surrogate, is a change. The caller makes the first `test`: text without a match (nearly every
 * message) takes no call more than before.
 */
export function findChange(text: string, changes: RegExp, minDigits: number): number {
  for (;;) {
    const end = changes.lastIndex;
    const high = text.charCodeAt(end - 1);
    if (!isHighSurrogate(high)) return findChangeStart(text, end, minDigits);
    const low = text.charCodeAt(end);
    if (!isLowSurrogate(low) || classifyAstral((high << 10) + low + SURROGATE_OFFSET) !== OTHER) return end - 1;
    changes.lastIndex = end + 1;
    if (!changes.test(text)) return -1;
  }
}

function isLatin1Digit(unit: number): boolean {
  return unit < LATIN1_LIMIT && (BMP[unit] ?? OTHER) < SEPARATOR;
}

/** The UTF-16 codec. */
export const utf16: Codec = {
  maxUnitsPerCodePoint: 2,

  createFinder(minDigits, maxGap) {
    return new RegexFinder(new RegExp(finderSource(minDigits, maxGap), 'g'));
  },

  classAt(text, i) {
    const unit = text.charCodeAt(i);
    const cls = BMP[unit] ?? OTHER;
    if (cls !== HIGH_SURROGATE) return cls | ONE_UNIT;
    const low = text.charCodeAt(i + 1);
    return isLowSurrogate(low) ? classifyAstral((unit << 10) + low + SURROGATE_OFFSET) | TWO_UNITS : OTHER | ONE_UNIT;
  },

  classBefore(text, k) {
    const unit = text.charCodeAt(k - 1);
    if (isLowSurrogate(unit) && k >= 2) {
      const high = text.charCodeAt(k - 2);
      if (isHighSurrogate(high)) return classifyAstral((high << 10) + unit + SURROGATE_OFFSET) | TWO_UNITS;
    }
    const cls = BMP[unit] ?? OTHER;
    return (cls === HIGH_SURROGATE ? OTHER : cls) | ONE_UNIT;
  },

  codePointStart(text, k) {
    return k > 0 && isLowSurrogate(text.charCodeAt(k)) && isHighSurrogate(text.charCodeAt(k - 1)) ? k - 1 : k;
  },

  encode: (text) => text,
};
