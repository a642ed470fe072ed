/**
 * Redaction as a WHATWG `TransformStream` of strings.
 *
 * @module
 */
import type { KeptCounts } from './kept-classes.js';
import type { KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';
import { StreamRedactor } from './stream-redactor.js';

/**
 * A `TransformStream<string, string>` that redacts the text passing through it. For bytes, pipe
 * through a `TextDecoderStream` first and a `TextEncoderStream` after.
 *
 * @example
 * ```ts
 * const redacted = response.body
 *   .pipeThrough(new TextDecoderStream())
 *   .pipeThrough(new RedactStream());
 * ```
 */
export class RedactStream extends TransformStream<string, string> {
  readonly #redactor: StreamRedactor;

  constructor(policy?: PolicyOptions | Policy) {
    const redactor = new StreamRedactor(policy);
    super({
      transform(chunk, controller) {
        const out = redactor.push(chunk);
        if (out.length > 0) controller.enqueue(out);
      },
      flush(controller) {
        const out = redactor.end();
        if (out.length > 0) controller.enqueue(out);
      },
    });
    this.#redactor = redactor;
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

  /** Combinations of a kept class (`keep`) kept so far. */
  get kept(): number {
    return this.#redactor.kept;
  }

  /** Kept combinations so far by class; classes with none are absent. */
  get keptClasses(): KeptCounts {
    return this.#redactor.keptClasses;
  }
}
