/**
 * Markup in a streamed reply reduced to its text as the reply arrives, for vendors whose text
 * comes a token at a time (an LLM): `htmlToText` needs the whole document, and waiting for it
 * would undo the streaming. htmlparser2's tokenizer (the parser html-to-text itself runs on)
 * takes the text in pieces split anywhere — inside a tag, inside an entity — and reports text,
 * tags and entities as soon as they are complete, so `21 <b>4` + `9</b> 60&nb` + `sp;00` reads
 * as `21 49 60 00`, one number.
 *
 * Plain text is passed through untouched: a reply without markup comes out as it went in, line
 * breaks and all. Known HTML elements are dropped (block elements end a line, table cells are
 * spaced apart), the content of `script`, `style`, `title` and a model's `think` block is
 * dropped, and a tag that is no HTML element — Markdown's `<https://…>` autolink,
 * `<name@example.com>` — is kept as it was written. Markup the reply never finished is dropped.
 *
 * @module
 */
import { Parser } from 'htmlparser2';

/**
 * Elements whose content is never shown: code, styling, a reasoning model's thinking, and the
 * other raw-text elements (their content is not markup, so it cannot be reduced like the rest).
 */
const SKIPPED_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style', 'template', 'think', 'textarea', 'title', 'xmp']);
/** Elements that end a line when they close (or, for void ones, where they stand). */
const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table',
  'tbody', 'tfoot', 'thead', 'tr', 'ul',
]);
const LINE_ELEMENTS: ReadonlySet<string> = new Set(['br', 'hr']);
const CELL_ELEMENTS: ReadonlySet<string> = new Set(['td', 'th']);
/** Elements dropped without a trace: their text simply runs on. */
const INLINE_ELEMENTS: ReadonlySet<string> = new Set([
  'a', 'abbr', 'b', 'big', 'body', 'center', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'head', 'html', 'i',
  'img', 'ins', 'kbd', 'label', 'mark', 'meta', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub',
  'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);
const LINE_BREAK = '\n';
const CELL_GAP = ' ';
/** What makes a `<` the start of markup rather than text (`a < b`, `<3`). */
const MARKUP_START = /^[A-Za-z/!?]$/;

function isHtmlElement(name: string): boolean {
  return (
    SKIPPED_ELEMENTS.has(name) || BLOCK_ELEMENTS.has(name) || LINE_ELEMENTS.has(name) || CELL_ELEMENTS.has(name) || INLINE_ELEMENTS.has(name)
  );
}

/**
 * Reduces one streamed reply. Feed it every piece with {@link HtmlTextStream.write} and finish
 * with {@link HtmlTextStream.end}; each returns the text that became final with it. A tag or
 * an entity that is not complete yet is held back until it is (or until the end, when an
 * unterminated tag is dropped, as a browser drops it).
 *
 * @example
 * ```ts
 * const stream = new HtmlTextStream();
 * stream.write('Ring 21 <b>4');   // 'Ring 21 4'
 * stream.write('9</b> 60&nb');    // '9'
 * stream.write('sp;00');          // ' 60\u00a000'
 * stream.end();                   // ''
 * ```
 */
export class HtmlTextStream {
  readonly #parser: Parser;
  /** Everything written so far: an unknown tag is given back as it was written. */
  #source = '';
  #output = '';
  /** Open elements whose content is dropped. */
  #skipDepth = 0;

  constructor() {
    this.#parser = new Parser(
      {
        ontext: (text) => this.#emit(text),
        onopentag: (name, _attributes, isImplied) => this.#open(name, isImplied),
        onclosetag: (name, isImplied) => this.#close(name, isImplied),
      },
      { decodeEntities: true, recognizeSelfClosing: true },
    );
  }

  /** Take the next piece of the reply; returns the text it completed. */
  write(chunk: string): string {
    this.#source += chunk;
    this.#parser.write(chunk);
    return this.#take();
  }

  /**
   * The reply has ended: returns what was still held back. Markup the reply never finished
   * (`<b`, `</ x`) is dropped whole; htmlparser2 would give back part of it as text, and which
   * part depends on how the reply was split.
   */
  end(): string {
    const unfinished = this.#endsInMarkup();
    this.#parser.end();
    const trailing = this.#take();
    return unfinished ? '' : trailing;
  }

  /**
   * The reply stops inside a tag, comment or declaration: after its last `>`, a `<` opens one
   * (a letter, `/`, `!` or `?` follows it). Text before that `<` was released when it came.
   */
  #endsInMarkup(): boolean {
    const source = this.#source;
    for (let at = source.indexOf('<', source.lastIndexOf('>') + 1); at !== -1; at = source.indexOf('<', at + 1)) {
      if (MARKUP_START.test(source.charAt(at + 1))) return true;
    }
    return false;
  }

  #take(): string {
    const text = this.#output;
    this.#output = '';
    return text;
  }

  #emit(text: string): void {
    if (this.#skipDepth === 0) this.#output += text;
  }

  #verbatim(isImplied: boolean): void {
    if (!isImplied) this.#emit(this.#source.slice(this.#parser.startIndex, this.#parser.endIndex + 1));
  }

  #open(name: string, isImplied: boolean): void {
    if (SKIPPED_ELEMENTS.has(name)) this.#skipDepth += 1;
    else if (LINE_ELEMENTS.has(name)) this.#emit(LINE_BREAK);
    else if (!isHtmlElement(name)) this.#verbatim(isImplied);
  }

  #close(name: string, isImplied: boolean): void {
    if (SKIPPED_ELEMENTS.has(name)) this.#skipDepth = Math.max(0, this.#skipDepth - 1);
    else if (BLOCK_ELEMENTS.has(name)) this.#emit(LINE_BREAK);
    else if (CELL_ELEMENTS.has(name)) this.#emit(CELL_GAP);
    else if (!isHtmlElement(name)) this.#verbatim(isImplied);
  }
}
