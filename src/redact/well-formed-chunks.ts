/**
 * Chunks of UTF-16 made well-formed before a markup redactor reads them: a lone surrogate
 * becomes U+FFFD (as `String.prototype.toWellFormed` does), and a high surrogate that ends a
 * chunk waits for the next one, so that a pair split across chunks stays one character.
 *
 * @module
 */
import { isHighSurrogate } from './unicode.js';

const LONE_SURROGATE = /\p{Cs}/gu;
const REPLACEMENT_CHARACTER = '\u{FFFD}';

/**
 * Well-formed chunks from any chunks.
 *
 * @example
 * ```ts
 * const input = new WellFormedChunks();
 * input.push('a\ud835'); // 'a'
 * input.push('\udfce\udc00'); // '𝟎\ufffd'
 * input.end(); // ''
 * ```
 */
export class WellFormedChunks {
  #high = '';

  /** The chunk, well-formed, without a high surrogate at its end (kept for the next). */
  push(chunk: string): string {
    let text = this.#high === '' ? chunk : this.#high + chunk;
    this.#high = '';
    if (text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.#high = text.slice(-1);
      text = text.slice(0, -1);
    }
    return text.replace(LONE_SURROGATE, REPLACEMENT_CHARACTER);
  }

  /** End of input: a high surrogate still waiting is lone. */
  end(): string {
    const rest = this.#high === '' ? '' : REPLACEMENT_CHARACTER;
    this.#high = '';
    return rest;
  }
}
