/**
 * The scanner over JavaScript strings (UTF-16 units, output as one string), for the engine's
 * own one-shot paths: `redact()` and JSON lines, a whole text at a time, counts reset between
 * texts. Not library API: `StreamRedactor` (`stream-redactor.ts`) is the library's face of it
 * for streams.
 *
 * @module
 */
import type { Finder } from './codec.js';
import { StringSink } from './output-sink.js';
import type { Policy, PolicyOptions } from './policy.js';
import type { RedactedText } from './redacted-text.js';
import { PlainScan, isPlainPolicy } from './plain-scan.js';
import { CombinationScanner } from './scanner.js';
import { isHighSurrogate, isLowSurrogate } from './unicode.js';
import { utf16 } from './utf16-codec.js';
import { toWellFormed } from './well-formed.js';

/**
 * A {@link CombinationScanner} of strings.
 *
 * @example
 * ```ts
 * const scanner = new TextScanner();
 * scanner.counts.reset();
 * scanner.redactWhole('ring 98 76 54 32'); // 'ring '
 * scanner.counts.redactions; // 1
 * ```
 */
export class TextScanner extends CombinationScanner<RedactedText> {
  /** For {@link TextScanner.redactChanged}: the scanner's own finder is private to it. */
  readonly #finder: Finder;
  /** The one-shot reader of a policy that keeps nothing on purpose; `null` for another policy. */
  readonly #plain: PlainScan | null;

  constructor(policy?: PolicyOptions | Policy) {
    super(policy, utf16, new StringSink());
    this.#finder = utf16.createFinder(this.policy.minDigits, this.policy.maxGap);
    this.#plain = isPlainPolicy(this.policy) ? new PlainScan(this.policy, this.counts) : null;
  }

  /**
   * {@link TextScanner.redactWhole} of a text that the policy's change check (`createChangeCheck`
   * with `g`) first matched at `first`, going on from there: before `first` the text holds no
   * surrogate and no place the finder matches. The scan does not ask the finder again from 0.
   * A text whose first match is a surrogate
   * and that has no finder match after it (emoji, no number) comes back well-formed, nothing
   * counted, without a scan. Per message of the chat corpus against the naive replace, fresh
   * processes (bench/micro/engine-processes.js): see `redact.ts`.
   */
  redactChanged(text: string, first: number): RedactedText {
    // `isWellFormed` rather than `toWellFormed`'s regex: on chat messages (67 characters on
    // average) it took 51 ns against the regex's 65 on Node 20, 28 against 71 on Node 26, and
    // still less at 4,096 characters, one-byte or two-byte, sliced or not.
    const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
    const unit = text.charCodeAt(first);
    let at = first;
    if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
      const finder = this.#finder;
      finder.begin(text);
      at = finder.next(first);
      finder.begin('');
      if (at < 0) return wellFormed as RedactedText;
    }
    return this.#plain === null ? super.redactWhole(wellFormed, at) : (this.#plain.redact(wellFormed, at) as RedactedText);
  }

  /**
   * A whole text in one go, adding to the counts; ill-formed text is made well-formed first
   * (SPEC §1). The scanner must hold nothing when it is called.
   */
  override redactWhole(text: string): RedactedText {
    return super.redactWhole(toWellFormed(text));
  }
}
