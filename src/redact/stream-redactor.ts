/**
 * The streaming redactor for strings.
 *
 * @module
 */
import type { Policy, PolicyOptions } from './policy.js';
import type { RedactedText } from './redacted-text.js';
import { StringSink } from './output-sink.js';
import { CombinationScanner } from './scanner.js';
import { utf16 } from './utf16-codec.js';
import { WellFormedChunks, toWellFormed } from './well-formed.js';

/**
 * Redacts a stream of text chunks. Feed chunks with `push`, which returns at once everything
 * that can no longer become part of a sensitive combination; call `end` once at the end for the
 * rest.
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
 * ```
 */
export class StreamRedactor extends CombinationScanner<RedactedText> {
  readonly #wellFormed = new WellFormedChunks();
  #released = '';

  constructor(policy?: PolicyOptions | Policy) {
    super(policy, utf16, new StringSink());
  }

  /** Scan the next chunk; returns what is now safe to pass on (possibly empty). */
  override push(chunk: string): RedactedText {
    return super.push(this.#wellFormed.push(chunk));
  }

  /** End of input: returns whatever was held back. The redactor is then ready for new input. */
  override end(): RedactedText {
    const rest = this.#wellFormed.end();
    if (rest === '') return super.end();
    const out = super.push(rest);
    return (out + super.end()) as RedactedText;
  }

  /**
   * Redact a whole text in one go, adding to the counts.
   * @internal the one-shot path; the redactor must hold nothing when it is called
   */
  override redactWhole(text: string): RedactedText {
    return super.redactWhole(toWellFormed(text));
  }

  /** Code units held back right now. */
  override get heldLength(): number {
    return super.heldLength + this.#wellFormed.heldLength;
  }

  /**
   * Push `chunk` and keep what it releases until {@link StreamRedactor.take}: for a caller that
   * sends text in batches of its own (a frame per event-loop turn) rather than per chunk.
   */
  write(chunk: string): void {
    this.#released += this.push(chunk);
  }

  /** {@link StreamRedactor.end}, kept for {@link StreamRedactor.take} like {@link StreamRedactor.write}. */
  finish(): void {
    this.#released += this.end();
  }

  /**
   * Everything released by `write` and `finish` since the last take. Consecutive outputs of one
   * redactor are its one-shot output cut in pieces (invariant 5), so together they are redacted.
   *
   * @example
   * ```ts
   * const redactor = new StreamRedactor();
   * redactor.write('ring 98 76');
   * redactor.take(); // 'ring '
   * redactor.write(' 54 32 nå');
   * redactor.finish();
   * redactor.take(); // ' nå'
   * ```
   */
  take(): RedactedText {
    const released = this.#released as RedactedText;
    this.#released = '';
    return released;
  }
}
