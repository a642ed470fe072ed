/**
 * Character classes of the redaction policy, as lookup tables over code units and code points.
 *
 * Every code point falls in one class: a digit (General Category `Nd`, any script; the class
 * value is the digit's numeric value 0–9), a separator (horizontal whitespace, `. , - /`, the
 * dashes, minus, every `Cf` and every `M`, their compatibility forms and the Arabic separators),
 * or other (line breaks included).
 *
 * The tables are filled at load from ranges generated ahead of time and checked in
 * (`unicode-data.ts`, written from Node's own `\p{…}` data by `scripts/generate-unicode-data.ts`):
 * about 1 ms with the classes derived from them below. Reading them from the running engine at
 * every import instead, by scanning a string of each of planes 0, 1 and 14, took 32 of the 50 ms
 * the engine's import took; it takes 14–15 ms now on Node 20 and 26 (`bench/micro/engine-load.js`,
 * the README's entry point table).
 *
 * The running engine still decides where it may know more: when it reports a Unicode version
 * newer than the file's, or none (browsers; Bun and Deno by what their `process.versions` says),
 * the scan runs at load (`unicode-ranges.ts`: 8.5–14 ms) and its classes are added to the file's.
 * So the tables hold every digit and separator of the file's Unicode (the SPEC's set, also on an
 * older engine) and every one the running engine knows: exactly the engine's classes on a Node of
 * the file's version (Node 20.20 and 26 both have Unicode 17.0), and on an older Node the file's
 * superset, which differs only at code points that Node has unassigned
 * (`test/redact/unicode-data.test.ts` holds both and fails on a Node with a newer Unicode until
 * the file is written anew). Lazy tables were the other choice: they would have moved the scan
 * into the first `redact()` call and put a check on every hot path that reads a table.
 *
 * @module
 */
import { DIGIT_RANGES, SEPARATOR_RANGES, UNICODE_VERSION } from './unicode-data.js';
import { PLANES_WITH_CLASSES, scanClassRanges, unpackRanges, type ClassRanges, type CodePointRange } from './unicode-ranges.js';

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
/** Nd characters come in runs of ten with values 0–9 (a Unicode stability guarantee). */
const DIGITS_PER_RUN = 10;
const DIGIT_VALUES = Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

/**
 * Order of two Unicode versions (`'17.0'`, `'15.1'`): negative when `a` is older than `b`, 0 when
 * they are the same, positive when newer.
 */
