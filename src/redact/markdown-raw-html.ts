/**
 * Raw HTML in Markdown read as a browser reads it: a tag (`<a title="&#49;234567">`, inline or
 * opening an HTML block) and the references of an HTML block's text. markdown-it passes both on
 * as they are written, and the browser decodes what CommonMark would not: `&#51 ` without `;`,
 * `&#x0000033;`, `&nbsp` (but, in a value, not before `=` or an alphanumeric). The reading is the
 * HTML tokenizer's own (`html-tokenizer.ts`, `html-reference.ts`).
 *
 * - A tag is shown as nothing; its names, values and marks are read as one text of their own,
 *   in the view of what is not shown as text — a `title`'s tooltip, an `alt` — as a tag without
 *   references is: digits parted by `"` in a tag stay parted, digits run on stay joined.
 * - Where the reader cannot be sure that markdown-it takes the `<…>` for a tag (`<a title=x"y">`
 *   is text to it, and so is `<a data-n=>`, a tag whose value a deletion emptied) or a line for
 *   part of an HTML block, CommonMark's reading shows a tag's line breaks as spaces (read so,
 *   and kept: `alt="0⏎000000"` is seven digits, shown; deleted, a line break could leave a tag
 *   alone on its line, an HTML block) and a reference without `;` as it is written. Such a reference is read both ways at once: as its character
 *   followed by the digits that end it as written (`&#x2011` as `‑2011`, `12&#51 4567` as
 *   `12351 4567`), which joins at least what either reading joins.
 * - An unquoted value is kept or dropped whole, `""` standing for it: emptied, `data-n=` would
 *   make the tag text to markdown-it, its values shown (`href="…/00000%2000"` as `00000 00`).
 * - It is written as it came (no `;` added, so that Markdown without a combination comes back
 *   as it was), but for a `;` where a deletion follows it: `&#x4A` before a deleted number and
 *   `abc` must not become `&#x4Aabc`, another character.
 *
 * @module
 */
import { BODY, ReferenceReader, UNQUOTED_VALUE } from './html-reference.js';
import { HtmlTokenizer, type HtmlListener, type TextPlace } from './html-tokenizer.js';
import { ATOM, GUARD, MARKUP, TEXT, type MarkupOutput } from './markup-output.js';
import type { RenderedView } from './markup-view.js';

