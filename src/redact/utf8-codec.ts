/**
 * UTF-8: bytes, carried as a Latin-1 string (one character per byte), so that a Buffer becomes a
 * string and back by a plain copy. The finder is the WebAssembly byte finder (`byte-finder.ts`);
 * only the code points at its hits are decoded.
 *
 * The scanner reads only well-formed bytes (`well-formed-bytes.ts` replaces ill-formed sequences
 * first); an ill-formed sequence would read as one byte of class `OTHER`.
 *
 * @module
 */
import { WIDTH_SHIFT, type Codec } from './codec.js';
import { createByteFinder } from './byte-finder.js';
import { BMP, OTHER, classifyCodePoint } from './unicode.js';

const ASCII_LIMIT = 0x80;
const LATIN1_LIMIT = 0x100;
const CONTINUATION_FIRST = 0x80;
const CONTINUATION_LAST = 0xbf;
const CONTINUATION_BITS = 0x3f;
const ONE_BYTE = 1 << WIDTH_SHIFT;

/** RFC 3629 §4: a lead byte's sequence length and the range its second byte must fall in. */
function describeLead(lead: number): { length: number; secondFirst: number; secondLast: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, secondFirst: 0x80, secondLast: 0xbf };
  if (lead === 0xe0) return { length: 3, secondFirst: 0xa0, secondLast: 0xbf };
  if (lead === 0xed) return { length: 3, secondFirst: 0x80, secondLast: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, secondFirst: 0x80, secondLast: 0xbf };
  if (lead === 0xf0) return { length: 4, secondFirst: 0x90, secondLast: 0xbf };
  if (lead === 0xf4) return { length: 4, secondFirst: 0x80, secondLast: 0x8f };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, secondFirst: 0x80, secondLast: 0xbf };
  return undefined;
}

/** Lead bytes, indexed by byte: sequence length (0: not a lead), and the second byte's range. */
const LEAD_LENGTH = new Uint8Array(LATIN1_LIMIT);
const SECOND_FIRST = new Uint8Array(LATIN1_LIMIT);
const SECOND_LAST = new Uint8Array(LATIN1_LIMIT);
for (let byte = 0; byte < LATIN1_LIMIT; byte++) {
  const lead = describeLead(byte);
  if (lead === undefined) continue;
  LEAD_LENGTH[byte] = lead.length;
  SECOND_FIRST[byte] = lead.secondFirst;
  SECOND_LAST[byte] = lead.secondLast;
}

const isContinuation = (byte: number): boolean => byte >= CONTINUATION_FIRST && byte <= CONTINUATION_LAST;

/** Packed class and width of the well-formed sequence at `i`, or one `OTHER` byte. */
function decodeAt(text: string, i: number): number {
  const lead = text.charCodeAt(i);
  if (lead < ASCII_LIMIT) return (BMP[lead] ?? OTHER) | ONE_BYTE;
  const length = LEAD_LENGTH[lead] ?? 0;
  if (length === 0) return OTHER | ONE_BYTE;
  const second = text.charCodeAt(i + 1);
  if (!(second >= (SECOND_FIRST[lead] ?? 0) && second <= (SECOND_LAST[lead] ?? 0))) return OTHER | ONE_BYTE;
  let codePoint = ((lead & (0xff >> (length + 1))) << 6) | (second & CONTINUATION_BITS);
  for (let k = 2; k < length; k++) {
    const next = text.charCodeAt(i + k);
    if (!isContinuation(next)) return OTHER | ONE_BYTE;
    codePoint = (codePoint << 6) | (next & CONTINUATION_BITS);
  }
  return classifyCodePoint(codePoint) | (length << WIDTH_SHIFT);
}

/** The UTF-8 codec. */
export const utf8: Codec = {
  maxUnitsPerCodePoint: 4,

  createFinder: createByteFinder,

  classAt: decodeAt,

  classBefore(text, k) {
    const last = text.charCodeAt(k - 1);
    if (last < ASCII_LIMIT) return (BMP[last] ?? OTHER) | ONE_BYTE;
    for (let back = 2; back <= 4 && k - back >= 0; back++) {
      const lead = text.charCodeAt(k - back);
      if (isContinuation(lead)) continue;
      const packed = decodeAt(text, k - back);
      return packed >>> WIDTH_SHIFT === back ? packed : OTHER | ONE_BYTE;
    }
    return OTHER | ONE_BYTE;
  },

  codePointStart(text, k) {
    if (!isContinuation(text.charCodeAt(k))) return k;
    for (let back = 1; back <= 3 && k - back >= 0; back++) {
      const lead = text.charCodeAt(k - back);
      if (isContinuation(lead)) continue;
      return decodeAt(text, k - back) >>> WIDTH_SHIFT > back ? k - back : k;
    }
    return k;
  },

  encode: (text) => Buffer.from(text, 'utf8').toString('latin1'),
};

/** Bytes of the sequence that the lead byte `byte` begins (RFC 3629), or 0 for no lead byte. */
export function sequenceLength(byte: number): number {
  return LEAD_LENGTH[byte] ?? 0;
}
