/**
 * The source of some markup, in order, each piece tied to the rendered units it stands for in a
 * {@link RenderedView}: written out as soon as its view has decided them, without the characters
 * whose rendered units were deleted. Shared by the HTML and the Markdown redactor; each of them
 * only says what a piece of its source is and what it renders as.
 *
 * Pieces of source ({@link PieceKind}):
 * - `TEXT`: each unit renders as one unit (a `\n` as a space, say); each is deleted on its own;
 * - `ATOM`: renders as a few units (`&#x37;` as `7`, `\-` as `-`), kept or deleted whole;
 * - `MARKUP`: a tag, a mark, a line break that is no text: kept whatever its units (`<br>` as a
 *   line break, a table cell as a tab, most tags as nothing);
 * - `LINK`: a link target, written whole or replaced by what the tokenizer says when anything
 *   in it was deleted (an address without its digits would lead somewhere else);
 * - `GUARD`: a character that is text only because of what follows it (`<` before a digit, `&`
 *   before what is no reference), written another way when a deletion begins soon after it.
 *
 * @module
 */
import type { RenderedView } from './markup-view.js';
import type { RedactedText } from './redacted-text.js';
import { RedactionCounts } from './redaction-counts.js';

/** What a piece of source is; see the module. */
export const TEXT = 0;
export const ATOM = 1;
export const MARKUP = 2;
export const LINK = 3;
export const GUARD = 4;
export type PieceKind = typeof TEXT | typeof ATOM | typeof MARKUP | typeof LINK | typeof GUARD;

/** Deleted ranges a view may list before the read ones are dropped. */
const COMPACT_AT = 256;
/**
 * Units of source a view may go without reading one before a combination open in it is deleted
 * rather than held: what is held stays bounded however much markup stands between two digits
 * (`1<b></b><b></b>…2`).
 */
export const MAX_MARKUP_RUN = 16_384;

interface Piece {
  kind: PieceKind;
  /** What is written when it is kept (a tokenizer may have made it safer than it came). */
  source: string;
  view: RenderedView;
  /** Its first rendered unit in `view`, and how many it stands for. */
  start: number;
  length: number;
  /** Index of the replacement to write where a deletion begins in it; for `GUARD`, how many units after it it watches. */
  context: number;
  /** What stands for a `LINK` that was dropped, or a `GUARD` that a deletion follows. */
  dropped: string;
}

/** Where the reader of one view's deleted ranges is. */
interface Cursor {
  view: RenderedView;
  next: number;
  /** Units of source added since the view last read a unit. */
  unread: number;
}

/**
 * The ordered source of one markup stream. `add…` appends a piece and pushes its rendered units
 * to its view; `flush` writes out every piece whose units are decided.
 */
export class MarkupOutput {
  readonly #replacements: readonly string[];
  readonly #cursors: Cursor[];
  readonly #queue: Piece[] = [];
  #head = 0;
  #out = '';
  /** Units of source queued and not yet written. */
  #queued = 0;


  /** `replacements[context]`: the policy's replacement as each context must write it. */
  constructor(views: readonly RenderedView[], replacements: readonly string[]) {
    this.#replacements = replacements;
    this.#cursors = views.map((view) => ({ view, next: 0, unread: 0 }));
  }

  /** Source units waiting for their view to decide. */
  get queuedLength(): number {
    return this.#queued;
  }

  /** Append a piece whose units `rendered` are pushed to `view` now. */
  add(kind: PieceKind, source: string, view: RenderedView, rendered: string, context = 0, dropped = ''): void {
    // A guard may be empty: what is written only where a deletion follows (a reference's `;`).
    if (source === '' && rendered === '' && kind !== GUARD) return;
    for (const cursor of this.#cursors) {
      if (cursor.view === view && rendered !== '') cursor.unread = 0;
      else if ((cursor.unread += source.length) > MAX_MARKUP_RUN) {
        cursor.unread = 0;
        cursor.view.decide();
      }
    }
    if (kind === MARKUP && this.#head === this.#queue.length) {
      view.append(rendered);
      this.#out += source; // nothing before it waits: it goes out now
      return;
    }
    const start = view.length;
    view.append(rendered);
    this.#queued += source.length;
    // Markup next to markup, and text next to text it goes on, are one piece: fewer to write out.
    const last = this.#queue.length > this.#head ? this.#queue[this.#queue.length - 1]! : undefined;
    if (last !== undefined && last.kind === kind && last.view === view) {
      if (kind === MARKUP || (kind === TEXT && last.context === context && last.start + last.length === start)) {
        last.source += source;
        last.length += rendered.length;
        return;
      }
    }
    this.#queue.push({ kind, source, view, start, length: rendered.length, context, dropped });
  }

