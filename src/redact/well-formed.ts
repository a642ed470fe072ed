/**
 * Well-formed text before anything else (SPEC §1): a lone surrogate is no code point, so each one
 * becomes U+FFFD before the scanner reads the text. Without this, deleting `1234567` from
 * `"\ud835" + "1234567" + "\udfcf"` joined the two halves into `𝟏` (U+1D7CF, a digit), and a number
 * could be smuggled through one digit at a time.
 *
 * A stream holds a high surrogate that ends a chunk until the next chunk says what it is: the
 * first half of a pair split across chunks, or a lone one. The byte path's counterpart is
 * `well-formed-bytes.ts`.
 *
 * @module
 */
import { isHighSurrogate } from './unicode.js';

const REPLACEMENT_CHARACTER = '\ufffd';
/** Any surrogate code unit (no `u` flag: units, not code points). */
const SURROGATE = /[\ud800-\udfff]/;
/** Code units from which {@link toWellFormed} asks `isWellFormed` at once. */
const LONG_TEXT = 1024;

/**
 * `text` with each lone surrogate replaced by U+FFFD; the same string when there is none. Every
 * UTF-16 offset stays where it was (one unit for one unit).
 *
 * @example
 * ```ts
 * toWellFormed('\ud835' + '1234567' + '\udfcf'); // '\ufffd1234567\ufffd'
 * ```
 */
export function toWellFormed(text: string): string {
  // A long text is read by `isWellFormed` alone; a short one by a regex that looks for a surrogate
  // first (an earlier Node 20's `isWellFormed` took 7–28 ms on 4 MB of chat in 4 KiB chunks where
  // the regex took 1.6). StreamRedactor against one-shot redact() of the joined corpus, fresh
  // processes (bench/micro/engine-processes.js, 4 a build, load ~14): 4,096-character chunks
  // 0.77× → 0.87× on Node 20, 0.74× → 0.81× on Node 26 with `isWellFormed`; at 64 characters it
  // measured 0.68× → 0.51× on Node 26, so short texts keep the regex (with this cut-off: 4,096
  // 0.74× → 0.84×, 0.66× → 0.79×; 64 0.70× → 0.70×, 0.52× → 0.59×).
  if (text.length < LONG_TEXT) return !SURROGATE.test(text) || text.isWellFormed() ? text : text.toWellFormed();
  return text.isWellFormed() ? text : text.toWellFormed();
}

/**
 * Makes a stream of UTF-16 chunks well-formed, split anywhere: a high surrogate at a chunk's end
 * is held until the next chunk (or the end) says whether a low one follows it.
 *
 * @example
 * ```ts
 * const chunks = new WellFormedChunks();
 * chunks.push('a\ud835'); // 'a'
 * chunks.push('\udfcfb'); // '𝟏b'
 * chunks.push('c\ud835'); // 'c'
 * chunks.end(); // '\ufffd'
 * ```
 */
export class WellFormedChunks {
  /** A high surrogate that ended the last chunk, or `''`. */
  #high = '';

  /** Units held back right now (0 or 1). */
  get heldLength(): number {
    return this.#high.length;
  }

  /** The well-formed text that `chunk` completes. */
  push(chunk: string): string {
    let text = this.#high === '' ? chunk : this.#high + chunk;
    this.#high = '';
    if (text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.#high = text.slice(-1);
      text = text.slice(0, -1);
    }
    return toWellFormed(text);
  }

  /** End of input: a held high surrogate had no low one, and becomes U+FFFD. */
  end(): string {
    const held = this.#high;
    this.#high = '';
    return held === '' ? '' : REPLACEMENT_CHARACTER;
  }
}