export function compareUnicodeVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const difference = (pa[k] ?? 0) - (pb[k] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * `true` when an engine reporting `runtimeVersion` (Node's `process.versions.unicode`; `undefined`
 * where there is none) may know digits or separators that the generated ranges lack: a newer
 * Unicode, or one that cannot be told. A version that is no number counts as unknown.
 */
export function mayKnowNewerUnicode(runtimeVersion: unknown, tableVersion: string = UNICODE_VERSION): boolean {
  if (typeof runtimeVersion !== 'string' || !/^\d+(\.\d+)*$/.test(runtimeVersion)) return true;
  return compareUnicodeVersions(runtimeVersion, tableVersion) > 0;
}

/** The running engine's Unicode version, where it tells one (Node; browsers do not). */
const runtimeUnicodeVersion = (globalThis as { process?: { versions?: { unicode?: unknown } } }).process?.versions?.unicode;

/**
 * Mark the ranges' code points in the plane tables; digits get their value, counted in runs of
 * ten from each range's first. A range or a run of ten at a time (`fill`, `set`): a store per
 * code point was the largest part of the tables' build in profiles of the import on Node 26.
 */
function markRanges(planes: ReadonlyArray<Uint8Array | undefined>, ranges: readonly CodePointRange[], isDigit: boolean): void {
  for (const [first, last] of ranges) {
    for (let from = first; from <= last; from = (from | 0xffff) + 1) {
      const table = planes[from >>> 16];
      const to = Math.min(last, from | 0xffff);
      if (table === undefined) continue;
      if (!isDigit) table.fill(SEPARATOR, from & 0xffff, (to & 0xffff) + 1);
      else for (let cp = from; cp <= to; cp += DIGITS_PER_RUN) table.set(DIGIT_VALUES.subarray(0, to - cp + 1), cp & 0xffff);
    }
  }
}

/** The generated ranges, and the running engine's own where it may know more (see the module's header). */
function classSources(): ClassRanges[] {
  const generated = { digits: unpackRanges(DIGIT_RANGES), separators: unpackRanges(SEPARATOR_RANGES) };
  return mayKnowNewerUnicode(runtimeUnicodeVersion) ? [generated, scanClassRanges()] : [generated];
}

/** The plane tables (by plane number; `undefined` for a plane without classes) of the sources' classes together. */
export function buildPlanes(sources: readonly ClassRanges[]): Array<Uint8Array | undefined> {
  const planes: Array<Uint8Array | undefined> = Array.from({ length: PLANE_COUNT }, (_, plane) =>
    (PLANES_WITH_CLASSES as readonly number[]).includes(plane) ? new Uint8Array(PLANE_SIZE).fill(OTHER) : undefined,
  );
  for (const { separators } of sources) markRanges(planes, separators, false);
  // Digits last: a code point that one source has as a separator and another as Nd is a digit.
  for (const { digits } of sources) markRanges(planes, digits, true);
  const bmp = planes[0]!;
  bmp.fill(HIGH_SURROGATE, SURROGATE_FIRST, HIGH_SURROGATE_LAST + 1);
  bmp.fill(OTHER, LOW_SURROGATE_FIRST, SURROGATE_LAST + 1);
  return planes;
}

/** Every digit code point of the sources, ascending. */
function digitCodePoints(sources: readonly ClassRanges[]): number[] {
  const digits: number[] = [];
  for (const source of sources) for (const [first, last] of source.digits) for (let cp = first; cp <= last; cp++) digits.push(cp);
  // One source's ranges are ascending and disjoint; only two need merging (a Set and a sort, the
  // next largest part of the build in the same profiles).
  return sources.length === 1 ? digits : [...new Set(digits)].sort((a, b) => a - b);
}

const SOURCES = classSources();
const PLANES = buildPlanes(SOURCES);

/** Class of every BMP code unit; surrogates are `HIGH_SURROGATE` or `OTHER`. */
export const BMP: Uint8Array = PLANES[0]!;

/**
 * The astral planes' tables by plane number, `undefined` for a plane without digits or
 * separators: an array index takes 6.5 ns a code point against 12 for a `Map` lookup on Node 20,
 * 3.6 against 8.4 on Node 26 (bench/micro/counts.js).
 */
const ASTRAL: ReadonlyArray<Uint8Array | undefined> = PLANES;

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

/** The ranges `[first, last, first, last, …]` (ascending by first), joined where they touch or overlap. */
function toRanges(bounds: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let k = 0; k + 1 < bounds.length; k += 2) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && bounds[k]! <= last[1] + 1) last[1] = Math.max(last[1], bounds[k + 1]!);
    else ranges.push([bounds[k]!, bounds[k + 1]!]);
  }
  return ranges;
}

/** The first code unit of an astral code point's UTF-16 form. */
const highSurrogateOf = (codePoint: number): number => SURROGATE_FIRST + ((codePoint - PLANE_SIZE) >>> 10);

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
export const NON_ASCII_DIGITS: readonly number[] = Object.freeze(digitCodePoints(SOURCES).filter((cp) => cp >= ASCII_LIMIT));

function buildCandidateSource(): string {
  // From the digit ranges rather than from each digit: the import is the cost that counts here.
  const digitRanges = SOURCES.flatMap((source) => source.digits).sort((a, b) => a[0] - b[0]);
  const bmp: number[] = [];
  const highSurrogates: number[] = [];
  for (const [first, last] of digitRanges) {
    if (last < ASCII_LIMIT) continue;
    if (last < PLANE_SIZE) bmp.push(Math.max(first, ASCII_LIMIT), last);
    else highSurrogates.push(highSurrogateOf(first), highSurrogateOf(last));
  }
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

