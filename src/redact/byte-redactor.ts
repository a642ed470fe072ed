/**
 * The streaming redactor for UTF-8 bytes.
 *
 * @module
 */
import { createByteFinder, type ByteFinder } from './byte-finder.js';
import { findOpenTailStart } from './combination-bounds.js';
import { resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import type { OutputSink } from './output-sink.js';
import { CountingRedactor } from './redaction-counts.js';
import { CombinationScanner } from './scanner.js';
import { utf8 } from './utf8-codec.js';
import { WellFormedByteChunks } from './well-formed-bytes.js';

const EMPTY = Buffer.alloc(0);

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Output as views of the input chunk: the scanned text is the chunk as Latin-1, possibly after a
 * few bytes carried over from the chunk before, so a range of it that lies in the chunk is a
 * `subarray` — nothing is re-encoded, and only the final `Buffer.concat` copies (measured: the
 * Latin-1 round trip spent 15% of the CLI's time flattening and re-encoding its output).
 */
class BufferSink implements OutputSink<Buffer> {
  #chunk: Buffer = EMPTY;
  /** Units of the scanned text before the chunk (bytes carried over). */
  #offset = 0;
  #parts: Buffer[] = [];

  bind(chunk: Buffer, textLength: number): void {
    this.#chunk = chunk;
    this.#offset = textLength - chunk.length;
  }

  unchanged(text: string, end: number): Buffer {
    if (this.#offset === 0 && end === this.#chunk.length) return this.#chunk;
    this.range(text, 0, end);
    return this.finish();
  }

  range(text: string, from: number, to: number): void {
    if (to <= from) return;
    const offset = this.#offset;
    if (from >= offset) {
      const whole = from === offset && to - offset === this.#chunk.length;
      this.#parts.push(whole ? this.#chunk : this.#chunk.subarray(from - offset, to - offset));
      return;
    }
    const carried = Math.min(to, offset);
    this.#parts.push(Buffer.from(text.slice(from, carried), 'latin1'));
    if (to > carried) this.#parts.push(this.#chunk.subarray(0, to - offset));
  }

  literal(units: string): void {
    if (units !== '') this.#parts.push(Buffer.from(units, 'latin1'));
  }

  finish(): Buffer {
    const parts = this.#parts;
    this.#parts = [];
    if (parts.length === 0) return EMPTY;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

/**
 * Redacts a stream of UTF-8 byte chunks, split anywhere (inside a character too), without
 * decoding them: bytes are scanned as they are, only the code points at possible numbers are
 * decoded, and everything else passes through unchanged — except that each ill-formed UTF-8
 * sequence becomes U+FFFD (`EF BF BD`) before the scan (SPEC §1, well-formed text), so that
 * deleting a number can never join the bytes around it into a new character. A well-formed
 * chunk with nothing to delete comes back as the same Buffer.
 *
 * @example
 * ```ts
 * const redactor = new ByteRedactor();
 * const out = Buffer.concat([redactor.push(Buffer.from('tlf 98 76 ')), redactor.push(Buffer.from('54 32\n')), redactor.end()]);
 * out.toString(); // 'tlf \n'
 * ```
 */
export class ByteRedactor extends CountingRedactor {
  readonly #sink = new BufferSink();
  readonly #wellFormed = new WellFormedByteChunks();
  readonly #scanner: CombinationScanner<Buffer>;
  /** The scanner's finder, shared: the pass-over reads it over the bytes themselves while the scanner is idle. */
  readonly #finder: ByteFinder;
  readonly #maxGap: number;
  /** Bytes at a chunk's end that can hold the gap and last digit of a combination still open. */
  readonly #tailBytes: number;
  /** Units the scanner carries over into the next push (a split character, a date-time's look-ahead). */
  #carried = 0;

  /** @throws `PolicyError` for invalid policy options */
  constructor(policy?: PolicyOptions | Policy) {
    super(() => this.#scanner.counts);
    const resolved = resolvePolicy(policy);
    const { minDigits, maxGap } = resolved;
    this.#finder = createByteFinder(minDigits, maxGap);
    this.#scanner = new CombinationScanner(resolved, utf8, this.#sink, this.#finder);
    this.#maxGap = maxGap;
    this.#tailBytes = utf8.maxUnitsPerCodePoint * (maxGap + 1);
  }

  /** Bytes held back right now. */
  get heldLength(): number {
    return this.#scanner.heldLength + this.#wellFormed.heldLength;
  }

  /** The most bytes this redactor can ever hold back (99 for the default policy). */
  get maxHeldLength(): number {
    return this.#scanner.maxHeldLength;
  }

  /**
   * Redact the next chunk; returns the bytes now safe to pass on (possibly none).
   *
   * The pass-over, as `StreamRedactor.push`'s: while no combination is open, the finder reads the
   * well-formed bytes themselves; bytes in which it finds nothing, and that end on no digit that
   * may go on, come back as they are, never turned into Latin-1 text; bytes it finds something in
   * are scanned from there (the scanner's `push` with `first`), in the window the finder loaded.
   * Against main's build (bench/micro/byte-chunks.js, 4 processes a build, load 9–14), CPU ms a
   * round of the 16 MiB chat corpus: 64-byte chunks 162 → 102 on Node 20, 106 → 102 on Node 26
   * (least round 117 → 85, 84 → 63); those without a digit or a byte past ASCII 32.7 → 25.3,
   * 31.4 → 23.0; 4 KiB and 64 KiB chunks ties (25.6 → 25.5 / 29.3 → 31.3, least 22.0 → 22.4 /
   * 18.8 → 18.7; 20.9 → 18.2 / 19.8 → 17.9). Hostile families in 64 KiB chunks stay at most 2.5×
   * benign's CPU a byte on either Node; a second run (6 processes, load 16): `١a` 1.65× → 1.62×
   * on Node 20, 1.60× → 2.03× on Node 26 (least round 1.54× → 1.66×, 1.76× → 1.91×; its own least
   * 20.1 → 21.3, 20.8 → 21.3 ms), lone surrogates around digits 1.93× → 2.24×, 1.96× → 1.91×.
   */
  push(chunk: Uint8Array): Buffer {
    const bytes = this.#wellFormed.push(asBuffer(chunk));
    if (!this.#scanner.isIdle) return this.#scan(bytes);
    const finder = this.#finder;
    finder.beginBytes(bytes);
    const found = finder.next(0);
    if (found < 0 && !this.#endsOpen(bytes)) {
      finder.beginBytes(EMPTY);
      return bytes;
    }
    // The scan's finder goes on in the window the pass-over loaded: the text is the same units.
    finder.expectTextOfBytes();
    return this.#scan(bytes, found < 0 ? bytes.length : found);
  }

  /**
   * Whether well-formed `bytes` end on a combination that may go on: read back over their last
   * code points only (a gap of `maxGap` and a digit), as Latin-1 text of those bytes.
   */
  #endsOpen(bytes: Buffer): boolean {
    const end = bytes.length;
    if (end === 0) return false;
    const tail = bytes.toString('latin1', Math.max(0, end - this.#tailBytes), end);
    return findOpenTailStart(utf8, this.#maxGap, tail, 0, tail.length) !== tail.length;
  }

  /** End of input: the bytes held back, redacted. */
  end(): Buffer {
    const rest = this.#wellFormed.end();
    const out = rest.length === 0 ? EMPTY : this.#scan(rest);
    this.#sink.bind(EMPTY, this.#carried);
    this.#carried = 0;
    const last = this.#scanner.end();
    return out.length === 0 ? last : last.length === 0 ? out : Buffer.concat([out, last]);
  }

  /**
   * Scan well-formed bytes of whole code points.
   * @param first where the finder first matches in `bytes`, asked while the scanner was idle; -1
   *   to let the scan ask
   */
  #scan(bytes: Buffer, first = -1): Buffer {
    this.#sink.bind(bytes, this.#carried + bytes.length);
    const out = this.#scanner.push(bytes.toString('latin1'), first);
    this.#carried = this.#scanner.pendingLength;
    return out;
  }
}
