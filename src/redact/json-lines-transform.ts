/**
 * JSON-lines redaction of byte streams as a Node `Transform`, around {@link JsonLinesRedactor}.
 *
 * @module
 */
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import type { JsonLineOptions } from './json-line.js';
import { JsonLinesRedactor } from './json-lines-redactor.js';
import type { KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';

export { MAX_JSON_LINE_BYTES } from './json-lines-redactor.js';

/**
 * A `Transform` from UTF-8 JSON lines to redacted JSON lines. A line that is not valid UTF-8 is
 * redacted as text, its bytes otherwise untouched.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(process.stdin, new JsonLinesTransform({ keepTimestamps: true }), process.stdout);
 * ```
 */
export class JsonLinesTransform extends Transform {
  readonly #redactor: JsonLinesRedactor;

  /**
   * @throws `PolicyError` for an invalid policy; `TypeError` for a bad keep-field path
   */
  constructor(policy?: PolicyOptions | Policy, options: JsonLineOptions = {}, streamOptions?: Omit<TransformOptions, 'transform' | 'flush'>) {
    super({ ...streamOptions, decodeStrings: true });
    this.#redactor = new JsonLinesRedactor(policy, options);
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

  /** Values written as they came because a keep-field named them. */
  get keptFields(): number {
    return this.#redactor.keptFields;
  }

  /** Lines redacted as text: not JSON, not UTF-8, or too long to hold. */
  get textLines(): number {
    return this.#redactor.textLines;
  }

  /** Lines over `MAX_JSON_LINE_BYTES`, redacted as text as they streamed. */
  get longLines(): number {
    return this.#redactor.longLines;
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
