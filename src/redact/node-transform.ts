/**
 * Redaction of byte streams (UTF-8) as a Node `Transform`.
 *
 * @module
 */
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { ByteRedactor } from './byte-redactor.js';
import type { KeptCounts } from './kept-classes.js';
import type { KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';

/** A redactor of byte chunks with counts so far: what a {@link ChunkRedactingTransform} runs. */
export interface ChunkRedactor {
  push(chunk: Buffer): Buffer;
  end(): Buffer;
  readonly redactions: number;
  readonly kinds: KindCounts;
  readonly allowed: number;
  readonly kept: number;
  readonly keptClasses: KeptCounts;
}

/**
 * A Node `Transform` around a chunk redactor, with its counts: the one shape of
 * {@link RedactTransform} (text) and `JsonLinesTransform` (JSON lines).
 *
 * @example
 * ```ts
 * const transform: ChunkRedactingTransform<ByteRedactor> = new RedactTransform();
 * // once the stream has ended: transform.redactions, transform.kinds, transform.allowed, transform.keptClasses
 * ```
 */
export abstract class ChunkRedactingTransform<R extends ChunkRedactor> extends Transform {
  /** The redactor every chunk passes through. */
  protected readonly redactor: R;

  protected constructor(redactor: R, options?: Omit<TransformOptions, 'transform' | 'flush'>) {
    super({ ...options, decodeStrings: true });
    this.redactor = redactor;
  }

  /** Combinations deleted so far. */
  get redactions(): number {
    return this.redactor.redactions;
  }

  /** Deletions so far by kind. */
  get kinds(): KindCounts {
    return this.redactor.kinds;
  }

  /** Sensitive combinations kept on purpose so far (allowed numbers, date-times); never which. */
  get allowed(): number {
    return this.redactor.allowed;
  }

  /** Combinations of a kept class (`keep`) kept so far. */
  get kept(): number {
    return this.redactor.kept;
  }

  /** Kept combinations so far by class; classes with none are absent. */
  get keptClasses(): KeptCounts {
    return this.redactor.keptClasses;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = this.redactor.push(chunk);
    callback(null, out.length > 0 ? out : undefined);
  }

  override _flush(callback: TransformCallback): void {
    const out = this.redactor.end();
    callback(null, out.length > 0 ? out : undefined);
  }
}

/**
 * A `Transform` from UTF-8 bytes to redacted UTF-8 bytes, in constant memory. The bytes are
 * scanned without being decoded: a character split across chunks is joined, and each sequence
 * that is not valid UTF-8 becomes U+FFFD before the scan (SPEC §1, well-formed text).
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(process.stdin, new RedactTransform(), process.stdout);
 * ```
 */
export class RedactTransform extends ChunkRedactingTransform<ByteRedactor> {
  constructor(policy?: PolicyOptions | Policy, options?: Omit<TransformOptions, 'transform' | 'flush'>) {
    super(new ByteRedactor(policy), options);
  }
}
