/**
 * Well-formed bytes before anything else (SPEC §1): each ill-formed UTF-8 sequence becomes
 * U+FFFD (`EF BF BD`) before the scanner reads the bytes, the way the WHATWG Encoding standard's
 * decoder replaces them (one U+FFFD per maximal subpart). Without this, deleting `0000000` from
 * the bytes `D9 30 30 30 30 30 30 30 A1` joined `D9 A1` into `١` (U+0661, a digit).
 *
 * A stream holds the first bytes of a sequence that ends a chunk (at most three) until the next
 * chunk completes it or shows that it is ill-formed. Well-formed chunks — nearly all — cost one
 * vectorised check (`isUtf8`) and are passed on as the same Buffer.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { sequenceLength } from './utf8-codec.js';

const EMPTY = Buffer.alloc(0);
const CONTINUATION_FIRST = 0x80;
const CONTINUATION_LAST = 0xbf;
/** The most bytes of a sequence that can end a chunk unfinished: three of a four-byte one. */
const MAX_UNFINISHED = 3;
// `ignoreBOM`: a byte order mark is text here (a separator), kept like every other code point.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bytes at the end of `bytes` that begin a sequence the next chunk may complete. */
function unfinishedTail(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= MAX_UNFINISHED && end - back >= 0; back++) {
    const byte = bytes[end - back]!;
    if (byte >= CONTINUATION_FIRST && byte <= CONTINUATION_LAST) continue;
    return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

/**
 * `bytes` with each ill-formed sequence replaced by `EF BF BD`; the same Buffer when there is
 * none.
 *
 * @example
 * ```ts
 * toWellFormedBytes(Buffer.from([0xd9, 0x30, 0xa1])); // <Buffer ef bf bd 30 ef bf bd>
 * ```
 */
export function toWellFormedBytes(bytes: Buffer): Buffer {
  return isUtf8(bytes) ? bytes : Buffer.from(decoder.decode(bytes), 'utf8');
}

/**
 * Makes a stream of UTF-8 chunks well-formed, split anywhere; the output, joined, is the
 * well-formed form of the input joined.
 *
 * @example
 * ```ts
 * const chunks = new WellFormedByteChunks();
 * chunks.push(Buffer.from([0x61, 0xf0, 0x9d])); // 'a'
 * chunks.push(Buffer.from([0x9f, 0x8f])); // '𝟏'
 * chunks.push(Buffer.from([0xd9])); // ''
 * chunks.end(); // EF BF BD
 * ```
 */
export class WellFormedByteChunks {
  /** The unfinished sequence that ended the last chunk (a copy). */
  #unfinished: Buffer = EMPTY;

  /** Bytes held back right now (0–3). */
  get heldLength(): number {
    return this.#unfinished.length;
  }

  /** The well-formed bytes that `chunk` completes. */
  push(chunk: Buffer): Buffer {
    let bytes = this.#unfinished.length === 0 ? chunk : Buffer.concat([this.#unfinished, chunk]);
    const tail = unfinishedTail(bytes);
    if (tail > 0) {
      this.#unfinished = Buffer.from(bytes.subarray(bytes.length - tail));
      bytes = bytes.subarray(0, bytes.length - tail);
    } else {
      this.#unfinished = EMPTY;
    }
    return toWellFormedBytes(bytes);
  }

  /** End of input: an unfinished sequence is ill-formed, and becomes U+FFFD. */
  end(): Buffer {
    const held = this.#unfinished;
    this.#unfinished = EMPTY;
    return held.length === 0 ? EMPTY : toWellFormedBytes(held);
  }
}
