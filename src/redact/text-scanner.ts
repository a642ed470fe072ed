/**
 * The scanner over JavaScript strings (UTF-16 units, output as one string), for the engine's
 * own one-shot paths: `redact()` and JSON lines, a whole text at a time, counts reset between
 * texts. Not library API: `StreamRedactor` (`stream-redactor.ts`) is the library's face of it
 * for streams.
 *
 * @module
 */
import { StringSink } from './output-sink.js';
import type { Policy, PolicyOptions } from './policy.js';
import type { RedactedText } from './redacted-text.js';
import { CombinationScanner } from './scanner.js';
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
  constructor(policy?: PolicyOptions | Policy) {
    super(policy, utf16, new StringSink());
  }

  /**
   * A whole text in one go, adding to the counts; ill-formed text is made well-formed first
   * (SPEC §1). The scanner must hold nothing when it is called.
   */
  override redactWhole(text: string): RedactedText {
    return super.redactWhole(toWellFormed(text));
  }
}
