/**
 * The byte finder of the UTF-8 path, in AssemblyScript, compiled to WebAssembly by `npm run build`
 * (`dist/redact/byte-finder.wasm`). It is a pre-filter, not a policy: it returns the next place in
 * a window of bytes where a number combination may begin, and the scanner's exact walk decides.
 * It holds no table of its own: `src/redact/byte-finder.ts` writes every table into memory from
 * the engine's Unicode classes before the first call.
 *
 * A place is a candidate exactly where the regex finder it replaced matched (a property test
 * holds the two to the same positions):
 * - A: an ASCII digit that starts `minDigits` ASCII digits, each two apart by at most `maxGap`
 *   gap units (an ASCII separator, or one UTF-8 sequence past ASCII whatever it encodes);
 * - C: the first bytes of a non-ASCII digit (two bytes, three for a four-byte sequence).
 *
 * SIMD skips the 16-byte blocks that hold neither an ASCII digit nor a lead byte of a non-ASCII
 * digit: most of a chat or a log. On the chat corpus it runs 4–6× as fast as the regex finder:
 * 1.7 GB/s of CPU time against 0.29 (Node 20) and 0.32 (Node 26), quiet machine
 * (bench/micro/byte-finder.js).
 */

/** Byte classes, one byte per byte value; values as in `byte-finder.ts`'s `ByteKind`. */
export const BYTE_KINDS_AT: i32 = 0;
/** Two 16-byte tables, low nibble then high nibble, whose AND is non-zero at every candidate lead. */
export const NIBBLES_AT: i32 = 256;
/** 65,536 bytes indexed by `b0 << 8 | b1`: 1 = a digit prefix, 2 = one if the third byte says so. */
export const PAIRS_AT: i32 = 1024;
/** 32,768 bytes indexed by `(b0 & 7) << 12 | (b1 & 63) << 6 | (b2 & 63)`: 1 = a digit prefix. */
export const TRIPLES_AT: i32 = PAIRS_AT + 65536;
/** Where the window of text begins; every offset passed in counts from here. */
export const TEXT_AT: i32 = TRIPLES_AT + 32768;

const KIND_DIGIT: u8 = 1;
const KIND_SEPARATOR: u8 = 2;
const KIND_CONTINUATION: u8 = 3;
const KIND_LEAD_2: u8 = 4;
const KIND_LEAD_3: u8 = 5;
const KIND_LEAD_4: u8 = 6;
const PAIR_PREFIX: u8 = 1;
const PAIR_NEEDS_THIRD: u8 = 2;
const BLOCK: i32 = 16;
const NOT_FOUND: i32 = -1;

@inline
function kindAt(at: i32): u8 {
  return load<u8>(BYTE_KINDS_AT + <i32>load<u8>(TEXT_AT + at));
}

/** Bytes of the gap unit at `at` (an ASCII separator or a whole UTF-8 sequence), or 0 for none. */
@inline
function gapUnitLength(at: i32): i32 {
  const kind = kindAt(at);
  if (kind == KIND_SEPARATOR) return 1;
  let length = 0;
  if (kind == KIND_LEAD_2) length = 2;
  else if (kind == KIND_LEAD_3) length = 3;
  else if (kind == KIND_LEAD_4) length = 4;
  else return 0;
  for (let k = 1; k < length; k++) if (kindAt(at + k) != KIND_CONTINUATION) return 0;
  return length;
}

/** Alternative A at the ASCII digit `at`. */
function startsDigits(at: i32, minDigits: i32, maxGap: i32): bool {
  let i = at + 1;
  for (let digits = 1; digits < minDigits; digits++) {
    for (let gap = 0; kindAt(i) != KIND_DIGIT; gap++) {
      if (gap == maxGap) return false;
      const length = gapUnitLength(i);
      if (length == 0) return false;
      i += length;
    }
    i += 1;
  }
  return true;
}

/** Alternative C at the lead byte `at`. */
function startsNonAsciiDigit(at: i32): bool {
  const b0 = <i32>load<u8>(TEXT_AT + at);
  const b1 = <i32>load<u8>(TEXT_AT + at + 1);
  const pair = load<u8>(PAIRS_AT + ((b0 << 8) | b1));
  if (pair == PAIR_PREFIX) return true;
  if (pair != PAIR_NEEDS_THIRD) return false;
  const b2 = <i32>load<u8>(TEXT_AT + at + 2);
  return load<u8>(TRIPLES_AT + (((b0 & 7) << 12) | ((b1 & 63) << 6) | (b2 & 63))) == PAIR_PREFIX;
}

/**
 * The first candidate in `[from, limit)` of the window, or -1. Bytes up to `limit` plus the
 * longest candidate are in the window, and 16 zero bytes follow its data (zero is no candidate,
 * no separator, no continuation), so the block loads and the walks never need a bound.
 */
export function find(from: i32, limit: i32, minDigits: i32, maxGap: i32): i32 {
  const lowNibbles = v128.load(NIBBLES_AT);
  const highNibbles = v128.load(NIBBLES_AT + BLOCK);
  const lowMask = i8x16.splat(0x0f);
  const zero = i8x16.splat(0);
  for (let block = from; block < limit; block += BLOCK) {
    const bytes = v128.load(TEXT_AT + block);
    const low = i8x16.swizzle(lowNibbles, v128.and(bytes, lowMask));
    const high = i8x16.swizzle(highNibbles, i8x16.shr_u(bytes, 4));
    let hits = i8x16.bitmask(i8x16.ne(v128.and(low, high), zero));
    while (hits != 0) {
      const at = block + ctz<i32>(hits);
      if (at >= limit) return NOT_FOUND;
      const kind = kindAt(at);
      if (kind == KIND_DIGIT ? startsDigits(at, minDigits, maxGap) : startsNonAsciiDigit(at)) return at;
      hits &= hits - 1;
    }
  }
  return NOT_FOUND;
}
