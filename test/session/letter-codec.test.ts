import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LETTER_ALPHABET, decodeLetters, encodeLetters } from '../../src/session/letter-codec.js';

describe('letter codec', () => {
  it('has 32 distinct letters and no digit', () => {
    expect(new Set(LETTER_ALPHABET).size).toBe(32);
    expect(LETTER_ALPHABET).toMatch(/^[a-zA-Z]+$/);
  });

  it('packs five bits a letter, most significant first (RFC 4648 §6 order)', () => {
    expect(encodeLetters(new Uint8Array())).toBe('');
    expect(encodeLetters(Uint8Array.of(0))).toBe('aa');
    expect(encodeLetters(Uint8Array.of(0xff))).toBe('FC');
    expect(encodeLetters(Uint8Array.of(0, 255))).toBe('adFq');
    // 'f' (0x66) is 01100 110(00): letters 12 and 24.
    expect(encodeLetters(Uint8Array.of(0x66))).toBe(`${LETTER_ALPHABET[12]}${LETTER_ALPHABET[24]}`);
  });

  it('property: decodes what it encodes, in letters only, ceil(8n / 5) of them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeLetters(bytes);
        expect(text).toMatch(/^[a-zA-F]*$/);
        expect(text.length).toBe(Math.ceil((bytes.length * 8) / 5));
        expect(decodeLetters(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses anything it did not write: foreign characters, digits, non-zero leftover bits', () => {
    expect(decodeLetters('ab1')).toBeUndefined();
    expect(decodeLetters('aa=')).toBeUndefined();
    expect(decodeLetters('aaZ')).toBeUndefined();
    expect(decodeLetters('aé')).toBeUndefined();
    // One byte is 8 bits in two letters (10 bits): the last two bits must be zero.
    expect(decodeLetters('FC')).toEqual(Uint8Array.of(0xff));
    expect(decodeLetters('FD')).toBeUndefined();
    // A lone letter carries 5 bits, no whole byte, and cannot be a canonical encoding.
    expect(decodeLetters('a')).toBeUndefined();
  });

  it('property: any string either decodes to bytes that encode back to it, or is refused', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-zA-F]{0,40}$/)), (text) => {
        const bytes = decodeLetters(text);
        if (bytes !== undefined) expect(encodeLetters(bytes)).toBe(text);
      }),
    );
  });
});
