/**
 * The policy's character classes as code point ranges: read from the running engine's own
 * Unicode data (`\p{…}`) by scanning a string of every code point of the planes that hold digits
 * or separators, and packed into the short lists of numbers `unicode-data.ts` holds.
 *
 * Two readers: `scripts/generate-unicode-data.ts`, which scans and writes `unicode-data.ts` (the
 * tables the engine loads), and `unicode.ts`, which unpacks that file and scans at load only where
 * the running engine may know a newer Unicode than the file (see there). A scan takes 14 ms on
 * Node 20 and 8.5 ms on Node 26 (wall, the median of 9 fresh processes at real-time priority on
 * the shared 2-core machine), against 32 ms for the scan the engine ran at every import before.
 *
 * @module
 */

/** A run of code points of one class, `first` through `last`. */
export type CodePointRange = readonly [first: number, last: number];

/** The classes' code points as ascending, disjoint, maximal ranges. */
export interface ClassRanges {
  /** Digits: each range is one or more runs of ten (Nd comes so), values 0–9 from its first. */
  readonly digits: readonly CodePointRange[];
  readonly separators: readonly CodePointRange[];
}

/**
 * Code points whose compatibility form (NFKC) is one separator of the base set: full-width
 * `，－．／` (U+FF0C–U+FF0F), the small forms (U+FE50, U+FE52, U+FE58, U+FE63), the vertical
 * presentation forms (U+FE10, U+FE31, U+FE32), the one-dot leader U+2024, super- and subscript
 * minus (U+207B, U+208B) and the half-width sound marks (U+FF9E, U+FF9F, combining marks once
 * normalised). Written out rather than derived: a `normalize` call per code point of the three
 * planes with classes took 45 ms (Node 20); the test suite derives the list from NFKC for every
 * code point (`test/redact/unicode.test.ts`).
 */
const COMPATIBILITY_SEPARATORS = String.raw`\u2024\u207b\u208b\ufe10\ufe31\ufe32\ufe50\ufe52\ufe58\ufe63\uff0c-\uff0f\uff9e\uff9f`;
/** The Arabic comma, decimal separator, thousands separator and five-pointed star (U+060C, U+066B–U+066D). */
const ARABIC_SEPARATORS = String.raw`\u060c\u066b-\u066d`;

/**
 * The separator set of the policy: tab, every `Zs`, `. , - /`, dashes, minus, every `Cf` and `M`,
 * the code points whose NFKC form is one of those, and the Arabic separators. The one definition
 * of it: every table the engine reads (strings, bytes, WebAssembly, the browser) comes from it.
 */
export const SEPARATOR_PATTERN = String.raw`[\t\p{Zs}.,\-/\u2010-\u2015\u2212\p{Cf}\p{M}${COMPATIBILITY_SEPARATORS}${ARABIC_SEPARATORS}]`;
/** A digit in any script. */
export const DIGIT_PATTERN = String.raw`\p{Nd}`;

const PLANE_SIZE = 0x10000;
const SURROGATE_FIRST = 0xd800;
const SURROGATE_LAST = 0xdfff;
const LOW_SURROGATE_FIRST = 0xdc00;
/** Stands in the BMP string for each surrogate, which a string cannot hold alone: a letter, no class in any version. */
const STAND_IN = 0x41;
/**
 * Only planes 0, 1 and 14 hold digits or separators (plane 1: most astral scripts, mathematical
 * digits and marks; plane 14: tag characters and variation selectors). The test suite checks
 * every code point of every plane against `\p{…}` so a future Unicode version cannot slip by.
 */
export const PLANES_WITH_CLASSES = [0, 1, 14] as const;

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

/**
 * The runs of a class in one plane's string, appended to `ranges`. One regex pass over the whole
 * plane is ~50× faster than a test per code point, and a run per match (`+`) rather than a code
 * point per match cuts the separators' matches from 2,762 to 359 (Unicode 17).
 */
function collectRuns(text: string, plane: number, pattern: string, ranges: CodePointRange[]): void {
  const unitsPerCodePoint = plane === 0 ? 1 : 2;
  for (const match of text.matchAll(new RegExp(`${pattern}+`, 'gu'))) {
    const first = plane * PLANE_SIZE + match.index / unitsPerCodePoint;
    ranges.push([first, first + match[0].length / unitsPerCodePoint - 1]);
  }
}

/** Scan the running engine's Unicode data for the policy's classes. */
export function scanClassRanges(): ClassRanges {
  const digits: CodePointRange[] = [];
  const separators: CodePointRange[] = [];
  for (const plane of PLANES_WITH_CLASSES) {
    const text = planeText(plane);
    collectRuns(text, plane, DIGIT_PATTERN, digits);
    collectRuns(text, plane, SEPARATOR_PATTERN, separators);
  }
  return { digits, separators };
}

/**
 * Ranges as a flat list of numbers: for each range, its distance from the end of the one before
 * (from U+0000 for the first) and its length. Small numbers, so the generated file and the
 * browser bundle stay small (359 separator ranges: 1.8 kB, 0.7 kB gzipped).
 */
export function packRanges(ranges: readonly CodePointRange[]): number[] {
  const packed: number[] = [];
  let next = 0;
  for (const [first, last] of ranges) {
    packed.push(first - next, last - first + 1);
    next = last + 1;
  }
  return packed;
}

/** The ranges of {@link packRanges}' list. */
export function unpackRanges(packed: readonly number[]): CodePointRange[] {
  const ranges: CodePointRange[] = [];
  let next = 0;
  for (let k = 0; k + 1 < packed.length; k += 2) {
    const first = next + packed[k]!;
    next = first + packed[k + 1]!;
    ranges.push([first, next - 1]);
  }
  return ranges;
}