  /** Scan what the views were given, write out what is decided; returns it. */
  flush(): RedactedText {
    for (const { view } of this.#cursors) view.scan();
    return this.#drain();
  }

  /** End every view and write out the rest. */
  end(): RedactedText {
    for (const { view } of this.#cursors) view.end();
    return this.#drain();
  }

  /** What is decided, written without what the views deleted: the only place markup output becomes redacted text. */
  #drain(): RedactedText {
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const piece = queue[this.#head]!;
      if (!this.#write(piece)) break;
      this.#queued -= piece.source.length;
      this.#head += 1;
    }
    if (this.#head === queue.length) {
      queue.length = 0;
      this.#head = 0;
    }
    const out = this.#out as RedactedText;
    this.#out = '';
    return out;
  }

  /** Counts of every view. */
  counts(): RedactionCounts {
    const counts = new RedactionCounts();
    for (const { view } of this.#cursors) counts.add(view.counts);
    return counts;
  }

  /** Write what is decided of `piece`; `true` when all of it was written. */
  #write(piece: Piece): boolean {
    if (piece.kind === MARKUP) {
      this.#out += piece.source;
      return true;
    }
    const { view, start, length } = piece;
    const end = start + length;
    const decided = view.decidedEnd;
    if (piece.kind === GUARD) {
      const reach = Math.min(end + piece.context, view.length);
      if (decided < reach || (decided < end + piece.context && !view.closed)) return false;
      this.#out += this.#firstDeletion(view, end, reach) >= end ? piece.dropped : piece.source;
      return true;
    }
    if (piece.kind !== TEXT || length === 0) {
      if (decided < end) return false;
      const deletedFrom = this.#firstDeletion(view, start, end);
      if (deletedFrom < 0) this.#out += piece.source;
      else if (piece.kind === LINK) this.#out += piece.dropped;
      else if (deletedFrom >= start) this.#out += this.#replacements[piece.context] ?? '';
      return true;
    }
    const upTo = Math.min(end, decided);
    if (upTo <= start) return false;
    this.#writeText(piece, upTo);
    if (upTo === end) return true;
    piece.source = piece.source.slice(upTo - start);
    this.#queued -= upTo - start;
    piece.start = upTo;
    piece.length = end - upTo;
    return false;
  }

  /** Write the text piece's units before `upTo`, deleting what the view deleted. */
  #writeText(piece: Piece, upTo: number): void {
    const cursor = this.#cursorOf(piece.view);
    const deleted = piece.view.deleted;
    const { start, source } = piece;
    let at = start;
    while (at < upTo) {
      this.#skipRead(cursor, at);
      const from = deleted[cursor.next];
      if (from === undefined || from >= upTo) break;
      if (from > at) this.#out += source.slice(at - start, from - start);
      if (from >= at) this.#out += this.#replacements[piece.context] ?? '';
      at = Math.min(deleted[cursor.next + 1]!, upTo);
    }
    if (at < upTo) this.#out += source.slice(at - start, upTo - start);
  }

  /**
   * Where the first deletion that touches `[start, end)` begins (before `start` when one runs
   * into it), or -1 for none.
   */
  #firstDeletion(view: RenderedView, start: number, end: number): number {
    const cursor = this.#cursorOf(view);
    this.#skipRead(cursor, start);
    const from = view.deleted[cursor.next];
    return from !== undefined && from < end ? from : -1;
  }

  /** Move past the ranges that end at or before `at`, dropping them now and then. */
  #skipRead(cursor: Cursor, at: number): void {
    const deleted = cursor.view.deleted;
    while (cursor.next < deleted.length && deleted[cursor.next + 1]! <= at) cursor.next += 2;
    if (cursor.next >= COMPACT_AT) {
      deleted.splice(0, cursor.next);
      cursor.next = 0;
    }
  }

  #cursorOf(view: RenderedView): Cursor {
    const cursors = this.#cursors;
    return cursors[0]!.view === view ? cursors[0]! : cursors.find((c) => c.view === view)!;
  }
}

const WHITE_SPACE_RUN = /[\t\n\f\r ]+/g;
/** White space a renderer shows otherwise than as written: a tab, a line break, two spaces. */
const COLLAPSING = /[\t\n\f\r]| {2}/;

/**
 * Add text as a renderer shows it under CSS's `white-space: normal`: each run of white space
 * one space (`1 \n  2` reads `1 2`), none at all right after another (`spaced`). Returns whether
 * the text ended in white space. The first unit of a run is the one deleted with a combination;
 * the rest are kept, rendering as nothing.
 *
 * @example
 * ```ts
 * addCollapsed(output, view, 'ring  98', false, 0); // adds 'ring', ' ', ' ' (kept, as nothing), '98'; returns false
 * ```
 */
export function addCollapsed(output: MarkupOutput, view: RenderedView, source: string, spaced: boolean, context: number): boolean {
  if (!COLLAPSING.test(source) && !(spaced && source.startsWith(' '))) {
    // The common case: words and single spaces, each rendered as it is written.
    output.add(TEXT, source, view, source, context);
    return source.endsWith(' ') || (spaced && source === '');
  }
  WHITE_SPACE_RUN.lastIndex = 0;
  let from = 0;
  for (let run = WHITE_SPACE_RUN.exec(source); run !== null; run = WHITE_SPACE_RUN.exec(source)) {
    const at = run.index;
    const white = run[0];
    if (white === ' ' && !spaced && at > from) continue; // one plain space renders as itself
    if (at > from) {
      output.add(TEXT, source.slice(from, at), view, source.slice(from, at), context);
      spaced = false;
    }
    if (!spaced) output.add(TEXT, white[0]!, view, ' ', context);
    const rest = spaced ? white : white.slice(1);
    if (rest !== '') output.add(MARKUP, rest, view, '');
    spaced = true;
    from = at + white.length;
  }
  if (from < source.length) {
    output.add(TEXT, source.slice(from), view, source.slice(from), context);
    spaced = source.endsWith(' ');
  }
  return spaced;
}
