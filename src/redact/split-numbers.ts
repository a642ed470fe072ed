/**
 * A number sent in pieces: `010190` in one chat message and `12345` in the next are each short,
 * but the vendor's log would hold a whole national id. When a message ends in a run of digits and
 * the chat's next message, within {@link ACROSS_MESSAGES_WINDOW_MS}, begins with digits so that
 * together — the separators at the end of one and the start of the other within `maxGap` — they
 * would reach `minDigits`, the next message's leading run is deleted (kind {@link SPLIT_KIND}).
 *
 * Only counts are kept between messages — how many digits ended the last one, the separators
 * after them, and when it was sent — never a digit. The gateway seals them into the session token
 * so that a resume on another replica keeps them; the widget keeps its own, to delete the
 * leading run before sending and say why.
 *
 * @module
 */
import { KINDS } from './kinds.js';
import type { Policy } from './policy.js';
import type { RedactedText } from './redacted-text.js';
import { SEPARATOR, classifyCodePoint } from './unicode.js';

/**
 * How long a message's trailing digits may join the next message's leading ones: two minutes.
 *
 * @example
 * ```ts
 * ACROSS_MESSAGES_WINDOW_MS; // 120000
 * ```
 */
export const ACROSS_MESSAGES_WINDOW_MS = 120_000;

/**
 * The `kind` a leading run deleted for joining the last message's trailing digits is counted as.
 *
 * @example
 * ```ts
 * metrics.redactions.inc({ direction: 'inbound', kind: SPLIT_KIND });
 * ```
 */
export const SPLIT_KIND = 'split';

/**
 * Every `kind` a deletion is counted as: the engine's {@link KINDS} of a combination, and
 * {@link SPLIT_KIND} — the metrics' label set, and what a widget may report it removed.
 *
 * @example
 * ```ts
 * COUNTED_KINDS.at(-1); // 'split'
 * ```
 */
export const COUNTED_KINDS = Object.freeze([...KINDS, SPLIT_KIND] as const);

/**
 * Counts of deletions by every counted kind, {@link SPLIT_KIND} included; kinds with none are absent.
 *
 * @example
 * ```ts
 * const removed: CountedKindCounts = { national_id: 1, split: 1 };
 * ```
 */
export type CountedKindCounts = Partial<Record<(typeof COUNTED_KINDS)[number], number>>;

/**
 * What a chat remembers of its last message: the digits of the run it ended in (0: none), the
 * separators after them, and when it was sent (ms since the epoch). Counts only.
 *
 * @example
 * ```ts
 * const tail: MessageTail = { digits: 6, gap: 0, at: Date.now() }; // the last message ended in '010190'
 * ```
 */
export interface MessageTail {
  readonly digits: number;
  readonly gap: number;
  readonly at: number;
}

/** No digits ended the last message. */
const NO_TAIL: MessageTail = Object.freeze({ digits: 0, gap: 0, at: 0 });
const HIGH_SURROGATE_FIRST = 0xd800;
const LOW_SURROGATE_LAST = 0xdfff;

/** Class and width in UTF-16 units of the code point that ends at `end`. */
function classBefore(text: string, end: number): [cls: number, width: number] {
  const last = text.charCodeAt(end - 1);
  const isPair = end >= 2 && last >= 0xdc00 && last <= LOW_SURROGATE_LAST && text.charCodeAt(end - 2) >= HIGH_SURROGATE_FIRST && text.charCodeAt(end - 2) < 0xdc00;
  const codePoint = isPair ? (text.codePointAt(end - 2) ?? 0) : last;
  return [classifyCodePoint(codePoint), isPair ? 2 : 1];
}

/** The run of digits `text` ends in: its digits, the separators after it (`digits` 0: none), and where its first digit is. */
function readTail(text: string, maxGap: number): { digits: number; gap: number; start: number } {
  let end = text.length;
  let gap = 0;
  let digits = 0;
  let sinceDigit = 0;
  let start = -1;
  while (end > 0) {
    const [cls, width] = classBefore(text, end);
    if (cls < SEPARATOR) {
      digits += 1;
      sinceDigit = 0;
      start = end - width;
    } else if (cls === SEPARATOR && (digits === 0 ? gap < maxGap : sinceDigit < maxGap)) {
      if (digits === 0) gap += 1;
      else sinceDigit += 1;
    } else {
      break;
    }
    end -= width;
  }
  return { digits, gap: digits === 0 ? 0 : gap, start };
}