const OPEN_DIGITS = /[0-9]*$/;
/** An unquoted value in a tag: read by the HTML tokenizer, so that it is kept or dropped whole. */
const UNQUOTED = /=[\t\n\f\r ]*[^\t\n\f\r "'>]/;

/** Whether a tag (without `<` and `>`) must be read by the HTML tokenizer: it holds a reference or an unquoted value. */
export function needsTokenizer(inner: string): boolean {
  return inner.includes('&') || UNQUOTED.test(inner);
}
const ASCII_WHITE_SPACE = /^[\t\n\f\r ]$/;

const LINE_BREAK_AT = /\r\n|\r|\n/g;

/**
 * Add a tag's text as a paragraph shows it where the tag is text: each line break a space, kept
 * (deleted, it could leave a tag alone on its line: an HTML block, read otherwise).
 */
export function addTagText(output: MarkupOutput, view: RenderedView, source: string, context: number): void {
  LINE_BREAK_AT.lastIndex = 0;
  let from = 0;
  for (let found = LINE_BREAK_AT.exec(source); found !== null; found = LINE_BREAK_AT.exec(source)) {
    if (found.index > from) output.add(TEXT, source.slice(from, found.index), view, source.slice(from, found.index), context);
    output.add(MARKUP, found[0], view, ' ');
    from = found.index + found[0].length;
  }
  if (from < source.length) output.add(TEXT, from === 0 ? source : source.slice(from), view, from === 0 ? source : source.slice(from), context);
}

/** The digits that end a reference written without its `;` (`&#x2011` → `2011`), which CommonMark shows as text. */
function openDigitsOf(written: string): string {
  return written.endsWith(';') ? '' : OPEN_DIGITS.exec(written)![0];
}

/**
 * Add a reference read by the HTML tokenizer, rendered as `rendered` (as nothing: kept whatever
 * follows), written as it came; see the module for its `;`.
 */
function addHtmlReference(output: MarkupOutput, view: RenderedView, source: string, written: string, rendered: string, context: number): void {
  const added = source.length === written.length + 1 && source.startsWith(written);
  output.add(rendered === '' ? MARKUP : ATOM, added ? written : source, view, rendered, context);
  if (added) output.add(GUARD, '', view, '', 1, ';');
}

/**
 * Turns a tag's pieces into pieces of a Markdown output, all in one view: its names, values and
 * marks as one text, as a tag without references is read (gathered, a piece each would cost
 * twice as much), its references and guards as pieces of their own.
 */
class TagPieces implements HtmlListener {
  readonly #output: MarkupOutput;
  readonly #view: RenderedView;
  readonly #context: number;
  readonly #valueContext: number;
  /** Text not yet added: what came since the last reference or guard. */
  #pending = '';
  /** The unquoted value being read: its source and what it renders as. */
  #value = '';
  #valueRendered = '';

  constructor(output: MarkupOutput, view: RenderedView, context: number, valueContext: number) {
    this.#output = output;
    this.#view = view;
    this.#context = context;
    this.#valueContext = valueContext;
  }

  text(source: string, place: TextPlace): void {
    if (place !== UNQUOTED_VALUE) this.#pending += source;
    else {
      this.#value += source;
      this.#valueRendered += source; // no line break: white space ends an unquoted value
    }
  }

  reference(source: string, character: string, place: TextPlace, written: string): void {
    const rendered = character + openDigitsOf(written);
    if (place === UNQUOTED_VALUE) {
      // Inside the value, what follows a reference goes with it: its `;` is never needed.
      this.#value += source.length === written.length + 1 && source.startsWith(written) ? written : source;
      this.#valueRendered += rendered;
      return;
    }
    this.flush();
    addHtmlReference(this.#output, this.#view, source, written, rendered, this.#context);
  }

  textEnd(place: TextPlace): void {
    if (place !== UNQUOTED_VALUE || this.#value === '') return;
    this.flush();
    this.#output.add(ATOM, this.#value, this.#view, this.#valueRendered, this.#valueContext);
    this.#value = '';
    this.#valueRendered = '';
  }

  markup(source: string): void {
    this.#pending += source;
  }

  tagMarkup(source: string): void {
    this.#pending += source;
  }

  guard(char: '<' | '&', place: TextPlace, reach: number): void {
    if (place === UNQUOTED_VALUE) return this.text(char, place);
    this.flush();
    this.#output.add(GUARD, char, this.#view, char, reach, char === '<' ? '&lt;' : '&amp;');
  }

  attributeName(part: string): void {
    this.#pending += part;
  }

  /** Add the text gathered so far. */
  flush(): void {
    if (this.#pending === '') return;
    addTagText(this.#output, this.#view, this.#pending, this.#context);
    this.#pending = '';
  }

  tagEnd(): void {}
  attributeNameEnd(): void {}
  attributeEnd(): void {}
}

/** Reads whole tags (`<` to `>`) into a Markdown output; see the module. */
export class MarkdownTags {
  readonly #tokenizer: HtmlTokenizer;
  readonly #pieces: TagPieces;
  readonly #view: RenderedView;

  /** `context`: the replacement to write where a deletion in a tag begins; `valueContext`: for an unquoted value. */
  constructor(output: MarkupOutput, view: RenderedView, context: number, valueContext: number, minDigits: number) {
    this.#view = view;
    this.#pieces = new TagPieces(output, view, context, valueContext);
    this.#tokenizer = new HtmlTokenizer(this.#pieces, minDigits);
  }

  /** Read a tag whole, `<` and `>` included: a text of its own. */
  read(tag: string): void {
    this.#tokenizer.push(tag);
    this.#tokenizer.end();
    this.#pieces.flush();
    this.#view.append('\n');
  }
}

/** Reads the references of an HTML block's text (a line that may be in one) into a Markdown output; see the module. */
export class HtmlTextReferences {
  readonly #output: MarkupOutput;
  readonly #view: RenderedView;
  readonly #context: number;
  readonly #reader: ReferenceReader;
  /** After {@link read}: the text rendered so far ends in white space. */
  spaced = false;

  /** `context`: the replacement to write where a deletion begins in a reference. */
  constructor(output: MarkupOutput, view: RenderedView, context: number, minDigits: number) {
    this.#output = output;
    this.#view = view;
    this.#context = context;
    this.#reader = new ReferenceReader(minDigits);
  }

  /**
   * Read at `text[at]` (`&`) after text that ended in white space or not (`spaced`); returns
   * where what was read ends, or -1 when more may come (`final` false).
   */
  read(text: string, at: number, final: boolean, spaced: boolean): number {
    const reader = this.#reader;
    const next = reader.read(text, at, BODY, final);
    if (next < 0) return next;
    const { source, character, written } = reader;
    if (source === '') {
      this.#output.add(GUARD, '&', this.#view, '&', reader.reach, '&amp;');
      this.spaced = false;
      return next;
    }
    const openDigits = openDigitsOf(written);
    // White space, written or referenced, is collapsed in the HTML a renderer makes.
    const white = ASCII_WHITE_SPACE.test(character);
    addHtmlReference(this.#output, this.#view, source, written, (white ? (spaced ? '' : ' ') : character) + openDigits, this.#context);
    this.spaced = white && openDigits === '';
    return next;
  }
}
