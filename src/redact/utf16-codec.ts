/**
 * UTF-16: JavaScript strings.
 *
 * The finder has three alternatives, a shape measured on the chat corpus (V8 irregexp): a regex
 * over the exact Unicode classes runs ~8× slower on two-byte strings than one with a few ranges,
 * and every extra regex call costs ~40 ns before it reads a character.
 *
 * - A: the first `minDigits` digits of a combination of ASCII digits and Latin-1 separators —
 *   exact for one-byte (Latin-1) strings, where irregexp drops B and C altogether;
 * - B: an ASCII digit followed, within the gap, by a character past Latin-1 (it may be a
 *   separator or digit that continues the combination);
 * - C: a code unit that may begin a non-ASCII digit (a coarse superset).
 *
 * @module
 */
import { WIDTH_SHIFT, type Codec } from './codec.js';
import {
  BEYOND_LATIN1_CLASS,
  BMP,
  HIGH_SURROGATE,
  LATIN1_DIGIT_CLASS,
  LATIN1_SEPARATOR_CLASS,
  NON_ASCII_CANDIDATE_CLASS,
  OTHER,
  classifyAstral,
  isHighSurrogate,
  isLowSurrogate,
} from './unicode.js';

const SURROGATE_OFFSET = 0x10000 - (0xd800 << 10) - 0xdc00;
const ONE_UNIT = 1 << WIDTH_SHIFT;
const TWO_UNITS = 2 << WIDTH_SHIFT;

/** The UTF-16 codec. */
export const utf16: Codec = {
  maxUnitsPerCodePoint: 2,

  compileFinder(minDigits, maxGap) {
    const digit = LATIN1_DIGIT_CLASS;
    const gap = `${LATIN1_SEPARATOR_CLASS}{0,${maxGap}}`;
    // Exactly minDigits digits: the walk finds the true end, and a greedy tail costs ~2× per hit.
    const firstDigits = `${digit}(?:${gap}${digit}){${minDigits - 1}}`;
    const continuesBeyondLatin1 = `${digit}${gap}${BEYOND_LATIN1_CLASS}`;
    return new RegExp(`${firstDigits}|${continuesBeyondLatin1}|${NON_ASCII_CANDIDATE_CLASS}`, 'g');
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

  incompleteTail(text) {
    return text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1)) ? 1 : 0;
  },

  encode: (text) => text,
};
