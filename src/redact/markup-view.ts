/**
 * The text a reader sees of some markup, scanned by the one {@link CombinationScanner}, with a
 * record of which of its code units the scan deleted: the markup redactors (`html-redactor.ts`,
 * `markdown-redactor.ts`) feed it what a renderer shows and delete, in the source, the
 * characters that stand for the deleted units.
 *
 * The scanner tells its sink what it keeps — ranges of the text it scans and, before them, the
 * held text of a combination begun in an earlier chunk — and writes the replacement where a
 * combination is deleted. The view gives the scanner a policy whose replacement is a character
 * that held text never holds (held text is digits and separators), so every write is either
 * kept text at a known place or a deletion mark; the positions in between were deleted. What
 * the scanner still holds is undecided: `decidedEnd` is where that begins.
 *
 * @module
 */
import type { OutputSink } from './output-sink.js';
import { createPolicy, type Policy } from './policy.js';
import type { Counts } from './redaction-counts.js';
import { CombinationScanner } from './scanner.js';
import { utf16 } from './utf16-codec.js';

/** The view's replacement: one unit of class `OTHER`, which held text (digits, separators) never equals. */
const DELETION_MARK = '\u{FFFF}';

/** The digit {@link RenderedView.decide} appends. */
const PHANTOM_DIGIT = '0';

/** The view's policy for each frozen (validated) policy: a policy is not made per view. */
const markedPolicies = new WeakMap<Policy, Policy>();

/**
 * `policy` with {@link DELETION_MARK} as its replacement, validated once per policy rather than
 * per view (two views per Markdown redactor, one redactor per answer). A short streamed answer,
 * `bench/micro/rendered-view.js`, CPU: Node 20 11.1 → 8.0 µs, Node 26 13.7 → 9.3 µs.
 */
function markedPolicy(policy: Policy): Policy {
  let marked = markedPolicies.get(policy);
  if (marked === undefined) {
    marked = createPolicy({ ...policy, replacement: DELETION_MARK });
    // A policy that is not frozen could change after this call: only frozen ones are remembered.
    if (Object.isFrozen(policy)) markedPolicies.set(policy, marked);
  }
  return marked;
}

/** Learns from the scanner's writes which positions of the scanned text it kept. */
class PositionSink implements OutputSink<void> {
  /** Absolute position of the scanned text's first unit. */
  base = 0;
  /** Every position before it is decided. */
  cursor = 0;
  /** A deletion began at `cursor` and goes on past it. */
  deleting = false;
  readonly #deleted: number[];

  constructor(deleted: number[]) {
    this.#deleted = deleted;
  }

  unchanged(_text: string, end: number): void {
    this.#keep(this.base, this.base + end);
  }

  range(_text: string, from: number, to: number): void {
    // An empty range says nothing: it may stand before held text that began in an earlier chunk.
    if (to > from) this.#keep(this.base + from, this.base + to);
  }

  literal(units: string): void {
    if (units === DELETION_MARK) this.deleting = true;
    // Held text of an open combination ends where the scanned text begins (scanner.ts).
    else if (units !== '') this.#keep(this.base - units.length, this.base);
  }

  finish(): void {}

  /** Positions from the cursor to `to` were deleted. */
  deleteTo(to: number): void {
    if (to <= this.cursor) return;
    const deleted = this.#deleted;
    const last = deleted.length - 1;
    if (last > 0 && deleted[last] === this.cursor) deleted[last] = to;
    else deleted.push(this.cursor, to);
    this.cursor = to;
  }

  #keep(from: number, to: number): void {
    this.deleteTo(from);
    this.deleting = false;
    if (to > this.cursor) this.cursor = to;
  }
}

/**
 * A scan of rendered text that reports which of its units were deleted. Positions are absolute:
 * the count of units pushed before.
 *
 * @example
 * ```ts
 * const view = new RenderedView(createPolicy());
 * view.append('ring 98 76 54 32 nå');
 * view.end();
 * view.deleted; // [5, 16]: units 5 to 15 were deleted
 * ```
 */
export class RenderedView {
  /** Deleted ranges as `from, to` pairs in order; the reader drops what it has used. */
  readonly deleted: number[] = [];
  readonly #sink: PositionSink;
  readonly #scanner: CombinationScanner<void>;
  #pushed = 0;
  /** Units appended and not yet scanned: a chunk's units are scanned in one push. */
  #appended = '';

  constructor(policy: Policy) {
    this.#sink = new PositionSink(this.deleted);
    this.#scanner = new CombinationScanner(markedPolicy(policy), utf16, this.#sink);
  }

  /** Ended: no unit will come after the last one appended (until more are appended). */
  closed = false;

  /** Units appended so far. */
  get length(): number {
    return this.#pushed + this.#appended.length;
  }

  /** Every position before it is decided: kept, or listed in `deleted`. */
  get decidedEnd(): number {
    return this.#sink.cursor;
  }

  /** The most units the view holds undecided (the scanner's bound). */
  get maxHeldLength(): number {
    return this.#scanner.maxHeldLength;
  }

  /** What the view's scanner has counted. */
  get counts(): Counts {
    return this.#scanner.counts;
  }

  /** Append rendered units, to be scanned by the next {@link RenderedView.scan}. */
  append(rendered: string): void {
    if (rendered !== '') this.closed = false;
    this.#appended += rendered;
  }

  /** Scan what was appended. */
  scan(): void {
    const rendered = this.#appended;
    if (rendered === '') return;
    this.#appended = '';
    const sink = this.#sink;
    sink.base = this.#pushed - this.#scanner.pendingLength;
    this.#pushed += rendered.length;
    this.#scanner.push(rendered);
    // Digits past `minDigits` are deleted without a write; all but what is held is decided.
    if (sink.deleting) sink.deleteTo(this.#pushed - this.#scanner.heldLength);
  }

  /**
   * Make the view decide now: when a combination is open (held), append `minDigits` digits that
   * stand for nothing in the source, so that the scanner deletes it rather than hold it while
   * markup piles up behind it. Whether one is open depends only on the units appended so far,
   * never on how they came in chunks.
   */
  decide(): void {
    this.scan();
    if (this.#scanner.heldLength === 0) return;
    this.append(PHANTOM_DIGIT.repeat(this.#scanner.policy.minDigits));
    this.scan();
  }

  /** End of the rendered text: everything is decided. */
  end(): void {
    this.scan();
    const sink = this.#sink;
    sink.base = this.#pushed - this.#scanner.pendingLength;
    this.#scanner.end();
    if (sink.deleting) sink.deleteTo(this.#pushed);
    sink.deleting = false;
    this.closed = true;
  }
}
