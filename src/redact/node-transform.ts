/**
 * Redaction of byte streams (UTF-8) as a Node `Transform`.
 *
 * @module
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import type { KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';
import { StreamRedactor } from './stream-redactor.js';

/**
 * A `Transform` from UTF-8 bytes to redacted UTF-8 bytes, in constant memory. A UTF-8 sequence
 * split across chunks is joined before it is scanned. Bytes that are not valid UTF-8 come out as
 * U+FFFD, as with any UTF-8 decoding.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(process.stdin, new RedactTransform(), process.stdout);
 * ```
 */
export class RedactTransform extends Transform {
  readonly #decoder = new StringDecoder('utf8');
  readonly #redactor: StreamRedactor;

  constructor(policy?: PolicyOptions | Policy, options?: Omit<TransformOptions, 'transform' | 'flush'>) {
    super({ ...options, decodeStrings: true });
    this.#redactor = new StreamRedactor(policy);
  }

  /** Combinations deleted so far. */
  get redactions(): number {
    return this.#redactor.redactions;
  }

  /** Deletions so far by kind. */
  get kinds(): KindCounts {
    return this.#redactor.kinds;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = this.#redactor.push(this.#decoder.write(chunk));
    callback(null, out.length > 0 ? Buffer.from(out, 'utf8') : undefined);
  }

  override _flush(callback: TransformCallback): void {
    const out = this.#redactor.push(this.#decoder.end()) + this.#redactor.end();
    callback(null, out.length > 0 ? Buffer.from(out, 'utf8') : undefined);
  }
}
