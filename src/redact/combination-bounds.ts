/**
 * Where a number combination begins, found by walking back from one of its digits: for a finder
 * match (which may land on any digit of a combination whose start lies in an earlier part of the
 * text) and for the combination that may still be open at the end of a chunk.
 *
 * @module
 */
import { WIDTH_SHIFT, classOf, widthOf, type Codec } from './codec.js';
import { BMP, OTHER, SEPARATOR } from './unicode.js';

const ASCII_LIMIT = 0x80;
const ONE_UNIT = 1 << WIDTH_SHIFT;
/** Units after a combination read exactly before the finder is asked again ({@link findNearDigit}). */
export const NEAR_UNITS = 16;

/**
 * Index of the first digit of the combination with a digit at `at`, no further back than
 * `floor`.
 *
 * @example
 * ```ts
 * findCombinationStart(utf16, 3, 'tlf 98 76', 7, 0); // 4
 * ```
 */
export function findCombinationStart(codec: Codec, maxGap: number, text: string, at: number, floor: number): number {
  let start = at;
  let gap = 0;
  for (let k = at; k > floor; ) {
    const unit = text.charCodeAt(k - 1);
    // ASCII is one unit of the same class in every codec: no codec call.
    const packed = unit < ASCII_LIMIT ? (BMP[unit] ?? OTHER) | ONE_UNIT : codec.classBefore(text, k);
    k -= widthOf(packed);
    const cls = classOf(packed);
    if (cls < SEPARATOR) {
      start = k;
      gap = 0;
    } else if (cls === SEPARATOR && gap < maxGap) {
      gap += 1;
    } else {
      break;
    }
  }
  return start;
}

/**
 * The first digit of the combination at a finder match, or -1 for a candidate that is no
 * digit. A match begins on a digit, or on a unit that may begin one; it is leftmost, so an
 * earlier digit of the same combination would have matched first — the walk back is short.
 */
export function findMatchStart(codec: Codec, maxGap: number, text: string, index: number, floor: number): number {
  // Most hits are an ASCII digit: no codec call. Text where every other unit is a hit
  // ('1\ufffd' repeated) spends a third of its time here.
  const unit = text.charCodeAt(index);
  if (unit < ASCII_LIMIT) return (BMP[unit] ?? OTHER) < SEPARATOR ? findCombinationStart(codec, maxGap, text, index, floor) : -1;
  const at = codec.codePointStart(text, index);
  if (classOf(codec.classAt(text, at)) >= SEPARATOR) return -1;
  return findCombinationStart(codec, maxGap, text, at, floor);
}

/**
 * Where the combination that may continue in the next chunk begins: the first digit of the
 * last combination in `text[from, end)` when only up to `maxGap` separators follow it, else `end`.
 */
export function findOpenTailStart(codec: Codec, maxGap: number, text: string, from: number, end: number): number {
  for (let k = end, gap = 0; k > from; gap++) {
    const packed = codec.classBefore(text, k);
    const cls = classOf(packed);
    if (cls < SEPARATOR) return findCombinationStart(codec, maxGap, text, k - widthOf(packed), from);
    if (cls !== SEPARATOR || gap >= maxGap) return end;
    k -= widthOf(packed);
  }
  return end;
}

/**
 * The first digit in `text[from, limit)`, read exactly, or, when there is none, `~limit'` where
 * `limit'` is where the read stopped (`limit`, or past it when a code point straddles it): a
 * negative number either way, for the finder to go on from. The scanners read a few units this
 * way before they ask the finder again (see `NEAR_UNITS` in `scanner.ts`).
 */
export function findNearDigit(codec: Codec, text: string, from: number, limit: number): number {
  let k = from;
  while (k < limit) {
    const unit = text.charCodeAt(k);
    const packed = unit < ASCII_LIMIT ? (BMP[unit] ?? OTHER) | ONE_UNIT : codec.classAt(text, k);
    if (classOf(packed) < SEPARATOR) return k;
    k += widthOf(packed);
  }
  return ~k;
}
