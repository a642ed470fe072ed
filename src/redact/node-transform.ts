/**
 * Redaction of byte streams (UTF-8) as a Node `Transform`.
 *
 * @module
 */
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { ByteRedactor } from './byte-redactor.js';
import type { KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';

/**
 * A `Transform` from UTF-8 bytes to redacted UTF-8 bytes, in constant memory. The bytes are
 * scanned without being decoded: a character split across chunks is joined, and bytes that are
 * not valid UTF-8 pass through unchanged.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(process.stdin, new RedactTransform(), process.stdout);
 * ```
 */
export class RedactTransform extends Transform {
  readonly #redactor: ByteRedactor;

  constructor(policy?: PolicyOptions | Policy, options?: Omit<TransformOptions, 'transform' | 'flush'>) {
    super({ ...options, decodeStrings: true });
    this.#redactor = new ByteRedactor(policy);
  }

  /** Combinations deleted so far. */
  get redactions(): number {
    return this.#redactor.redactions;
  }

  /** Deletions so far by kind. */
  get kinds(): KindCounts {
    return this.#redactor.kinds;
  }

  /** Sensitive combinations kept on purpose so far (allowed numbers, date-times); never which. */
  get allowed(): number {
    return this.#redactor.allowed;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = this.#redactor.push(chunk);
    callback(null, out.length > 0 ? out : undefined);
  }

  override _flush(callback: TransformCallback): void {
    const out = this.#redactor.end();
    callback(null, out.length > 0 ? out : undefined);
  }
}
