/**
 * The streaming redactor: the one state machine behind every way of redacting text.
 *
 * One-shot redaction is a single push followed by `end()`, so streamed and one-shot output
 * agree by construction, whatever the chunking.
 *
 * @module
 */
import { CLASSIFY_DIGITS, KINDS, classifyDigits, type KindCounts } from './kinds.js';
import { resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import {
  BMP,
  CANDIDATE_CLASS,
  HIGH_SURROGATE,
  OTHER,
  SEPARATOR,
  classifyAstral,
  isHighSurrogate,
  isLowSurrogate,
} from './unicode.js';

const SURROGATE_OFFSET = 0x10000 - (0xd800 << 10) - 0xdc00;
/** How far the scanner walks unit by unit before it hands the search to the regex engine. */
const LINEAR_SCAN_LIMIT = 64;
const EMPTY_KINDS: KindCounts = Object.freeze({});

/**
 * Redacts a stream of text chunks. Feed chunks with {@link StreamRedactor.push}, which returns
 * at once everything that can no longer become part of a sensitive combination; call
 * {@link StreamRedactor.end} once at the end for the rest.
 *
 * It holds back only the digits and gap of a combination that is still open and shorter than
 * `minDigits`, the gap after a sensitive one, and the first half of a surrogate pair split
 * across chunks: at most {@link maxHeldLength} code units, whatever the input.
 *
 * @example
 * ```ts
 * const redactor = new StreamRedactor();
 * let out = redactor.push('call me on 98 76');
 * out += redactor.push(' 54 32 today');
 * out += redactor.end(); // 'call me on  today'
 * ```
 */
export class StreamRedactor {
  readonly policy: Policy;
  readonly #minDigits: number;
  readonly #maxGap: number;
  readonly #replacement: string;
  /** Its own regex, for its own `lastIndex`. */
  readonly #candidate = new RegExp(CANDIDATE_CLASS, 'g');
  /** Digits of the open combination; 0 when none is open. */
  #digits = 0;
  /** Separators since the open combination's last digit. */
  #gap = 0;
  /** Text of the open combination carried over from earlier chunks, not yet emitted. */
  #held = '';
  /** A high surrogate that ended the last chunk; its pair may come with the next. */
  #pendingHigh = '';
  readonly #leading = new Uint8Array(CLASSIFY_DIGITS);
  #redactions = 0;
  readonly #kindCounts = new Uint32Array(KINDS.length);

  constructor(policy?: PolicyOptions | Policy) {
    this.policy = resolvePolicy(policy);
    this.#minDigits = this.policy.minDigits;
    this.#maxGap = this.policy.maxGap;
    this.#replacement = this.policy.replacement;
  }

  /** Combinations deleted so far (each counted when it ends). */
  get redactions(): number {
    return this.#redactions;
  }

  /** Deletions so far by kind; kinds with none are absent. */
  get kinds(): KindCounts {
    if (this.#redactions === 0) return EMPTY_KINDS;
    const counts: KindCounts = {};
    for (let k = 0; k < KINDS.length; k++) {
      const count = this.#kindCounts[k] ?? 0;
      if (count > 0) counts[KINDS[k]!] = count;
    }
    return counts;
  }

  /** Code units held back right now. */
  get heldLength(): number {
    return this.#held.length + this.#pendingHigh.length;
  }

  /**
   * The most code units this redactor can ever hold back: a combination one digit short of
   * sensitive with a full gap after each digit (each code point up to two units), and one
   * dangling high surrogate. For the default policy, 49.
   */
  get maxHeldLength(): number {
    const codePoints = (this.#minDigits - 1) * (1 + this.#maxGap);
    return 2 * codePoints + 1;
  }

  /**
   * Redact the next chunk; returns the text that is now safe to pass on (possibly empty).
   */
  push(chunk: string): string {
    let text = chunk;
    if (this.#pendingHigh !== '') {
      text = this.#pendingHigh + text;
      this.#pendingHigh = '';
    }
    let end = text.length;
    if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) {
      end -= 1;
      this.#pendingHigh = text.slice(end);
    }
    return this.#scan(text, end);
  }

  /** End of input: returns whatever was held back, redacted. The redactor is then reset for reuse. */
  end(): string {
    const lone = this.#pendingHigh;
    this.#pendingHigh = '';
    const out = this.#scan(lone, lone.length) + this.#closeCombination();
    return out;
  }

  /**
   * Redact a whole text in one go, adding to this redactor's counts.
   * @internal the one-shot path; the redactor must hold nothing when it is called
   */
  redactWhole(text: string): string {
    return this.#scan(text, text.length) + this.#closeCombination();
  }

  /** Forget counts (not held text). */
  resetCounts(): void {
    if (this.#redactions === 0) return;
    this.#redactions = 0;
    this.#kindCounts.fill(0);
  }

  /**
   * Scan `text[0, end)`, continuing the open combination if there is one.
   *
   * `emitted` is where the next output slice begins; `holdFrom` where the open combination's
   * retained text begins (its first digit, or, once it is sensitive, the end of its last digit).
   * While `#held` is not empty nothing of this chunk has been emitted yet, so `#held` always
   * precedes `text[emitted…]`.
   */
  #scan(text: string, end: number): string {
    const candidate = this.#candidate;
    let digits = this.#digits;
    if (digits === 0) {
      candidate.lastIndex = 0;
      if (!candidate.test(text) || candidate.lastIndex > end) return end === text.length ? text : text.slice(0, end);
    }
    const minDigits = this.#minDigits;
    const maxGap = this.#maxGap;
    const leading = this.#leading;
    // A local copy: an imported binding is re-checked on every access inside the loop.
    const table = BMP;
    let gap = this.#gap;
    let out = '';
    let emitted = 0;
    let holdFrom = 0;
    // The first candidate was found above; re-finding it costs one more regex call per text.
    let i = digits === 0 ? candidate.lastIndex - 1 : 0;
    let found = i;
    while (i < end) {
      if (digits === 0 && i !== found) {
        i = this.#findCandidate(text, i, end);
        found = i;
        if (i >= end) break;
      }
      const unit = text.charCodeAt(i);
      let cls = table[unit] ?? OTHER;
      let width = 1;
      if (cls === HIGH_SURROGATE) {
        const low = text.charCodeAt(i + 1);
        if (isLowSurrogate(low)) {
          cls = classifyAstral((unit << 10) + low + SURROGATE_OFFSET);
          width = 2;
        } else {
          cls = OTHER;
        }
      }
      if (cls < SEPARATOR) {
        if (digits === 0) holdFrom = i;
        if (digits < CLASSIFY_DIGITS) leading[digits] = cls;
        digits += 1;
        gap = 0;
        i += width;
        if (digits >= minDigits) {
          if (digits === minDigits) out += text.slice(emitted, holdFrom) + this.#replacement;
          emitted = holdFrom = i;
          this.#held = '';
        }
      } else if (digits === 0) {
        i += width; // the candidate class matched a non-digit
      } else if (cls === SEPARATOR && gap < maxGap) {
        gap += 1;
        i += width;
      } else {
        this.#digits = digits;
        out += this.#closeCombination();
        digits = 0;
        gap = 0;
      }
    }
    this.#digits = digits;
    this.#gap = gap;
    if (digits === 0) return out + text.slice(emitted, end);
    this.#held += text.slice(holdFrom, end);
    return out + text.slice(emitted, holdFrom);
  }

  /**
   * Index of the first code unit at or after `from` that may begin a digit, or `end`. The rest of
   * a chat message after a number is short, and a regex call costs more than its scan there, so
   * the first {@link LINEAR_SCAN_LIMIT} units are walked with the table.
   */
  #findCandidate(text: string, from: number, end: number): number {
    const table = BMP;
    const limit = Math.min(end, from + LINEAR_SCAN_LIMIT);
    for (let i = from; i < limit; i++) {
      const cls = table[text.charCodeAt(i)] ?? OTHER;
      if (cls < SEPARATOR || cls === HIGH_SURROGATE) return i;
    }
    if (limit === end) return end;
    const candidate = this.#candidate;
    candidate.lastIndex = limit;
    if (!candidate.test(text)) return end;
    return Math.min(candidate.lastIndex - 1, end);
  }

  /** The open combination ends: count it if it was deleted; returns its held text to emit. */
  #closeCombination(): string {
    const digits = this.#digits;
    if (digits === 0) return '';
    if (digits >= this.#minDigits) {
      this.#redactions += 1;
      const kind = KINDS.indexOf(classifyDigits(this.#leading, digits));
      this.#kindCounts[kind] = (this.#kindCounts[kind] ?? 0) + 1;
    }
    this.#digits = 0;
    this.#gap = 0;
    const held = this.#held;
    this.#held = '';
    return held;
  }
}
