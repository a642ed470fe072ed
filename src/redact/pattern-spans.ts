/**
 * Where the patterns that keep a number stand in a stream of text: complete date-times
 * (`date-times.ts`), amounts and future dates (`kept-classes.ts`). Each pattern is found with
 * bounded look-ahead, so that every chunking finds the same spans, and a span counts only when it
 * stands alone — no digit joined to either end of it by up to `maxGap` separators — so that what
 * is deleted never leaves half a kept pattern behind. The scanner keeps a combination only when it
 * lies wholly inside a span that counts.
 *
 * Several patterns are read side by side, each with its own cursor and spans, so that one never
 * hides another (a date-time rejected at a place does not stop a future date being read there).
 *
 * @module
 */
import { classOf, widthOf, type Codec } from './codec.js';
import { SEPARATOR } from './unicode.js';

/** Forgotten span entries that trigger compacting a list. */
const COMPACT_AFTER = 1024;
/** Units per span entry: start, end, tag. */
const ENTRY = 3;

/**
 * A pattern whose matches may keep a number.
 *
 * @example
 * ```ts
 * const pattern: SpanPattern = { source: '\\d{4}-\\d{2}-\\d{2}', maxLength: 10, accept: () => 0 };
 * ```
 */
export interface SpanPattern {
  /** A regular expression without look-behind: a match depends on nothing before it, nor past its own `maxLength` units. */
  readonly source: string;
  /** The longest match, in the codec's units. */
  readonly maxLength: number;
  /** The tag (≥ 0) of a match to keep as a span, or -1 for a match that is none. */
  accept(match: RegExpExecArray): number;
}

/** One pattern's state: its cursor and the spans it found, as flat triples. */
class PatternReader {
  readonly pattern: RegExp;
  readonly accept: (match: RegExpExecArray) => number;
  /** Absolute offset from which this pattern is still to be read. */
  cursor = 0;
  spans: number[] = [];
  head = 0;

  constructor(pattern: SpanPattern) {
    this.pattern = new RegExp(pattern.source, 'g');
    this.accept = pattern.accept;
  }
}

/**
 * The spans of a stream, in absolute unit offsets of the codec's units. It looks ahead at most
 * {@link lookAhead} units: {@link release} says how far the scanner may read, knowing every span
 * that begins before that point.
 *
 * @example
 * ```ts
 * const spans = new PatternSpans(utf16, 3, [{ source: '\\d{4}-\\d{2}-\\d{2}', maxLength: 10, accept: () => 0 }]);
 * spans.release('due 2099-01-15.', 0, 15, true); // 15
 * spans.contains(4, 14); // 0: the tag of the span that holds it
 * ```
 */
export class PatternSpans {
  /**
   * Units past a settled point that a decision may read: the longest match, and the gap and digit
   * after it — with a code point to spare, so that the settled point may round up to a whole one.
   */
  readonly lookAhead: number;
  readonly #readers: PatternReader[];
  readonly #codec: Codec;
  readonly #maxGap: number;
  /** Enough units to walk back over `maxGap` separators and a digit, whatever their widths. */
  readonly #contextLength: number;
  /** The units before the text of the next call (and its carry), for the look back at a span's start. */
  #before = '';
  /**
   * Units the scanner has been let read but whose spans are not settled: no digit among them.
   * They are read again, before the next call's text, so that a span may begin in them.
   */
  #carry = '';
  /** The final text, while spans in it are still to be found on demand. */
  #rest: { text: string; base: number; limit: number } | null = null;

  constructor(codec: Codec, maxGap: number, patterns: readonly SpanPattern[]) {
    this.#codec = codec;
    this.#maxGap = maxGap;
    this.#readers = patterns.map((pattern) => new PatternReader(pattern));
    this.#contextLength = (maxGap + 2) * codec.maxUnitsPerCodePoint;
    this.lookAhead = Math.max(...patterns.map((pattern) => pattern.maxLength)) + this.#contextLength;
  }

  /**
   * Find the spans of `text` (whose first unit is at absolute offset `base`) before `limit`;
   * returns the index of `text` up to which the scanner may read: every span that may hold a
   * combination beginning there is known. Unless `final`, a span that may still run past `limit`
   * is left for the next call.
   *
   * The scanner asks only about combinations, and a combination begins at a digit: past the
   * point where every span is known it may still read on to the next digit (prompt emission:
   * text without digits is not held for a look-ahead). Those units are carried here and read
   * again before the next text, so a span that begins in them (`kr ` before an amount) is found.
   */
  release(text: string, base: number, limit: number, final: boolean): number {
    const carried = this.#carry.length;
    if (carried > 0) {
      text = this.#carry + text;
      base -= carried;
      limit += carried;
      this.#carry = '';
    }
    if (final) {
      // The whole rest is here: spans are looked for only where a combination asks (measured:
      // searching every one-shot text up front halved redact()'s throughput with date-times).
      this.#rest = { text, base, limit };
      return limit - carried;
    }
    // A span that begins before `settled` ends, with what may be joined to it, before `limit`.
    // Rounded up to a code point start, which the look-ahead's spare code point allows: rounded
    // down, the units left past it could pass `lookAhead - 1`, and with them the scanner's bound.
    const settled = this.#codePointEnd(text, limit - this.lookAhead + 1);
    let release = limit;
    for (const reader of this.#readers) {
      const pattern = reader.pattern;
      const from = Math.min(limit, Math.max(0, reader.cursor - base));
      pattern.lastIndex = from;
      let known = Math.max(from, settled);
      for (let match = pattern.exec(text); match !== null && match.index < settled; match = pattern.exec(text)) {
        const end = this.#accept(reader, match, text, base, limit);
        if (end !== -1) known = Math.max(known, end);
      }
      known = this.#codec.codePointStart(text, Math.min(limit, known));
      reader.cursor = Math.max(reader.cursor, base + known);
      release = Math.min(release, known);
    }
    const codec = this.#codec;
    let read = release;
    for (let packed = 0; read < limit && classOf((packed = codec.classAt(text, read))) >= SEPARATOR; ) read += widthOf(packed);
    this.#before = (this.#before + text.slice(0, release)).slice(-this.#contextLength);
    this.#carry = text.slice(release, read);
    return read - carried;
  }

