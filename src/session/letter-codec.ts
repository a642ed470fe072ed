/**
 * Bytes written with letters only: session tokens reach the widget, its storage and perhaps a
 * log, and a token with digits in it could hold a run that a check or a scrubber takes for a
 * number (and deletes, breaking the token). Base32 (RFC 4648 §6 bit packing) over an alphabet of
 * 32 letters: 5 bits a character, no padding.
 *
 * @module
 */

/** The 32 symbols, in value order. No digit; `a`–`z` then `A`–`F`. */
export const LETTER_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEF';
/** Bits one letter carries. */
export const LETTER_BITS = 5;
const BITS_PER_SYMBOL = LETTER_BITS;
const BITS_PER_BYTE = 8;
const SYMBOL_MASK = 0b11111;
const BYTE_MASK = 0xff;
const INVALID = -1;

const VALUES = new Int8Array(128).fill(INVALID);
for (let value = 0; value < LETTER_ALPHABET.length; value += 1) VALUES[LETTER_ALPHABET.charCodeAt(value)] = value;

/**
 * `bytes` as letters.
 *
 * @example
 * ```ts
 * encodeLetters(Uint8Array.of(0, 255)); // 'adFq'
 * ```
 */
export function encodeLetters(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << BITS_PER_BYTE) | byte;
    bits += BITS_PER_BYTE;
    while (bits >= BITS_PER_SYMBOL) {
      bits -= BITS_PER_SYMBOL;
      out += LETTER_ALPHABET[(buffer >> bits) & SYMBOL_MASK];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += LETTER_ALPHABET[(buffer << (BITS_PER_SYMBOL - bits)) & SYMBOL_MASK];
  return out;
}

/**
 * The bytes `text` encodes, or `undefined` when it is not letters of the alphabet written by
 * {@link encodeLetters} (a foreign character, or leftover bits that are not zero).
 */
export function decodeLetters(text: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * BITS_PER_SYMBOL) / BITS_PER_BYTE));
  let buffer = 0;
  let bits = 0;
  let length = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const value = code < VALUES.length ? VALUES[code]! : INVALID;
    if (value === INVALID) return undefined;
    buffer = (buffer << BITS_PER_SYMBOL) | value;
    bits += BITS_PER_SYMBOL;
    if (bits >= BITS_PER_BYTE) {
      bits -= BITS_PER_BYTE;
      out[length++] = (buffer >> bits) & BYTE_MASK;
    }
    buffer &= (1 << bits) - 1;
  }
  // A canonical encoding leaves fewer than 5 bits over, all zero; anything else was altered.
  if (bits >= BITS_PER_SYMBOL || buffer !== 0) return undefined;
  return out.subarray(0, length);
}
