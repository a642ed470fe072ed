/**
 * The one state machine behind every way of redacting: one-shot and streamed, strings and
 * bytes. It reads code points through a {@link Codec}; one-shot redaction is a single push and
 * an end, so every form agrees with every other by construction, whatever the chunking.
 *
 * @module
 */
import { WIDTH_SHIFT, classOf, widthOf, type Codec } from './codec.js';
import type { RedactedText } from './redacted-text.js';
import { CLASSIFY_DIGITS, KINDS, classifyDigits, type KindCounts } from './kinds.js';
import { resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import { BMP, OTHER, SEPARATOR } from './unicode.js';

const EMPTY_KINDS: KindCounts = Object.freeze({});
const ASCII_LIMIT = 0x80;
const ONE_UNIT = 1 << WIDTH_SHIFT;

/**
 * Where a scan's output goes: ranges of the scanned text and literal units (replacements, held
 * text). Strings build a string; bytes collect views of the input Buffer, so no output is
 * re-encoded.
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

/**
 * Scans text in the codec's code units, deleting every combination of `minDigits` or more
 * digits, and writes its output to a sink. It holds back only the digits and gap of a combination still open and shorter than
 * `minDigits`, the gap after a sensitive one, and a code point split across chunks.
 */
export class CombinationScanner<T> {
  readonly policy: Policy;
  readonly #codec: Codec;
  readonly #sink: OutputSink<T>;
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
  /** Units that ended the last chunk and may begin a code point the next one completes. */
  #pending = '';
  readonly #leading = new Uint8Array(CLASSIFY_DIGITS);
  /** Output of the scan in progress: where the next range starts, where holding starts. */
  #emitted = 0;
  #holdFrom = 0;
  #redactions = 0;
  readonly #kindCounts = new Uint32Array(KINDS.length);

  constructor(policy: PolicyOptions | Policy | undefined, codec: Codec, sink: OutputSink<T>) {
    this.policy = resolvePolicy(policy);
    this.#codec = codec;
    this.#sink = sink;
    this.#minDigits = this.policy.minDigits;
    this.#maxGap = this.policy.maxGap;
    this.#replacement = codec.encode(this.policy.replacement);
    this.#finder = codec.compileFinder(this.#minDigits, this.#maxGap);
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

  /** Units of a split code point carried into the next push. */
  get pendingLength(): number {
    return this.#pending.length;
  }

  /** Code units held back right now. */
  get heldLength(): number {
    return this.#held.length + this.#pending.length;
  }

  /**
   * The most code units this scanner can ever hold back: a combination one digit short of
   * sensitive with a full gap after each digit, every code point at its widest, and one split
   * code point. For the default policy on strings, 49 UTF-16 units.
   */
  get maxHeldLength(): number {
    const codePoints = (this.#minDigits - 1) * (1 + this.#maxGap);
    const widest = this.#codec.maxUnitsPerCodePoint;
    return widest * codePoints + widest - 1;
  }

  /** Scan the next chunk; returns what is now safe to pass on (possibly empty). */
  push(chunk: string): T {
    let text = chunk;
    if (this.#pending !== '') {
      text = this.#pending + text;
      this.#pending = '';
    }
    const tail = this.#codec.incompleteTail(text);
    if (tail > 0) this.#pending = text.slice(text.length - tail);
    return this.#scan(text, text.length - tail, false);
  }

  /** End of input: returns whatever was held back. The scanner is then ready for new input. */
  end(): T {
    const rest = this.#pending;
    this.#pending = '';
    return this.#scan(rest, rest.length, true);
  }

  /**
   * Scan a whole text in one go, adding to this scanner's counts.
   * @internal the one-shot path; the scanner must hold nothing when it is called
   */
  redactWhole(text: string): T {
    return this.#scan(text, text.length, true);
  }

  /** Forget the counts (not the held text). */
  resetCounts(): void {
    if (this.#redactions === 0) return;
    this.#redactions = 0;
    this.#kindCounts.fill(0);
  }

  /**
   * Scan `text[0, end)`, continuing the open combination if there is one. Unless `final`, the
   * combination that may still be open at the end is left open and held; a final scan closes it.
   *
   * The finder regex jumps to each place a combination may be; the exact walk decides. Output
   * goes to the sink: `#emitted` is where the next range of `text` begins, `#holdFrom` where the
   * open combination's retained text begins. While `#held` is not empty nothing of this chunk
   * has been emitted yet, so `#held` always precedes `text[#emitted…]`.
   */
  #scan(text: string, end: number, final: boolean): T {
    const finder = this.#finder;
    let match: RegExpExecArray | null = null;
    if (this.#digits === 0) {
      finder.lastIndex = 0;
      // The common case: one regex call over the whole text finds nothing (and `exec` then
      // allocates nothing).
      match = finder.exec(text);
      if (final && match === null) return this.#sink.unchanged(text, end);
    }
    this.#emitted = 0;
    this.#holdFrom = 0;
    let i = 0;
    if (this.#digits > 0) {
      i = this.#walk(text, 0, end);
      if (this.#digits > 0) return this.#finishScan(text, end, final);
      finder.lastIndex = i;
      match = finder.exec(text);
    }
    const tail = final ? end : this.#openTailStart(text, i, end);
    while (match !== null && match.index < tail) {
      const start = this.#matchStart(text, match.index, i);
      if (start < 0) {
        match = finder.exec(text); // a candidate that is no digit
        continue;
      }
      i = this.#walk(text, start, end);
      finder.lastIndex = i;
      match = i < tail ? finder.exec(text) : null;
    }
    if (tail < end) this.#walk(text, tail, end);
    return this.#finishScan(text, end, final);
  }

  #finishScan(text: string, end: number, final: boolean): T {
    const sink = this.#sink;
    if (this.#digits === 0) {
      sink.range(text, this.#emitted, end);
    } else {
      this.#held += text.slice(this.#holdFrom, end);
      sink.range(text, this.#emitted, this.#holdFrom);
      if (final) sink.literal(this.#closeCombination());
    }
    return sink.finish();
  }

  /**
   * The first digit of the combination at a finder match, or -1 for a candidate that is no
   * digit. A match begins on a digit, or on a unit that may begin one; it is leftmost, so an
   * earlier digit of the same combination would have matched first — the walk back is short.
   */
  #matchStart(text: string, index: number, floor: number): number {
    const codec = this.#codec;
    const at = codec.codePointStart(text, index);
    if (classOf(codec.classAt(text, at)) >= SEPARATOR) return -1;
    return this.#combinationStart(text, at, floor);
  }

  /** Index of the first digit of the combination with a digit at `at`, no further back than `floor`. */
  #combinationStart(text: string, at: number, floor: number): number {
    const codec = this.#codec;
    let start = at;
    let gap = 0;
    for (let k = at; k > floor; ) {
      const unit = text.charCodeAt(k - 1);
      // ASCII is one unit of the same class in every codec: no codec call.
      const packed = unit < ASCII_LIMIT ? (BMP[unit] ?? OTHER) | ONE_UNIT : codec.classBefore(text, k);
      k -= widthOf(packed);
      const cls = classOf(packed);
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
    const codec = this.#codec;
    for (let k = end, gap = 0; k > from; gap++) {
      const packed = codec.classBefore(text, k);
      const cls = classOf(packed);
      if (cls < SEPARATOR) return this.#combinationStart(text, k - widthOf(packed), from);
      if (cls !== SEPARATOR || gap >= this.#maxGap) return end;
      k -= widthOf(packed);
    }
    return end;
  }

  /**
   * The exact walk: from `from` (a combination's first digit, or anywhere while one is open)
   * through the combination. Returns where it ended, or `end` if it is still open there.
   */
  #walk(text: string, from: number, end: number): number {
    const codec = this.#codec;
    const minDigits = this.#minDigits;
    const maxGap = this.#maxGap;
    const leading = this.#leading;
    let digits = this.#digits;
    let gap = this.#gap;
    let i = from;
    while (i < end) {
      const unit = text.charCodeAt(i);
      const packed = unit < ASCII_LIMIT ? (BMP[unit] ?? OTHER) | ONE_UNIT : codec.classAt(text, i);
      const cls = classOf(packed);
      if (cls < SEPARATOR) {
        if (digits === 0) this.#holdFrom = i;
        if (digits < CLASSIFY_DIGITS) leading[digits] = cls;
        digits += 1;
        gap = 0;
        i += widthOf(packed);
        if (digits >= minDigits) {
          if (digits === minDigits) {
            this.#sink.range(text, this.#emitted, this.#holdFrom);
            this.#sink.literal(this.#replacement);
          }
          this.#emitted = this.#holdFrom = i;
          this.#held = '';
        }
      } else if (digits > 0 && cls === SEPARATOR && gap < maxGap) {
        gap += 1;
        i += widthOf(packed);
      } else {
        this.#digits = digits;
        this.#sink.literal(this.#closeCombination());
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