/** The run of digits `text` begins with (after at most `maxGap` separators): where it is, its digits, the separators before it. */
function readHead(text: string, maxGap: number): { start: number; end: number; digits: number; gap: number } | undefined {
  let at = 0;
  let gap = 0;
  let start = -1;
  let end = -1;
  let digits = 0;
  let sinceDigit = 0;
  while (at < text.length) {
    const codePoint = text.codePointAt(at) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    const cls = classifyCodePoint(codePoint);
    if (cls < SEPARATOR) {
      if (start < 0) start = at;
      digits += 1;
      sinceDigit = 0;
      end = at + width;
    } else if (cls === SEPARATOR && (start < 0 ? gap < maxGap : sinceDigit < maxGap)) {
      if (start < 0) gap += 1;
      else sinceDigit += 1;
    } else {
      break;
    }
    at += width;
  }
  return start < 0 ? undefined : { start, end, digits, gap };
}

/**
 * Watches one chat's messages, in order, for a number sent in pieces.
 *
 * @example
 * ```ts
 * const guard = new SplitNumbers(policy);
 * guard.next('fnr 010190', Date.now()); // { text: 'fnr 010190', split: false }
 * guard.next('12345', Date.now());      // { text: '', split: true }
 * ```
 */
export class SplitNumbers {
  readonly #minDigits: number;
  readonly #maxGap: number;
  readonly #replacement: string;
  #tail: MessageTail;

  constructor(policy: Policy, tail: MessageTail = NO_TAIL) {
    this.#minDigits = policy.minDigits;
    this.#maxGap = policy.maxGap;
    this.#replacement = policy.replacement;
    this.#tail = tail;
  }

  /** What the chat remembers of its last message (to seal into a session token). */
  get tail(): MessageTail {
    return this.#tail;
  }

  /**
   * The next message's text (already redacted) as it would go on if sent at `now`, remembering
   * nothing: what the widget's hint asks while the user types. The leading run is deleted from
   * the text: redacted text stays {@link RedactedText}.
   */
  peek(text: RedactedText, now: number): { text: RedactedText; split: boolean };
  peek(text: string, now: number): { text: string; split: boolean };
  peek(text: string, now: number): { text: string; split: boolean } {
    const joined = this.#joined(text, now);
    if (joined?.split !== true) return { text, split: false };
    // The leading run is deleted from redacted text: what is left is redacted text still.
    return { text: text.slice(0, joined.head.start) + this.#replacement + text.slice(joined.head.end), split: true };
  }

  /**
   * The next message's text (already redacted) as it goes on, sent at `now`: its leading run
   * deleted when it would complete the last message's trailing digits; and remember its own.
   */
  next(text: RedactedText, now: number): { text: RedactedText; split: boolean };
  next(text: string, now: number): { text: string; split: boolean };
  next(text: string, now: number): { text: string; split: boolean } {
    const joined = this.#joined(text, now);
    const { text: out, split } = this.peek(text, now);
    const separators = this.#onlySeparators(out);
    if (separators >= 0) {
      // Nothing left but separators (or nothing): the last message's digits may still go on after them.
      const last = this.#tail;
      this.#tail = last.digits > 0 && last.gap + separators <= this.#maxGap ? { ...last, gap: last.gap + separators, at: now } : NO_TAIL;
      return { text: out, split };
    }
    const tail = readTail(out, this.#maxGap);
    // A message that is nothing but the run that went on from the last one carries the count on.
    const carried = joined !== undefined && !split && tail.start === joined.head.start;
    const digits = carried ? tail.digits + this.#tail.digits : tail.digits;
    this.#tail = digits === 0 ? NO_TAIL : { digits, gap: tail.gap, at: now };
    return { text: out, split };
  }

  /** How many separators `text` is, when it is nothing else (up to `maxGap` + 1); -1 otherwise. */
  #onlySeparators(text: string): number {
    let count = 0;
    for (const char of text) {
      if (classifyCodePoint(char.codePointAt(0) ?? 0) !== SEPARATOR) return -1;
      if (count <= this.#maxGap) count += 1;
    }
    return count;
  }

  /** The leading run of `text` when it goes on from the last message's trailing digits, and whether together they are sensitive. */
  #joined(text: string, now: number): { head: NonNullable<ReturnType<typeof readHead>>; split: boolean } | undefined {
    const tail = this.#tail;
    if (tail.digits === 0 || now - tail.at > ACROSS_MESSAGES_WINDOW_MS || now < tail.at - ACROSS_MESSAGES_WINDOW_MS) return undefined;
    const head = readHead(text, this.#maxGap);
    if (head === undefined || tail.gap + head.gap > this.#maxGap) return undefined;
    return { head, split: tail.digits + head.digits >= this.#minDigits };
  }
}
