/**
 * Where the scanner writes its output: ranges of the scanned text and literal units. Strings
 * build a string; bytes collect views of the input Buffer (`byte-redactor.ts`), so no output is
 * re-encoded.
 *
 * @module
 */
import type { RedactedText } from './redacted-text.js';

/**
 * Where a scan's output goes: ranges of the scanned text and literal units (replacements, held
 * text).
 */
export interface OutputSink<T> {
  /** The output of a scan that changed nothing: the first `end` units of `text`. */
  unchanged(text: string, end: number): T;
  range(text: string, from: number, to: number): void;
  literal(units: string): void;
  /** The output collected since the last `finish`. */
  finish(): T;
}

/**
 * Output as one JavaScript string. The scanner writes only what it has checked, so what this
 * sink returns is redacted text: the one place outside tests where a string becomes one.
 *
 * @example
 * ```ts
 * const sink = new StringSink();
 * sink.range('ring 98765432', 0, 5);
 * sink.literal('[removed]');
 * sink.finish(); // 'ring [removed]'
 * ```
 */
export class StringSink implements OutputSink<RedactedText> {
  #out = '';
  unchanged(text: string, end: number): RedactedText {
    return (end === text.length ? text : text.slice(0, end)) as RedactedText;
  }
  range(text: string, from: number, to: number): void {
    if (to > from) this.#out += text.slice(from, to);
  }
  literal(units: string): void {
    this.#out += units;
  }
  finish(): RedactedText {
    const out = this.#out;
    this.#out = '';
    return out as RedactedText;
  }
}
