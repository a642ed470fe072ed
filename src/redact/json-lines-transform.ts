/**
 * JSON-lines redaction of byte streams as a Node `Transform`, around {@link JsonLinesRedactor}.
 *
 * @module
 */
import type { TransformOptions } from 'node:stream';
import type { JsonLineOptions } from './json-line.js';
import { JsonLinesRedactor } from './json-lines-redactor.js';
import { ChunkRedactingTransform } from './node-transform.js';
import type { Policy, PolicyOptions } from './policy.js';

export { MAX_JSON_LINE_BYTES } from './json-lines-redactor.js';

/**
 * A `Transform` from UTF-8 JSON lines to redacted JSON lines. A line that is not valid UTF-8 is
 * redacted as text, each ill-formed sequence read as U+FFFD.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(process.stdin, new JsonLinesTransform({ keepTimestamps: true }), process.stdout);
 * ```
 */
export class JsonLinesTransform extends ChunkRedactingTransform<JsonLinesRedactor> {
  /**
   * @throws `PolicyError` for an invalid policy; `TypeError` for a bad keep-field path
   */
  constructor(policy?: PolicyOptions | Policy, options: JsonLineOptions = {}, streamOptions?: Omit<TransformOptions, 'transform' | 'flush'>) {
    super(new JsonLinesRedactor(policy, options), streamOptions);
  }

  /** Values written as they came because a keep-field named them. */
  get keptFields(): number {
    return this.redactor.keptFields;
  }

  /** Lines redacted as text: not JSON, not UTF-8, or too long to hold. */
  get textLines(): number {
    return this.redactor.textLines;
  }

  /** Lines over `MAX_JSON_LINE_BYTES`, redacted as text as they streamed. */
  get longLines(): number {
    return this.redactor.longLines;
  }
}
