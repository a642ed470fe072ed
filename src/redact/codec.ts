/**
 * How the scanner reads code points out of a string of code units. Two encodings share one
 * scanner: UTF-16 (JavaScript strings) and UTF-8 (bytes, carried as a Latin-1 string so that each
 * character is one byte and conversion both ways is a plain copy).
 *
 * Class lookups return the class and the code point's width in units packed into one number
 * (`class | width << WIDTH_SHIFT`), so the hot loops allocate nothing.
 *
 * @module
 */

/** Bits of a packed lookup that hold the class (0–9 digit value, separator, other). */
export const CLASS_MASK = 0xf;
/** Where the width (in code units) sits in a packed lookup. */
export const WIDTH_SHIFT = 4;

/** The class part of a packed lookup. */
export function classOf(packed: number): number {
  return packed & CLASS_MASK;
}

/** The width part of a packed lookup. */
export function widthOf(packed: number): number {
  return packed >>> WIDTH_SHIFT;
}

/**
 * Jumps to every place in a text where a number combination may begin: a pre-filter whose every
 * skip is safe (what it passes over holds no digit that could start or continue a sensitive
 * combination), settled by the scanner's exact walk.
 */
export interface Finder {
  /**
   * Search `text` from now on. Said once per text, so that telling a new text from the last one
   * costs no comparison: two chunks of equal content are equal strings to `===`, and comparing
   * them per candidate made repetitive input quadratic.
   */
  begin(text: string): void;
  /** Index of the first candidate in the text at or after `from`, or -1 when there is none. */
  next(from: number): number;
}

/**
 * An encoding as the scanner sees it. The scanner reads only well-formed text of whole code
 * points: its callers make text well-formed first and hold a code point split across chunks
 * (`well-formed.ts`, `well-formed-bytes.ts`).
 */
export interface Codec {
  /** Most code units one code point takes. */
  readonly maxUnitsPerCodePoint: number;
  /** A finder for a policy: jumps to every place a combination may be. */
  createFinder(minDigits: number, maxGap: number): Finder;
  /**
   * Packed class and width of the code point starting at `i`; an ill-formed sequence is one
   * unit of class `OTHER`.
   */
  classAt(text: string, i: number): number;
  /** Packed class and width of the code point ending at `k` (`k > 0`). */
  classBefore(text: string, k: number): number;
  /** Index where the code point holding the unit at `k` begins. */
  codePointStart(text: string, k: number): number;
  /** A JavaScript string (the replacement) in this codec's units. */
  encode(text: string): string;
}
