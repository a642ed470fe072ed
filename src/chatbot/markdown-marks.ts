/**
 * Markdown's emphasis and code marks next to digits, dropped as a reply streams. An LLM writes
 * Markdown, and the widget shows plain text: `21 **49** 60 00` reads as one phone number, yet to
 * the policy the asterisks (no separators) cut it into three short runs. A run of `*`, `_`, `~` or
 * `` ` `` that touches a digit on either side is markup around a number and goes; every other
 * mark, and all other Markdown, is passed on as written. Whole messages (Direct Line) are reduced
 * by `markdownToText` instead; this is for text that arrives a token at a time.
 *
 * @module
 */

const MARKS = new Set(['*', '_', '~', '`']);
const DIGIT = /^\p{Nd}$/u;
/** A run longer than this is no emphasis mark (a rule, a drawing) and is passed on as it is. */
const MAX_MARK_RUN = 16;

const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;

const isDigit = (char: string): boolean => DIGIT.test(char);

/**
 * Drops mark runs that touch a digit, chunk by chunk; holds back at most one run of marks (and
 * half a surrogate pair).
 *
 * @example
 * ```ts
 * const marks = new MarkdownMarks();
 * marks.write('Ring 21 **4') + marks.write('9** 60 00') + marks.end(); // 'Ring 21 49 60 00'
 * marks.write('**Viktig:** 5 * 3') + marks.end(); // '**Viktig:** 5 * 3'
 * ```
 */
export class MarkdownMarks {
  #run = '';
  #afterDigit = false;
  /** The first half of a surrogate pair that the chunk cut in two. */
  #high = '';

  /** The text of `chunk` that can no longer change. */
  write(chunk: string): string {
    let text = this.#high + chunk;
    this.#high = '';
    const last = text.charCodeAt(text.length - 1);
    if (last >= HIGH_SURROGATE_MIN && last <= HIGH_SURROGATE_MAX) {
      this.#high = text.slice(-1);
      text = text.slice(0, -1);
    }
    let out = '';
    for (const char of text) {
      if (MARKS.has(char)) {
        this.#run += char;
        if (this.#run.length > MAX_MARK_RUN) {
          out += this.#run;
          this.#run = '';
          this.#afterDigit = false;
        }
        continue;
      }
      const digit = isDigit(char);
      if (this.#run !== '') {
        if (!this.#afterDigit && !digit) out += this.#run;
        this.#run = '';
      }
      out += char;
      this.#afterDigit = digit;
    }
    return out;
  }

  /** What is held back at the end: a trailing run, unless it closed a number. */
  end(): string {
    const rest = (this.#afterDigit ? '' : this.#run) + this.#high;
    this.#run = '';
    this.#high = '';
    this.#afterDigit = false;
    return rest;
  }
}
