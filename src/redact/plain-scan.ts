/**
 * One-shot redaction of a whole, well-formed string under a plain policy — nothing kept on
 * purpose (no `allow`, no `keep`, no `keepTimestamps`) — the policy of nearly every call of
 * `redact()`. It reads as the scanner does (`scanner.ts`: the same finder, walk back, exact walk
 * and near-digit read, the same counts) but holds nothing back and judges nothing: a combination
 * of `minDigits` digits is deleted when it ends, and the output is built by slices of the text.
 * The property tests hold it to the reference and to the streaming scanner
 * (`test/redact/redact.test.ts`, `test/redact/plain-scan.test.ts`).
 *
 * Why a second reader: the scanner's walk keeps its state in fields and writes through a sink,
 * for chunks that end anywhere, and closes each combination through the keep rules. Naive
 * replace's CPU time over `redact()`'s, fresh processes against the scanner in its place
 * (bench/micro/engine-processes.js, 8 a build, load ~11): messages with a number deleted 0.20× →
 * 0.24× on Node 20, 0.22× → 0.23× on Node 26; every message 0.59× → 0.60×, 0.75× → 0.79×.
 *
 * @module
 */
import { classOf, widthOf, type Finder } from './codec.js';
import { NEAR_UNITS, findMatchStart } from './combination-bounds.js';
import { CLASSIFY_DIGITS } from './kinds.js';
import type { Policy } from './policy.js';
import type { RedactionCounts } from './redaction-counts.js';
import { BMP, HIGH_SURROGATE, OTHER, SEPARATOR } from './unicode.js';
import { utf16 } from './utf16-codec.js';

const LATIN1_LIMIT = 0x100;
/** Units the near-digit read always reads: the densest hostile periods have a digit within them. */
const NEAR_UNITS_ALWAYS = 4;

/**
 * `findNearDigit` (`combination-bounds.ts`) of chat: past the first {@link NEAR_UNITS_ALWAYS}
 * units it stops at a Latin-1 letter (or any Latin-1 unit of class other), where the finder's
 * first alternative cannot run on, and leaves the rest to the finder. After a number in chat the
 * next digit is rarely near; the scanner's read of 16 units, and the walk of every short number
 * in them (a time, an amount) that the finder would have skipped, were the larger part of
 * PlainScan's cost per message. Naive replace's CPU over `redact()`'s, fresh processes against
 * the 16-unit read (bench/micro/engine-processes.js, 6 a build, load ~15): every message 0.63× →
 * 0.65× on Node 20, 0.83× → 0.87× on Node 26; a number deleted 0.20× → 0.23×, 0.24× → 0.24×.
 * The hostile periods of `bench/lib/hostile-inputs.js` per line stay under benign's time per byte.
 */
function findNearDigit(text: string, from: number, limit: number): number {
  const always = from + NEAR_UNITS_ALWAYS;
  let k = from;
  while (k < limit) {
    const unit = text.charCodeAt(k);
    const cls = BMP[unit]!;
    if (cls < SEPARATOR) return k;
    if (cls === HIGH_SURROGATE) {
      const packed = utf16.classAt(text, k);
      if (classOf(packed) < SEPARATOR) return k;
      k += widthOf(packed);
      continue;
    }
    if (cls === OTHER && k >= always && unit < LATIN1_LIMIT) return ~k;
    k += 1;
  }
  return ~k;
}

/** `true` when `policy` keeps no number on purpose: {@link PlainScan} may redact under it. */
export function isPlainPolicy(policy: Policy): boolean {
  return policy.allow.length === 0 && policy.keep.length === 0 && !policy.keepTimestamps;
}

/**
 * The one-shot reader of a plain policy.
 *
 * @example
 * ```ts
 * const counts = new RedactionCounts();
 * new PlainScan(createPolicy({}), counts).redact('ring 98 76 54 32', 5); // 'ring '
 * counts.kinds; // { phone: 1 }
 * ```
 */
export class PlainScan {
  readonly #finder: Finder;
  readonly #minDigits: number;
  readonly #maxGap: number;
  readonly #replacement: string;
  readonly #counts: RedactionCounts;
  /** Values of the combination's first digits, for its kind. */
  readonly #leading = new Uint8Array(CLASSIFY_DIGITS);
  /** Output so far, and where in the text the next range of it begins. */
  #out = '';
  #emitted = 0;

  /** @param counts where the deletions are counted (its owner resets it) */
  constructor(policy: Policy, counts: RedactionCounts) {
    this.#finder = utf16.createFinder(policy.minDigits, policy.maxGap);
    this.#minDigits = policy.minDigits;
    this.#maxGap = policy.maxGap;
    this.#replacement = policy.replacement;
    this.#counts = counts;
  }

  /**
   * `text` (well-formed) with every combination deleted; `first` is where the finder first
   * matches in it (no combination begins before it).
   */
  redact(text: string, first: number): string {
    const finder = this.#finder;
    const maxGap = this.#maxGap;
    const end = text.length;
    this.#out = '';
    this.#emitted = 0;
    finder.begin(text);
    let i = 0;
    let at = first;
    while (at >= 0) {
      const start = findMatchStart(utf16, maxGap, text, at, i);
      let near: number;
      if (start < 0) {
        near = findNearDigit(text, at + 1, Math.min(end, at + 1 + NEAR_UNITS));
      } else {
        i = this.#walk(text, start, end);
        for (near = findNearDigit(text, i, Math.min(end, i + NEAR_UNITS)); near >= 0; ) {
          i = this.#walk(text, near, end);
          near = findNearDigit(text, i, Math.min(end, i + NEAR_UNITS));
        }
      }
      at = near >= 0 ? near : ~near < end ? finder.next(~near) : -1;
    }
    const emitted = this.#emitted;
    if (emitted === 0) return text;
    const out = this.#out + text.slice(emitted);
    this.#out = '';
    return out;
  }

  /**
   * The exact walk of the combination whose first digit is `text[from]`: deletes and counts it
   * when it has `minDigits` digits; returns where it ended (its trailing gap is kept).
   */
  #walk(text: string, from: number, end: number): number {
    const maxGap = this.#maxGap;
    const leading = this.#leading;
    let digits = 0;
    let gap = 0;
    let afterDigit = from;
    let i = from;
    while (i < end) {
      // The BMP table first, the codec only for a surrogate pair: `classAt` and its packed
      // result took ~1.7× the time of this loop over the numbers of the chat corpus (14 units).
      // Naive replace's CPU over `redact()`'s, fresh processes (engine-processes.js, 5 a build):
      // a number deleted 0.23× → 0.27× on Node 20, 0.23× → 0.28× on Node 26; every message
      // 0.62× → 0.67×, 0.82× → 0.85× (with the same read in `findNearDigit` above).
      let cls = BMP[text.charCodeAt(i)]!;
      let width = 1;
      if (cls === HIGH_SURROGATE) {
        const packed = utf16.classAt(text, i);
        cls = classOf(packed);
        width = widthOf(packed);
      }
      if (cls < SEPARATOR) {
        if (digits < CLASSIFY_DIGITS) leading[digits] = cls;
        digits += 1;
        gap = 0;
        i += width;
        afterDigit = i;
      } else if (cls === SEPARATOR && gap < maxGap) {
        gap += 1;
        i += width;
      } else {
        break;
      }
    }
    if (digits >= this.#minDigits) {
      this.#out += text.slice(this.#emitted, from) + this.#replacement;
      this.#emitted = afterDigit;
      this.#counts.countDeletion(leading, digits);
    }
    return i;
  }
}
