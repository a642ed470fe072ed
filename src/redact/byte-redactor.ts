/**
 * The streaming redactor for UTF-8 bytes.
 *
 * @module
 */
import type { KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';
import { CombinationScanner } from './scanner.js';
import { utf8 } from './utf8-codec.js';

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Redacts a stream of UTF-8 byte chunks, split anywhere (inside a character too), without
 * decoding them: bytes are scanned as they are, only the code points at possible numbers are
 * decoded, and everything else passes through unchanged — bytes that are not valid UTF-8
 * included. A chunk with nothing to delete comes back as the same Buffer.
 *
 * @example
 * ```ts
 * const redactor = new ByteRedactor();
 * const out = Buffer.concat([redactor.push(Buffer.from('tlf 98 76 ')), redactor.push(Buffer.from('54 32\n')), redactor.end()]);
 * out.toString(); // 'tlf \n'
 * ```
 */
export class ByteRedactor {
  readonly #scanner: CombinationScanner;

  constructor(policy?: PolicyOptions | Policy) {
    this.#scanner = new CombinationScanner(policy, utf8);
  }

  /** Combinations deleted so far. */
  get redactions(): number {
    return this.#scanner.redactions;
  }

  /** Deletions so far by kind. */
  get kinds(): KindCounts {
    return this.#scanner.kinds;
  }

  /** Bytes held back right now. */
  get heldLength(): number {
    return this.#scanner.heldLength;
  }

  /** The most bytes this redactor can ever hold back (193 for the default policy). */
  get maxHeldLength(): number {
    return this.#scanner.maxHeldLength;
  }

  /** Redact the next chunk; returns the bytes now safe to pass on (possibly none). */
  push(chunk: Uint8Array): Buffer {
    const bytes = asBuffer(chunk);
    const text = bytes.toString('latin1');
    const out = this.#scanner.push(text);
    // Nothing deleted or held: hand back the very same bytes, no copy.
    return out === text ? bytes : Buffer.from(out, 'latin1');
  }

  /** End of input: the bytes held back, redacted. */
  end(): Buffer {
    return Buffer.from(this.#scanner.end(), 'latin1');
  }
}
