/**
 * Character classes of the redaction policy, as lookup tables over code units and code points.
 *
 * Every code point falls in one class: a digit (General Category `Nd`, any script; the class
 * value is the digit's numeric value 0–9), a separator (horizontal whitespace, `. , - /`, the
 * dashes, minus, every `Cf` and every `M`, their compatibility forms and the Arabic separators),
 * or other (line breaks included). The tables are
 * derived once, at module load, from the running engine's own Unicode data (`\p{…}`), so they
 * can never disagree with it.
 *
 * @module
 */

/** Class values 0–9 are digits and carry their numeric value. */
export const SEPARATOR = 10;
/** Neither digit nor separator; also a lone surrogate. */
export const OTHER = 11;
/** A high surrogate in the BMP table: the pair must be looked up in an astral plane table. */
export const HIGH_SURROGATE = 12;

const PLANE_SIZE = 0x10000;
/** Planes 0–16: every code point Unicode has. */
const PLANE_COUNT = 17;
const SURROGATE_FIRST = 0xd800;
const SURROGATE_LAST = 0xdfff;
const HIGH_SURROGATE_LAST = 0xdbff;
const LOW_SURROGATE_FIRST = 0xdc00;
/** Where a stand-in for each code point that a plane string cannot hold is put. */
const STAND_IN = 0x20;
/** Nd characters come in runs of ten with values 0–9 (a Unicode stability guarantee). */
const DIGITS_PER_RUN = 10;
/**
 * Only planes 0, 1 and 14 hold digits or separators (plane 1: most astral scripts, mathematical
 * digits and marks; plane 14: tag characters and variation selectors). The test suite checks
 * every code point of every plane against `\p{…}` so a future Unicode version cannot slip by.
 */
const ASTRAL_PLANES_WITH_CLASSES = [1, 14] as const;

/**
 * Code points whose compatibility form (NFKC) is one separator of the base set: full-width
 * `，－．／` (U+FF0C–U+FF0F), the small forms (U+FE50, U+FE52, U+FE58, U+FE63), the vertical
 * presentation forms (U+FE10, U+FE31, U+FE32), the one-dot leader U+2024, super- and subscript
 * minus (U+207B, U+208B) and the half-width sound marks (U+FF9E, U+FF9F, combining marks once
 * normalised). Written out rather than derived at load: a `normalize` call per code point of the
 * three planes with classes took 45 ms (Node 20), ten times the tables' build; the test suite
 * derives the list from NFKC for every code point (`test/redact/unicode.test.ts`).
 */
const COMPATIBILITY_SEPARATORS = String.raw`\u2024\u207b\u208b\ufe10\ufe31\ufe32\ufe50\ufe52\ufe58\ufe63\uff0c-\uff0f\uff9e\uff9f`;
/** The Arabic comma, decimal separator, thousands separator and five-pointed star (U+060C, U+066B–U+066D). */
const ARABIC_SEPARATORS = String.raw`\u060c\u066b-\u066d`;

/**
 * The separator set of the policy: tab, every `Zs`, `. , - /`, dashes, minus, every `Cf` and `M`,
 * the code points whose NFKC form is one of those, and the Arabic separators. The one table of
 * it: the string finder, the byte finder (its WebAssembly tables are written from {@link BMP})
 * and the browser bundle all read it from here.
 */
export const SEPARATOR_PATTERN = String.raw`[\t\p{Zs}.,\-/\u2010-\u2015\u2212\p{Cf}\p{M}${COMPATIBILITY_SEPARATORS}${ARABIC_SEPARATORS}]`;
/** A digit in any script. */
export const DIGIT_PATTERN = String.raw`\p{Nd}`;

/** Every digit code point found while building the tables, ascending. */
const digitCodePoints: number[] = [];

/** A string of every code point of a plane (surrogates replaced by a stand-in), from a typed array. */
function planeText(plane: number): string {
  if (plane === 0) {
    const units = new Uint16Array(PLANE_SIZE);
    for (let i = 0; i < PLANE_SIZE; i++) units[i] = i;
    units.fill(STAND_IN, SURROGATE_FIRST, SURROGATE_LAST + 1);
    return new TextDecoder('utf-16le').decode(units);
  }
  const units = new Uint16Array(2 * PLANE_SIZE);
  const high = SURROGATE_FIRST + ((plane - 1) << 6);
  for (let i = 0; i < PLANE_SIZE; i++) {
    units[2 * i] = high + (i >>> 10);
    units[2 * i + 1] = LOW_SURROGATE_FIRST + (i & 0x3ff);
  }
  return new TextDecoder('utf-16le').decode(units);
}

function buildPlane(plane: number): Uint8Array {
  const table = new Uint8Array(PLANE_SIZE).fill(OTHER);
  // One regex pass over a string of the whole plane is ~50× faster than a test per code point,
  // and building that string from a typed array avoids a 65,536-argument call (start-up: the
  // tables took 60 ms and 30 ms of GC before).
  const text = planeText(plane);
  const unitsPerCodePoint = plane === 0 ? 1 : 2;
  for (const match of text.matchAll(new RegExp(SEPARATOR_PATTERN, 'gu'))) {
    table[match.index / unitsPerCodePoint] = SEPARATOR;
  }
  for (const match of text.matchAll(new RegExp(`${DIGIT_PATTERN}+`, 'gu'))) {
    const first = match.index / unitsPerCodePoint;
    const count = match[0].length / unitsPerCodePoint;
    for (let k = 0; k < count; k++) {
      table[first + k] = k % DIGITS_PER_RUN;
      digitCodePoints.push(plane * PLANE_SIZE + first + k);
    }
  }
  if (plane === 0) {
    table[STAND_IN] = SEPARATOR; // the real U+0020, overwritten by surrogate stand-ins
    table.fill(HIGH_SURROGATE, SURROGATE_FIRST, HIGH_SURROGATE_LAST + 1);
    table.fill(OTHER, LOW_SURROGATE_FIRST, SURROGATE_LAST + 1);
  }
  return table;
}