  /** `k` when a code point begins there (or `k` lies outside `text`), else where the one holding it ends. */
  #codePointEnd(text: string, k: number): number {
    if (k <= 0 || k >= text.length) return k;
    const start = this.#codec.codePointStart(text, k);
    return start === k ? k : start + widthOf(this.#codec.classAt(text, start));
  }

  /** Keep the match as a span when it is accepted and stands alone; returns its end, or -1. */
  #accept(reader: PatternReader, match: RegExpExecArray, text: string, base: number, limit: number): number {
    const start = match.index;
    const end = start + match[0].length;
    const tag = reader.accept(match);
    if (tag >= 0 && !this.#isJoinedBefore(text, start) && !this.#isJoinedAfter(text, end, limit)) {
      reader.spans.push(base + start, base + end, tag);
      return end;
    }
    reader.pattern.lastIndex = start + 1;
    return -1;
  }

  /** Find each pattern's spans of the final text that begin at or before absolute `offset`. */
  #findUpTo(offset: number): void {
    const rest = this.#rest;
    if (rest === null) return;
    const { text, base, limit } = rest;
    let done = true;
    for (const reader of this.#readers) {
      const pattern = reader.pattern;
      if (reader.cursor > base + limit) continue;
      pattern.lastIndex = Math.max(0, reader.cursor - base);
      let match = pattern.exec(text);
      for (; match !== null; match = pattern.exec(text)) {
        if (base + match.index > offset) {
          reader.cursor = base + match.index;
          done = false;
          break;
        }
        this.#accept(reader, match, text, base, limit);
        reader.cursor = base + pattern.lastIndex;
      }
      if (match === null) reader.cursor = base + limit + 1;
    }
    if (done) this.#rest = null;
  }

  /** `true` when a digit lies up to `maxGap` separators before `text[start]`, itself a digit. */
  #isJoinedBefore(text: string, start: number): boolean {
    const codec = this.#codec;
    if (classOf(codec.classAt(text, start)) >= SEPARATOR) return false;
    // Only a span near the start of the text needs the units released before it.
    const context = start >= this.#contextLength ? text : this.#before + text.slice(0, start);
    let k = context === text ? start : context.length;
    for (let gap = 0; k > 0; gap++) {
      const packed = codec.classBefore(context, k);
      const cls = classOf(packed);
      if (cls < SEPARATOR) return true;
      if (cls !== SEPARATOR || gap === this.#maxGap) return false;
      k -= widthOf(packed);
    }
    return false;
  }

  /** `true` when a digit lies up to `maxGap` separators after `text[end - 1]`, itself a digit. */
  #isJoinedAfter(text: string, end: number, limit: number): boolean {
    const codec = this.#codec;
    if (classOf(codec.classBefore(text, end)) >= SEPARATOR) return false;
    let k = end;
    for (let gap = 0; k < limit; gap++) {
      const packed = codec.classAt(text, k);
      const cls = classOf(packed);
      if (cls < SEPARATOR) return true;
      if (cls !== SEPARATOR || gap === this.#maxGap) return false;
      k += widthOf(packed);
    }
    return false;
  }

  /**
   * The tag of the span that holds `[start, end)`, or -1 when none does; patterns are asked in
   * the order they were given. Asked in order of `start`.
   */
  contains(start: number, end: number): number {
    this.#findUpTo(start);
    this.forget(start);
    for (const { spans, head } of this.#readers) {
      if (head < spans.length && (spans[head] ?? 0) <= start && end <= (spans[head + 1] ?? 0)) return spans[head + 2] ?? -1;
    }
    return -1;
  }

  /** Drop the spans that end at or before `offset`: nothing before it will be asked about. */
  forget(offset: number): void {
    for (const reader of this.#readers) {
      const spans = reader.spans;
      let head = reader.head;
      while (head < spans.length && (spans[head + 1] ?? 0) <= offset) head += ENTRY;
      if (head === spans.length) {
        spans.length = 0;
        head = 0;
      } else if (head >= COMPACT_AFTER) {
        spans.splice(0, head);
        head = 0;
      }
      reader.head = head;
    }
  }

  /** Start again at offset 0, for new input. */
  reset(): void {
    this.#rest = null;
    this.#before = '';
    this.#carry = '';
    for (const reader of this.#readers) {
      reader.cursor = 0;
      reader.spans = [];
      reader.head = 0;
    }
  }
}
