/**
 * HTML character references as a renderer reads them (WHATWG HTML, *Character reference
 * state*), for the markup redactors: what a numeric reference stands for, and the named
 * references that stand for a digit, a separator or white space.
 *
 * Every other named reference stands for a character of class `OTHER` (no named reference stands
 * for a digit), so the redactors leave it as literal text: `&`, its name and `;` are `OTHER` or
 * letters too, and a digit in a name (`&frac12;`) is then read as a digit — which can only make
 * more combinations, never fewer. `test/redact/html-entities.test.ts` checks the table against
 * every name of the standard, decoded by parse5.
 *
 * @module
 */

/**
 * The named references (without `&` and `;`) whose characters are all digits, separators or white
 * space, and what they stand for.
 */
export const SEPARATOR_REFERENCES: Readonly<Record<string, string>> = Object.freeze({
  ApplyFunction: '\u{2061}',
  DotDot: '\u{20dc}',
  DownBreve: '\u{311}',
  InvisibleComma: '\u{2063}',
  InvisibleTimes: '\u{2062}',
  MediumSpace: '\u{205f}',
  NegativeMediumSpace: '\u{200b}',
  NegativeThickSpace: '\u{200b}',
  NegativeThinSpace: '\u{200b}',
  NegativeVeryThinSpace: '\u{200b}',
  NewLine: '\u{a}',
  NoBreak: '\u{2060}',
  NonBreakingSpace: '\u{a0}',
  Tab: '\u{9}',
  ThickSpace: '\u{205f}\u{200a}',
  ThinSpace: '\u{2009}',
  TripleDot: '\u{20db}',
  VeryThinSpace: '\u{200a}',
  ZeroWidthSpace: '\u{200b}',
  af: '\u{2061}',
  comma: '\u{2c}',
  dash: '\u{2010}',
  emsp13: '\u{2004}',
  emsp14: '\u{2005}',
  emsp: '\u{2003}',
  ensp: '\u{2002}',
  hairsp: '\u{200a}',
  horbar: '\u{2015}',
  hyphen: '\u{2010}',
  ic: '\u{2063}',
  it: '\u{2062}',
  lrm: '\u{200e}',
  mdash: '\u{2014}',
  minus: '\u{2212}',
  nbsp: '\u{a0}',
  ndash: '\u{2013}',
  numsp: '\u{2007}',
  period: '\u{2e}',
  puncsp: '\u{2008}',
  rlm: '\u{200f}',
  shy: '\u{ad}',
  sol: '\u{2f}',
  tdot: '\u{20db}',
  thinsp: '\u{2009}',
  zwj: '\u{200d}',
  zwnj: '\u{200c}',
});

/** Legacy names a renderer reads without the `;` too (`&nbsp1` is U+00A0 and `1`). */
export const LEGACY_SEPARATOR_REFERENCES: readonly string[] = Object.freeze(['nbsp', 'shy']);

/** The longest name in {@link SEPARATOR_REFERENCES}. */
export const LONGEST_SEPARATOR_REFERENCE = Math.max(...Object.keys(SEPARATOR_REFERENCES).map((name) => name.length));

const REPLACEMENT_CHARACTER = 0xfffd;
const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_FIRST = 0xd800;
const SURROGATE_LAST = 0xdfff;
const C1_FIRST = 0x80;
/**
 * What `&#128;`–`&#159;` stand for: windows-1252, as the standard says (0 where the code point
 * stands for itself).
 */
const C1_REMAP = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/**
 * The code point a numeric reference's value stands for: U+FFFD for 0, a surrogate or past
 * U+10FFFF; the windows-1252 character for 0x80–0x9F; itself otherwise.
 *
 * @example
 * ```ts
 * referencedCodePoint(0x37); // 0x37 ('7')
 * referencedCodePoint(0x96); // 0x2013 (en dash)
 * ```
 */
export function referencedCodePoint(value: number): number {
  if (value === 0 || value > MAX_CODE_POINT || (value >= SURROGATE_FIRST && value <= SURROGATE_LAST)) return REPLACEMENT_CHARACTER;
  const remapped = value >= C1_FIRST ? (C1_REMAP[value - C1_FIRST] ?? 0) : 0;
  return remapped === 0 ? value : remapped;
}

/** A numeric reference's value after one more digit, held at just past the largest code point. */
export function addReferenceDigit(value: number, digit: number, hex: boolean): number {
  const next = value * (hex ? 16 : 10) + digit;
  return next > MAX_CODE_POINT ? MAX_CODE_POINT + 1 : next;
}