/** Class of every BMP code unit; surrogates are `HIGH_SURROGATE` or `OTHER`. */
export const BMP: Uint8Array = buildPlane(0);

/**
 * The astral planes' tables by plane number, `undefined` for a plane without digits or
 * separators: an array index takes 6.5 ns a code point against 12 for a `Map` lookup on Node 20,
 * 3.6 against 8.4 on Node 26 (bench/micro/counts.js).
 */
const ASTRAL: ReadonlyArray<Uint8Array | undefined> = Array.from({ length: PLANE_COUNT }, (_, plane) =>
  (ASTRAL_PLANES_WITH_CLASSES as readonly number[]).includes(plane) ? buildPlane(plane) : undefined,
);

/** Class of an astral code point (U+10000 and up). */
export function classifyAstral(codePoint: number): number {
  const table = ASTRAL[codePoint >>> 16];
  return table === undefined ? OTHER : (table[codePoint & 0xffff] ?? OTHER);
}

/** Class of any code point. */
export function classifyCodePoint(codePoint: number): number {
  return codePoint < PLANE_SIZE ? (BMP[codePoint] ?? OTHER) : classifyAstral(codePoint);
}

/** `true` when the code unit is a low surrogate (second half of a pair). */
export function isLowSurrogate(unit: number): boolean {
  return unit >= LOW_SURROGATE_FIRST && unit <= SURROGATE_LAST;
}

/** `true` when the code unit is a high surrogate (first half of a pair). */
export function isHighSurrogate(unit: number): boolean {
  return unit >= SURROGATE_FIRST && unit <= HIGH_SURROGATE_LAST;
}

/** `true` when the string holds a digit of any script. */
export function hasDigit(text: string): boolean {
  for (const char of text) if (classifyCodePoint(char.codePointAt(0) ?? 0) < SEPARATOR) return true;
  return false;
}

/** Most non-ASCII BMP ranges in the candidate class (see {@link buildCandidateSource}). */
const CANDIDATE_MAX_RANGES = 3;
const ASCII_LIMIT = 0x80;
const LATIN1_LIMIT = 0x100;

/**
 * Source of a character class that matches every code unit that can begin a digit: BMP digits
 * and the high surrogates of astral digits. It is a superset with few ranges because V8's regex
 * engine scans two-byte strings ~8× slower with the exact 70-range class than with a dozen
 * ranges (measured on the chat corpus: 700 vs 90 ns per message); the scanner checks each hit
 * against the exact table.
 */
function gapBefore(ranges: ReadonlyArray<readonly [number, number]>, k: number): number {
  return ranges[k]![0] - ranges[k - 1]![1];
}

function toRanges(units: Iterable<number>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const unit of [...new Set(units)].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last !== undefined && unit === last[1] + 1) last[1] = unit;
    else ranges.push([unit, unit]);
  }
  return ranges;
}

/** Merge across the smallest gaps until at most `max` ranges remain. */
function coarsen(ranges: Array<[number, number]>, max: number): Array<[number, number]> {
  while (ranges.length > max) {
    let best = 1;
    for (let k = 2; k < ranges.length; k++) {
      if (gapBefore(ranges, k) < gapBefore(ranges, best)) best = k;
    }
    ranges[best - 1]![1] = ranges[best]![1];
    ranges.splice(best, 1);
  }
  return ranges;
}

/** Every digit code point past ASCII (all scripts), ascending. */
export const NON_ASCII_DIGITS: readonly number[] = Object.freeze(digitCodePoints.filter((cp) => cp >= ASCII_LIMIT));

function buildCandidateSource(): string {
  const bmp = NON_ASCII_DIGITS.filter((cp) => cp < PLANE_SIZE);
  const highSurrogates = NON_ASCII_DIGITS.filter((cp) => cp >= PLANE_SIZE).map((cp) => String.fromCodePoint(cp).charCodeAt(0));
  // The high surrogates stay exact, so emoji (U+1F300–U+1F6FF: D83C, D83D) are no candidates.
  const ranges = [
    ...coarsen(toRanges(bmp), CANDIDATE_MAX_RANGES),
    ...toRanges(highSurrogates),
  ];
  const hex = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;
  return `[${ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('')}]`;
}

/** A class (regex source, no `u` flag) matching at least every code unit that can begin a non-ASCII digit. */
export const NON_ASCII_CANDIDATE_CLASS: string = buildCandidateSource();

/** The body of a regex class (no brackets) of the first 256 code points whose class passes. */
function latin1ClassBody(predicate: (cls: number) => boolean): string {
  const units: number[] = [];
  for (let unit = 0; unit < LATIN1_LIMIT; unit++) if (predicate(BMP[unit] ?? OTHER)) units.push(unit);
  return units.map((unit) => `\\x${unit.toString(16).padStart(2, '0')}`).join('');
}

/** The digits among the first 256 code points (only ASCII 0–9), as a regex class. */
export const LATIN1_DIGIT_CLASS = `[${latin1ClassBody((cls) => cls < SEPARATOR)}]`;
/** The separators among the first 256 code points (tab, space, `.,-/`, NBSP, soft hyphen), as a class body. */
export const LATIN1_SEPARATOR_BODY: string = latin1ClassBody((cls) => cls === SEPARATOR);

