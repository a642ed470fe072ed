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
import { compileFinder } from './finder.js';
import { BMP, HIGH_SURROGATE, OTHER, SEPARATOR, classifyAstral, isHighSurrogate, isLowSurrogate } from './unicode.js';

const SURROGATE_OFFSET = 0x10000 - (0xd800 << 10) - 0xdc00;
const LATIN1_LIMIT = 0x100;
const ASCII_LIMIT = 0x80;
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
  /** Its own finder regex, for its own `lastIndex`. */
  readonly #finder: RegExp;
  /** Digits of the open combination; 0 when none is open. */
  #digits = 0;
  /** Separators since the open combination's last digit. */
  #gap = 0;
  /** Text of the open combination carried over from earlier chunks, not yet emitted. */
  #held = '';
  /** A high surrogate that ended the last chunk; its pair may come with the next. */
  #pendingHigh = '';
  readonly #leading = new Uint8Array(CLASSIFY_DIGITS);
  /** Output of the scan in progress: text so far, where the next slice starts, where holding starts. */
  #out = '';
  #emitted = 0;
  #holdFrom = 0;
  #redactions = 0;
  readonly #kindCounts = new Uint32Array(KINDS.length);

  constructor(policy?: PolicyOptions | Policy) {
    this.policy = resolvePolicy(policy);
    this.#minDigits = this.policy.minDigits;
    this.#maxGap = this.policy.maxGap;
    this.#replacement = this.policy.replacement;
    this.#finder = compileFinder(this.#minDigits, this.#maxGap);
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
    return this.#scan(text, end, false);
  }

  /** End of input: returns whatever was held back, redacted. The redactor is then reset for reuse. */
  end(): string {
    const lone = this.#pendingHigh;
    this.#pendingHigh = '';
    return this.#scan(lone, lone.length, true) + this.#closeCombination();
  }

  /**
   * Redact a whole text in one go, adding to this redactor's counts.
   * @internal the one-shot path; the redactor must hold nothing when it is called
   */
  redactWhole(text: string): string {
    return this.#scan(text, text.length, true) + this.#closeCombination();
  }

  /** Forget counts (not held text). */
  resetCounts(): void {
    if (this.#redactions === 0) return;
    this.#redactions = 0;
    this.#kindCounts.fill(0);
  }

  /**
   * Scan `text[0, end)`, continuing the open combination if there is one. Unless `final`, the
   * combination that may still be open at the end is left open and held.
   *
   * The finder regex jumps to each place a combination may be; the exact table walk decides.
   * Output goes to `#out`: `#emitted` is where the next slice of `text` begins, `#holdFrom` where
   * the open combination's retained text begins. While `#held` is not empty nothing of this
   * chunk has been emitted yet, so `#held` always precedes `text[#emitted…]`.
   */
  #scan(text: string, end: number, final: boolean): string {
    const finder = this.#finder;
    let hit = false;
    if (this.#digits === 0) {
      finder.lastIndex = 0;
      // The common case: one regex call over the whole text finds nothing. `test` rather than
      // `exec`: no match array is built, and the hit is located from `lastIndex` below.
      hit = finder.test(text);
      if (final && !hit) return end === text.length ? text : text.slice(0, end);
    }
    this.#out = '';
    this.#emitted = 0;
    this.#holdFrom = 0;
    let i = 0;
    if (this.#digits > 0) {
      i = this.#walk(text, 0, end);
      if (this.#digits > 0) return this.#finishScan(text, end);
      finder.lastIndex = i;
      hit = finder.test(text);
    }
    const tail = final ? end : this.#openTailStart(text, i, end);
    while (hit) {
      const start = this.#hitStart(text, finder.lastIndex, i);
      if (start >= tail) break;
      if (start < 0) {
        hit = finder.test(text); // the coarse candidate class matched a non-digit
        continue;
      }
      i = this.#walk(text, start, end);
      finder.lastIndex = i;
      hit = i < tail && finder.test(text);
    }
    if (tail < end) this.#walk(text, tail, end);
    return this.#finishScan(text, end);
  }

  /**
   * The first digit of the combination behind a finder hit that ended at `hitEnd`, or -1 when
   * there is none (a candidate that is no digit). The hit's last unit is an ASCII digit
   * (alternative A), a unit past Latin-1 after a digit and up to `maxGap` Latin-1 separators
   * (B), or a candidate unit (C).
   */
  #hitStart(text: string, hitEnd: number, floor: number): number {
    let last = hitEnd - 1;
    if (text.charCodeAt(last) >= LATIN1_LIMIT && this.#classAt(text, last) >= SEPARATOR) {
      // B (or a C that is no digit): the digit is behind the Latin-1 gap, if anywhere.
      last -= 1;
      while (last >= floor && (BMP[text.charCodeAt(last)] ?? OTHER) === SEPARATOR) last -= 1;
      if (last < floor || (BMP[text.charCodeAt(last)] ?? OTHER) >= SEPARATOR) return -1;
    }
    return this.#combinationStart(text, last, floor);
  }

  #finishScan(text: string, end: number): string {
    const out = this.#out;
    this.#out = '';
    if (this.#digits === 0) return out + text.slice(this.#emitted, end);
    this.#held += text.slice(this.#holdFrom, end);
    return out + text.slice(this.#emitted, this.#holdFrom);
  }

  /** Class of the code point at `i` (a lone surrogate is `OTHER`). */
  #classAt(text: string, i: number): number {
    const unit = text.charCodeAt(i);
    const cls = BMP[unit] ?? OTHER;
    if (cls !== HIGH_SURROGATE) return cls;
    const low = text.charCodeAt(i + 1);
    return isLowSurrogate(low) ? classifyAstral((unit << 10) + low + SURROGATE_OFFSET) : OTHER;
  }

  /** Class and width of the code point that ends at `k`. */
  #classBefore(text: string, k: number): number {
    const unit = text.charCodeAt(k - 1);
    if (isLowSurrogate(unit) && k >= 2 && isHighSurrogate(text.charCodeAt(k - 2))) {
      this.#widthBefore = 2;
      return classifyAstral((text.charCodeAt(k - 2) << 10) + unit + SURROGATE_OFFSET);
    }
    this.#widthBefore = 1;
    const cls = BMP[unit] ?? OTHER;
    return cls === HIGH_SURROGATE ? OTHER : cls;
  }

  #widthBefore = 1;

  /**
   * Index of the first digit of the combination that has a digit at `at`, walking back no
   * further than `floor`.
   */
  #combinationStart(text: string, at: number, floor: number): number {
    let start = at;
    let gap = 0;
    for (let k = at; k > floor; ) {
      const cls = this.#classBefore(text, k);
      k -= this.#widthBefore;
      if (cls < SEPARATOR) {
        start = k;
        gap = 0;
      } else if (cls === SEPARATOR && gap < this.#maxGap) {
        gap += 1;
      } else {
        break;
      }
    }
    return start;
  }

  /**
   * Where the combination that may continue in the next chunk begins: the first digit of the
   * last combination when only up to `maxGap` separators follow it, else `end`.
   */
  #openTailStart(text: string, from: number, end: number): number {
    let k = end;
    for (let gap = 0; k > from; gap++) {
      const cls = this.#classBefore(text, k);
      if (cls < SEPARATOR) return this.#combinationStart(text, k - this.#widthBefore, from);
      if (cls !== SEPARATOR || gap >= this.#maxGap) return end;
      k -= this.#widthBefore;
    }
    return end;
  }

  /**
   * The exact walk: from `from` (a combination's first digit, or anywhere while one is open)
   * through the combination. Returns where it ended, or `end` if it is still open there.
   */
  #walk(text: string, from: number, end: number): number {
    const minDigits = this.#minDigits;
    const maxGap = this.#maxGap;
    const leading = this.#leading;
    // A local copy: an imported binding is re-checked on every access inside the loop.
    const table = BMP;
    let digits = this.#digits;
    let gap = this.#gap;
    let i = from;
    while (i < end) {
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
        if (digits === 0) this.#holdFrom = i;
        if (digits < CLASSIFY_DIGITS) leading[digits] = cls;
        digits += 1;
        gap = 0;
        i += width;
        if (digits >= minDigits) {
          if (digits === minDigits) this.#out += text.slice(this.#emitted, this.#holdFrom) + this.#replacement;
          this.#emitted = this.#holdFrom = i;
          this.#held = '';
        }
      } else if (digits > 0 && cls === SEPARATOR && gap < maxGap) {
        gap += 1;
        i += width;
      } else {
        this.#digits = digits;
        this.#out += this.#closeCombination();
        return i;
      }
    }
    this.#digits = digits;
    this.#gap = gap;
    return end;
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
