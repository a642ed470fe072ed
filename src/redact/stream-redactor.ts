/**
 * The streaming redactor for strings: the library's face of the string scanner
 * (`text-scanner.ts`), which it wraps, so that only what the README documents is its API.
 *
 * @module
 */
import type { Policy, PolicyOptions } from './policy.js';
import { CountingRedactor } from './redaction-counts.js';
import type { RedactedText } from './redacted-text.js';
import { TextScanner } from './text-scanner.js';
import { WellFormedChunks } from './well-formed.js';

/**
 * Redacts a stream of text chunks. Feed chunks with `push`, which returns at once everything
 * that can no longer become part of a sensitive combination; call `end` once at the end for the
 * rest. What it did is counted: `redactions`, `kinds`, `allowed`, `kept`, `keptClasses`.
 *
 * It holds back only the digits and gap of a combination that is still open and shorter than
 * `minDigits`, the gap after a sensitive one, and the first half of a surrogate pair split
 * across chunks: at most `maxHeldLength` code units (49 for the default policy), whatever the
 * input. A lone surrogate comes out as U+FFFD (SPEC §1, well-formed text): deleting a number
 * can never join what stood on either side of it into a new character.
 *
 * @example
 * ```ts
 * const redactor = new StreamRedactor();
 * let out = redactor.push('call me on 98 76');
 * out += redactor.push(' 54 32 today');
 * out += redactor.end(); // 'call me on  today'
 * redactor.kinds; // { phone: 1 }
 * ```
 */
export class StreamRedactor extends CountingRedactor {
  readonly #scanner: TextScanner;
  readonly #wellFormed = new WellFormedChunks();

  /** @throws `PolicyError` for invalid policy options */
  constructor(policy?: PolicyOptions | Policy) {
    super(() => this.#scanner.counts);
    this.#scanner = new TextScanner(policy);
  }

  /** Scan the next chunk; returns what is now safe to pass on (possibly empty). */
  push(chunk: string): RedactedText {
    return this.#scanner.push(this.#wellFormed.push(chunk));
  }

  /**
   * End of input, after `chunk` when one is given: returns the rest of the text, held back or
   * not, in one piece. The redactor is then ready for new input.
   */
  end(chunk = ''): RedactedText {
    const rest = chunk === '' ? this.#wellFormed.end() : this.#wellFormed.push(chunk) + this.#wellFormed.end();
    if (rest === '') return this.#scanner.end();
    const out = this.#scanner.push(rest);
    return (out + this.#scanner.end()) as RedactedText;
  }

  /** Code units held back right now. */
  get heldLength(): number {
    return this.#scanner.heldLength + this.#wellFormed.heldLength;
  }

  /** The most code units this redactor can ever hold back; it depends only on the policy. */
  get maxHeldLength(): number {
    return this.#scanner.maxHeldLength;
  }
}
