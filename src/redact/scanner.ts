/**
 * The one state machine behind every way of redacting: one-shot and streamed, strings and
 * bytes. It reads code points through a {@link Codec}; one-shot redaction is a single push and
 * an end, so every form agrees with every other by construction, whatever the chunking. The one
 * exception is `redact()` of a string under a policy that keeps nothing on purpose: its hot path
 * reads with `plain-scan.ts`, the same finder and walk without the hold-back, held to this
 * scanner by a property test.
 *
 * Over 300 lines on purpose: the scan, the walk and the hold-back are one state machine over one
 * set of private fields, on the hot path; split, each part would need that state exposed.
 *
 * @module
 */
import { WIDTH_SHIFT, classOf, widthOf, type Codec, type Finder } from './codec.js';
import { NEAR_UNITS, findMatchStart, findNearDigit, findOpenTailStart } from './combination-bounds.js';
import { NOT_KEPT, createKeepRules, type KeepRules } from './keep-rules.js';
import { CLASSIFY_DIGITS } from './kinds.js';
import type { OutputSink } from './output-sink.js';
import type { PatternSpans } from './pattern-spans.js';
import { resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import { RedactionCounts } from './redaction-counts.js';
import { BMP, OTHER, SEPARATOR } from './unicode.js';

const ASCII_LIMIT = 0x80;
const ONE_UNIT = 1 << WIDTH_SHIFT;

/**
 * Scans text in the codec's code units, deleting every combination of `minDigits` or more
 * digits, and writes its output to a sink. It holds back only the digits and gap of a
 * combination still open and shorter than `minDigits` and the gap after a sensitive one. When
 * the policy keeps numbers on purpose (`allow`, `keepTimestamps`) it also holds a sensitive
 * combination that may still be named until it ends (see `keep-rules.ts`), and with
 * `keepTimestamps` the look-ahead that date-times need. It reads
 * well-formed text of whole code points only: its callers hold a code point split across chunks
 * and replace ill-formed units first (`well-formed.ts`, `well-formed-bytes.ts`).
 */
export class CombinationScanner<T> {
  readonly policy: Policy;
  readonly #codec: Codec;
  readonly #sink: OutputSink<T>;
  readonly #minDigits: number;
  readonly #maxGap: number;
  readonly #replacement: string;
  /** Its own finder, for its own position. */
  readonly #finder: Finder;
  /** What the policy keeps on purpose; `null` for nothing. */
  readonly #keepRules: KeepRules | null;
  readonly #dateTimes: PatternSpans | null;
  /**
   * The digit count at which a combination is deleted on the spot: `minDigits`, or past the
   * longest one the keep rules could name. Below it a sensitive combination is judged when it ends.
   */
  readonly #deleteAt: number;
  /** Digits of the open combination; 0 when none is open. */
  #digits = 0;
  /** Separators since the open combination's last digit. */
  #gap = 0;
  /** Text of the open combination carried over from earlier chunks, not yet emitted. */
  #held = '';
  /** Units that ended the last chunk and may begin a code point (or a date-time) the next one completes. */
  #pending = '';
  /** Values of the open combination's first digits: for the kind, and for the keep rules. */
  readonly #leading: Uint8Array;
  /** Output of the scan in progress: where the next range starts, where holding starts. */
  #emitted = 0;
  #holdFrom = 0;
  /** Where the last {@link CombinationScanner.#nearDigit} stopped reading. */
  #searchedTo = 0;
  /** Absolute offset of the scanned text's first unit, for the keep rules' date-times. */
  #base = 0;
  readonly #counts = new RedactionCounts();

  /**
   * @param finder the codec's finder for the policy, when the caller shares it (it has asked it
   *   before a push: `ByteRedactor`); else the scanner makes its own
   */
  constructor(policy: PolicyOptions | Policy | undefined, codec: Codec, sink: OutputSink<T>, finder?: Finder) {
    this.policy = resolvePolicy(policy);
    this.#codec = codec;
    this.#sink = sink;
    this.#minDigits = this.policy.minDigits;
    this.#maxGap = this.policy.maxGap;
    this.#replacement = codec.encode(this.policy.replacement);
    this.#finder = finder ?? codec.createFinder(this.#minDigits, this.#maxGap);
    this.#keepRules = createKeepRules(this.policy, codec);
    this.#dateTimes = this.#keepRules?.spans ?? null;
    const keptDigits = this.#keepRules?.maxDigits ?? 0;
    this.#deleteAt = Math.max(this.#minDigits, keptDigits + 1);
    this.#leading = new Uint8Array(Math.max(CLASSIFY_DIGITS, keptDigits));
  }

  /** What this scanner has counted so far (each combination when it ends); its owner resets it. */
  get counts(): RedactionCounts {
    return this.#counts;
  }

  /** Units carried into the next push unscanned: a date-time's look-ahead. */
  get pendingLength(): number {
    return this.#pending.length;
  }

  /** Code units held back right now. */
  get heldLength(): number {
    return this.#held.length + this.#pending.length;
  }

  /**
   * No combination open (nor the gap after a sensitive one) and no date-time read ahead: a chunk
   * that holds no finder match and ends on no digit that may go on would pass as it is.
   */
  get isIdle(): boolean {
    return this.#digits === 0 && this.#dateTimes === null;
  }

  /**
   * The most code units this scanner can ever hold back: a combination one digit short of
   * deletion with a full gap after each digit, every code point at its widest, one split code
   * point, and a date-time's look-ahead when those are kept. For the default policy on strings,
   * 49 UTF-16 units.
   */
  get maxHeldLength(): number {
    const codePoints = (this.#deleteAt - 1) * (1 + this.#maxGap);
    const widest = this.#codec.maxUnitsPerCodePoint;
    const lookAhead = this.#dateTimes === null ? 0 : this.#dateTimes.lookAhead - 1;
    return widest * codePoints + widest - 1 + lookAhead;
  }

  /**
   * Scan the next chunk; returns what is now safe to pass on (possibly empty).
   * @param first where the finder first matches in `chunk`, when the caller has asked while the
   *   scanner {@link CombinationScanner.isIdle} (`chunk.length` for nowhere); -1 to let the scan ask
   */
  push(chunk: string, first = -1): T {
    let text = chunk;
    if (this.#pending !== '') {
      text = this.#pending + text;
      this.#pending = '';
    }
    let end = text.length;
    if (this.#dateTimes !== null) end = this.#dateTimes.release(text, this.#base, end, false);
    if (end < text.length) this.#pending = text.slice(end);
    const out = this.#scan(text, end, false, text === chunk ? first : -1);
    // Let go of the chunk: a stream's caller awaits between pushes (the CLI, a write's callback),
    // and a chunk the finder still held survived the scavenge that the next chunk's allocation
    // set off; V8 grows its young generation by the bytes that survive, so over 1 GiB the CLI's
    // peak RSS grew to 1.25–1.60× its 64 MiB figure on Node 26 (1.20–1.22× on Node 20), 1.10–1.11×
    // (1.11×) once the chunk is let go (bench/micro/cli-builds.js, two runs, machine loaded by
    // other work; medians of 3 interleaved rounds).
    this.#finder.begin('');
    if (this.#dateTimes !== null) {
      this.#base += end;
      this.#dateTimes.forget(this.#digits > 0 ? this.#base - this.#held.length : this.#base);
    }
    return out;
  }

  /** End of input: returns whatever was held back. The scanner is then ready for new input. */
  end(): T {
    const rest = this.#pending;
    this.#pending = '';
    this.#dateTimes?.release(rest, this.#base, rest.length, true);
    const out = this.#scan(rest, rest.length, true);
    this.#startAgain();
    return out;
  }

  /**
   * Scan a whole text in one go, adding to this scanner's counts.
   * @param first where the finder first matches in `text`, when the caller has already asked
   *   (no combination begins before it); -1 to let the scan ask
   * @internal the one-shot path; the scanner must hold nothing when it is called
   */
  redactWhole(text: string, first = -1): T {
    if (this.#dateTimes === null) return this.#scan(text, text.length, true, first);
    this.#dateTimes.release(text, 0, text.length, true);
    const out = this.#scan(text, text.length, true, first);
    this.#startAgain();
    return out;
  }

  /** After the end of input: offsets count from 0 again. */
  #startAgain(): void {
    this.#base = 0;
    this.#dateTimes?.reset();
  }

  /**
   * Scan `text[0, end)`, continuing the open combination if there is one. Unless `final`, the
   * combination that may still be open at the end is left open and held; a final scan closes it.
   *
   * The finder jumps to each place a combination may be; the exact walk decides. Output
   * goes to the sink: `#emitted` is where the next range of `text` begins, `#holdFrom` where the
   * open combination's retained text begins. While `#held` is not empty nothing of this chunk
   * has been emitted yet, so `#held` always precedes `text[#emitted…]`.
   */
  #scan(text: string, end: number, final: boolean, first = -1): T {
    const finder = this.#finder;
    finder.begin(text);
    let at = -1;
    let tail = -1;
    if (this.#digits === 0) {
      // The common case: one finder call over the whole text finds nothing, and nothing at its
      // end may go on in the next chunk: the text is the output as it is. 64-character chunks:
      // 1.50× → 1.41× one-shot's CPU time on Node 20, 1.06× → 1.04× on Node 26 (bench/micro/engine-builds.js).
      at = first >= 0 ? first : finder.next(0);
      if (at < 0) {
        tail = final ? end : findOpenTailStart(this.#codec, this.#maxGap, text, 0, end);
        if (tail === end) return this.#sink.unchanged(text, end);
      }
    }
    this.#emitted = 0;
    this.#holdFrom = 0;
    let i = 0;
    if (this.#digits > 0) {
      i = this.#walk(text, 0, end);
      if (this.#digits > 0) return this.#finishScan(text, end, final);
      at = finder.next(i);
    }
    if (tail < 0) tail = final ? end : findOpenTailStart(this.#codec, this.#maxGap, text, i, end);
    while (at >= 0 && at < tail) {
      const start = findMatchStart(this.#codec, this.#maxGap, text, at, i);
      if (start < 0) {
        // A candidate that is no digit: the finder's coarse class for non-ASCII digits passes
        // whole scripts (Thai, Ethiopic, Persian letters), one finder call per letter; read on
        // exactly first, as after a walk. redact() of such messages of the chat corpus (0.7% of
        // it, 22 characters on average), one process, machine loaded: 386 → 170 ns on Node 20,
        // 368 → 149 ns on Node 26.
        const near = this.#nearDigit(text, at + 1, tail);
        at = near >= 0 ? near : this.#searchedTo < tail ? finder.next(this.#searchedTo) : -1;
        continue;
      }
      i = this.#walk(text, start, end);
      for (let near = this.#nearDigit(text, i, tail); near >= 0; near = this.#nearDigit(text, i, tail)) {
        i = this.#walk(text, near, end);
      }
      at = this.#searchedTo < tail ? finder.next(this.#searchedTo) : -1;
    }
    if (tail < end) this.#walk(text, tail, end);
    return this.#finishScan(text, end, final);
  }

  /**
   * A digit among the {@link NEAR_UNITS} units after a walk that ended at `from`, read exactly, or
   * -1, with `#searchedTo` where the finder should go on. Where digits are dense (`'1\ufffd'` or
   * `'١a'` repeated, every digit a hit) this spares a finder call and a walk back per digit,
   * which made such text cost 4–6× benign text per byte (invariant 9). A digit found here begins
   * its combination: nothing between `from` and it is a digit.
   */
  #nearDigit(text: string, from: number, tail: number): number {
    const near = findNearDigit(this.#codec, text, from, Math.min(tail, from + NEAR_UNITS));
    if (near >= 0) return near;
    this.#searchedTo = ~near;
    return -1;
  }

  #finishScan(text: string, end: number, final: boolean): T {
    const sink = this.#sink;
    if (this.#digits === 0) {
      sink.range(text, this.#emitted, end);
    } else if (final) {
      this.#closeCombination(text, end, this.#gap);
      sink.range(text, this.#emitted, end);
    } else {
      this.#held += text.slice(this.#holdFrom, end);
      sink.range(text, this.#emitted, this.#holdFrom);
    }
    return sink.finish();
  }

  /**
   * The exact walk: from `from` (a combination's first digit, or anywhere while one is open)
   * through the combination. Returns where it ended, or `end` if it is still open there.
   */
  #walk(text: string, from: number, end: number): number {
    const codec = this.#codec;
    const deleteAt = this.#deleteAt;
    const maxGap = this.#maxGap;
    const leading = this.#leading;
    const recorded = leading.length;
    let digits = this.#digits;
    let gap = this.#gap;
    let i = from;
    while (i < end) {
      const unit = text.charCodeAt(i);
      const packed = unit < ASCII_LIMIT ? (BMP[unit] ?? OTHER) | ONE_UNIT : codec.classAt(text, i);
      const cls = classOf(packed);
      if (cls < SEPARATOR) {
        if (digits === 0) this.#holdFrom = i;
        if (digits < recorded) leading[digits] = cls;
        digits += 1;
        gap = 0;
        i += widthOf(packed);
        if (digits >= deleteAt) {
          if (digits === deleteAt) {
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
        this.#closeCombination(text, i, gap);
        return i;
      }
    }
    this.#digits = digits;
    this.#gap = gap;
    return end;
  }

  /**
   * The open combination ends at `text[at]`, `gap` separators after its last digit: count it,
   * judge it first if it was held to be judged, and emit its held text.
   */
  #closeCombination(text: string, at: number, gap: number): void {
    const digits = this.#digits;
    if (digits >= this.#minDigits) {
      const kept = digits < this.#deleteAt ? this.#judgeHeld(text, at, gap) : NOT_KEPT;
      if (kept === NOT_KEPT) this.#counts.countDeletion(this.#leading, digits);
      else this.#counts.countKept(kept);
    }
    this.#digits = 0;
    this.#gap = 0;
    if (this.#held !== '') {
      this.#sink.literal(this.#held);
      this.#held = '';
    }
  }

  /**
   * Ask the keep rules about the held combination that ends at `text[at]` (its answer is returned);
   * when it is not kept, write its deletion: the text before it, the replacement, and its
   * trailing gap (left in `#held` when that began in an earlier chunk).
   */
  #judgeHeld(text: string, at: number, gap: number): number {
    const gapUnits = this.#unitsOfGap(text, at, gap);
    const start = this.#base + this.#holdFrom - this.#held.length;
    const kept = this.#keepRules?.keeps(this.#leading, this.#digits, start, this.#base + at - gapUnits) ?? NOT_KEPT;
    if (kept !== NOT_KEPT) return kept;
    const gapStart = at - gapUnits;
    this.#sink.range(text, this.#emitted, this.#holdFrom);
    this.#sink.literal(this.#replacement);
    if (gapStart < this.#holdFrom) {
      this.#held = this.#held.slice(this.#held.length - (this.#holdFrom - gapStart));
      this.#emitted = this.#holdFrom;
    } else {
      this.#held = '';
      this.#emitted = gapStart;
    }
    return NOT_KEPT;
  }

  /** Code units of the `gap` separators before `text[at]`, counting into `#held` where they began there. */
  #unitsOfGap(text: string, at: number, gap: number): number {
    const codec = this.#codec;
    let left = gap;
    let k = at;
    for (; left > 0 && k > this.#holdFrom; left--) k -= widthOf(codec.classBefore(text, k));
    let h = this.#held.length;
    for (; left > 0; left--) h -= widthOf(codec.classBefore(this.#held, h));
    return at - k + this.#held.length - h;
  }
}
