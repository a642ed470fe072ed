/**
 * Every random id of the service is made here: a chat's conversation id, an action's opaque id,
 * the browser client's message ids. Letters only, because ids reach vendors, logs and the widget,
 * where a digit in one could read as part of a number and be deleted; drawn from the platform's
 * cryptographic source (Web Crypto, in Node and in browsers alike), so that no id can be guessed;
 * and unbiased, each letter equally likely. A leaf: it imports nothing.
 *
 * @module
 */

/** The letters an id is made of. */
export const ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/**
 * Bytes at or above this are drawn again: 256 is not a multiple of 26, and taking every byte
 * modulo 26 would make the first letters more likely (26 × 9 = 234).
 */
const BYTE_VALUES = 256;
const UNBIASED_BYTE_LIMIT = Math.floor(BYTE_VALUES / ID_LETTERS.length) * ID_LETTERS.length;
const SPARE_BYTES = 4;
/** The most `getRandomValues` gives at once (Web Crypto: 65,536 bytes). */
const MAX_RANDOM_BYTES = 65_536;

/**
 * `count` random letters, a–z.
 *
 * @example
 * ```ts
 * randomLetters(12); // 'qhzkwmpbtrea'
 * ```
 */
export function randomLetters(count: number): string {
  let id = '';
  while (id.length < count) {
    // Some bytes are drawn again; a few spare ones make a second draw rare.
    const bytes = new Uint8Array(Math.min(count - id.length + SPARE_BYTES, MAX_RANDOM_BYTES));
    for (const byte of globalThis.crypto.getRandomValues(bytes)) {
      if (byte < UNBIASED_BYTE_LIMIT && id.length < count) id += ID_LETTERS[byte % ID_LETTERS.length];
    }
  }
  return id;
}
