/**
 * A streaming reader of Markdown (CommonMark and GitHub's tables) for redaction: it tells text
 * from marks and says what each piece renders as, erring where it cannot be sure towards reading
 * more as one number, never less.
 *
 * - Marks (`*`, `_`, `~`, `` ` ``, `[`, `]`, `|`, `#`, `>`, `<`, `!` before `[`) render as nothing
 *   and are kept: `21 **49** 60 00` reads `21 49 60 00`. A mark that a renderer shows as text
 *   (`a * b`) is thereby read as nothing too, which can only join digits, never part them.
 * - A line break renders as a space (a soft break joins the lines of a paragraph) unless the next
 *   line surely begins a block of its own — blank, a heading, a fence, a thematic break, a list
 *   item that may interrupt a paragraph, a quote after a line outside one — or the line ends in a
 *   hard break; then it is a line break. It waits for the next line's first units to decide.
 * - An HTML block (`markdown-html-block.ts`) is read as the HTML it is: its line breaks are white
 *   space and a `1.` or `#` that begins one of its lines is text, until the block surely ends.
 *   There `<https://…>` is a tag, shown as nothing: on a line that may be in one, an autolink is
 *   read both ways at once (`#readAmbiguousAutolink`).
 * - A list item's number (`2.`) is read as its digits but kept (deleting it would end the list),
 *   unless it alone is a sensitive combination.
 * - Backslash escapes and character references render as what they stand for, kept or deleted
 *   whole; a `&` that is text and a `<` before a digit are guarded (`html-tokenizer.ts`).
 * - Raw HTML is read as a browser reads it (`markdown-raw-html.ts`): a tag's values and an HTML
 *   block's text decode references as HTML does (`&#51 ` needs no `;` there), by the HTML
 *   tokenizer's own reading; Markdown text decodes only CommonMark's, with `;`.
 * - A link's destination (`[text](https://…/12345678)`) renders nowhere a person reads as text;
 *   it is read on its own and dropped whole (`[text]()`) when it holds a sensitive combination.
 *
 *
 * One file over 300 lines: one reader, whose line starts, line breaks and inline pieces share the
 * state that decides how a line break reads (the line it ends, the one it begins).
 *
 * @module
 */
import { LEGACY_SEPARATOR_REFERENCES, SEPARATOR_REFERENCES, addReferenceDigit, referencedCodePoint } from './html-entities.js';
import { ATOM, GUARD, LINK, MARKUP, TEXT, addCollapsed, type MarkupOutput } from './markup-output.js';
import type { RenderedView } from './markup-view.js';
import { BLANK_LINE, HtmlBlocks, afterContainerMarks } from './markdown-html-block.js';
import { decodePercent, decodeReferences, edgeDigits, hasEdgeDigit } from './markdown-address.js';
import { HtmlTextReferences, MarkdownTags, addTagText, needsTokenizer } from './markdown-raw-html.js';

/** Replacement spellings: in text (ASCII punctuation escaped), nowhere (links are dropped whole)… */
export const MARKDOWN_TEXT = 0;
export const MARKDOWN_ADDRESS = 1;
/** …and an unquoted value in a tag, dropped whole (`""`). */
export const MARKDOWN_VALUE = 2;

/** A line end, then a line of white space only, then its end: a blank line inside a would-be tag. */
const INNER_BLANK_LINE = /(?:\r\n?|\n)[ \t]*(?:\r|\n)/;
const SPECIAL = /[\\&*_~`[\]|#><!\n\r%]/g;
const MARKS = /^[*_~`[\]|#<>]$/;
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const REFERENCE = /^&(?:#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});|([A-Za-z][A-Za-z0-9]{0,31});)/;
const REFERENCE_PREFIX = /^&(?:#[0-9]{0,7}|#[xX][0-9a-fA-F]{0,6}|[A-Za-z][A-Za-z0-9]{0,31})?$/;
/** Units after a `&` within which a deletion could complete a reference. */
const REFERENCE_REACH = 40;
/** A destination longer than this, or one that runs past its line, is read as text. */
const MAX_DESTINATION = 2048;
/** How much of a line of `-`, `*`, `_` or `=` is read to tell a thematic break or underline. */
const MAX_RULE_LINE = 256;
/**
 * How much of a line that begins with `<` (within its first {@link MAX_RULE_LINE} units) is read
 * to tell whether it is one tag alone (an HTML block of kind 7): a tag that runs past the line is
 * at most {@link MAX_DESTINATION} long, or is read as text, so its line is read whole within this.
 */
const MAX_TAG_LINE = MAX_RULE_LINE + MAX_DESTINATION + 2;
const LINE_PREFIX = /^[ \t>]*/;
const WHITE_SPACE_RUN = /[\t\n\f\r ]+/g;
const LINE_END = /[\r\n]/g;
/** Units of a line (after its prefix) that decide how it begins: a nine-digit list number, its `.` and a space. */
const DECIDING_LENGTH = 12;
const MAY_BEGIN_BLOCK = /^[-0-9*+#`~_=]/;
/** Lines that surely begin a block of their own, read after their container prefix. */
const BLOCK_START = /^(?:#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|[-*+][ \t]+\S|1[.)][ \t]+\S)/;
const RULE_LINE = /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$/;
/** What CommonMark takes for an autolink between `<` and `>`: a URI or an e-mail address. */
const AUTOLINK = /^(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9.-]+)$/;
/** Characters a link's shown text keeps percent-encoded (mdurl's `decode.defaultChars` and `%`). */
const KEPT_ENCODED = /^[;/?:@&=+$,#%]$/;
/** The longest run of `%XX` read at once; a longer one is read in parts. */
const MAX_PERCENT_RUN = 96;
const ORDERED_MARKER = /^( {0,3})([0-9]{1,9})([.)])(?:[ \t]|$)/;
const HEADING = /^( {0,3})#{1,6}(?=[ \t]|$)/;
const BULLET_MARKER = /^( {0,3})([-*+])(?:[ \t]|$)/;

/** `true` while the start of a line seen so far may still be a list item, heading, fence or rule. */
function isUndecided(rest: string): boolean {
  if (rest === '') return true;
  return MAY_BEGIN_BLOCK.test(rest) && (rest.length < DECIDING_LENGTH || /^[-*_= \t]*$/.test(rest));
}

/** Whether a name begins with a legacy one and runs on past it (`nbsp67`): a browser reads that as the legacy name. */
function isLegacyRunOn(name: string): boolean {
  return LEGACY_SEPARATOR_REFERENCES.some((legacy) => name.length > legacy.length && name.startsWith(legacy));
}

/** Where the line that goes on at `from` ends (`\n`, `\r\n` or `\r`), or -1. */
function findLineEnd(text: string, from: number): number {
  LINE_END.lastIndex = from;
  return LINE_END.exec(text)?.index ?? -1;
}

/** Bytes of the UTF-8 sequence a lead byte begins; 0 for a byte that begins none. */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  return lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
}

/** Reads a stream of Markdown into an output's pieces. */
export class MarkdownTokenizer {
  readonly #output: MarkupOutput;
  readonly #body: RenderedView;
  readonly #links: RenderedView;
  readonly #minDigits: number;
  #carry = '';
  /** At the start of a line: its prefix is read before its text. */
  #atLineStart = true;
  /** The line being read began inside a quote (`>`). */
  #lineQuoted = false;
  /** Spaces that ended the text so far (two or more before a line break make it a hard break). */
  #trailingSpaces = 0;
  #hardBreak = false;
  /** The line being read surely begins a block: the first, or one after a line break that breaks. */
  #blockBegan = true;
  /** Where the `>` of the autolink being read is (its text is an address: no replacement there), or -1. */
  #autolinkEnd = -1;
  /** The last unit the text rendered was white space: more white space renders as nothing. */
  #spaced = true;
  /** The line being read is a heading or blank: whatever follows it begins another block. */
  #heading = false;
  /** The line being read surely began a list item: its delimiter (`.`, `)`, `-` for a bullet), or `''`. */
  #ordered = '';
  /** The HTML blocks that may be open (`markdown-html-block.ts`): their line breaks are white space. */
  readonly #html = new HtmlBlocks();
  /** The line being read may be in an HTML block: an autolink on it may be a tag. */
  #lineInHtml = false;
  /** The line being read is blank; the last line that was not may be in an HTML block. */
  #lineBlank = false;
  #htmlBefore = false;
  /** Tags, and references where raw HTML may stand, read as a browser reads them (`markdown-raw-html.ts`). */
  readonly #tags: MarkdownTags;
  readonly #htmlReferences: HtmlTextReferences;

  constructor(output: MarkupOutput, body: RenderedView, links: RenderedView, minDigits: number) {
    this.#output = output;
    this.#body = body;
    this.#links = links;
    this.#minDigits = minDigits;
    this.#tags = new MarkdownTags(output, links, MARKDOWN_TEXT, MARKDOWN_VALUE, minDigits);
    this.#htmlReferences = new HtmlTextReferences(output, body, MARKDOWN_TEXT, minDigits);
  }

  push(chunk: string): void {
    this.#base = this.#pushed - this.#carry.length;
    this.#pushed += chunk.length;
    const text = this.#carry === '' ? chunk : this.#carry + chunk;
    this.#carry = '';
    this.#run(text, false);
  }

  end(): void {
    this.#base = this.#pushed - this.#carry.length;
    const text = this.#carry;
    this.#carry = '';
    this.#run(text, true);
    this.#atLineStart = true;
    this.#lineQuoted = false;
    this.#trailingSpaces = 0;
    this.#hardBreak = false;
    this.#ordered = '';
    this.#spaced = true;
    this.#blockBegan = true;
    this.#heading = false;
    this.#pushed = 0;
    this.#noDestinationUntil = -1;
    this.#closeText = '';
    this.#html.reset();
    this.#lineInHtml = false;
    this.#lineBlank = false;
    this.#htmlBefore = false;
  }

  #run(text: string, final: boolean): void {
    let i = 0;
    while (i < text.length) {
      const next = this.#atLineStart ? this.#readLineStart(text, i, final) : this.#readInline(text, i, final);
      if (next < 0) {
        this.#carry = text.slice(i);
        return;
      }
      i = next;
    }
  }

  #text(source: string): void {
    this.#spaced = addCollapsed(this.#output, this.#body, source, this.#spaced, this.#autolinkEnd >= 0 ? MARKDOWN_ADDRESS : MARKDOWN_TEXT);
    const spaces = /( *)$/.exec(source)![1]!.length;
    this.#trailingSpaces = spaces === source.length ? this.#trailingSpaces + spaces : spaces;
    this.#hardBreak = false;
  }

  #mark(source: string, rendered = ''): void {
    this.#output.add(MARKUP, source, this.#body, rendered);
    this.#trailingSpaces = 0;
    if (rendered !== '') this.#spaced = rendered === ' ' || rendered === '\n';
  }

  #guard(char: string, rendered: string, reach: number, spelled: string): void {
    this.#output.add(GUARD, char, this.#body, rendered, reach, spelled);
    this.#trailingSpaces = 0;
    if (rendered !== '') this.#spaced = false;
  }

  /** An escape, a reference or a decoded `%XX`: kept or deleted whole. */
  #atom(source: string, rendered: string): void {
    this.#output.add(ATOM, source, this.#body, rendered, MARKDOWN_TEXT);
    this.#trailingSpaces = 0;
    this.#spaced = false;
  }

  /** A line's container prefix, list marker, heading mark or rule; -1 while the chunk cannot tell. */
  #readLineStart(text: string, i: number, final: boolean): number {
    const prefix = LINE_PREFIX.exec(text.slice(i, i + MAX_RULE_LINE))![0];
    const restAt = i + prefix.length;
    const lineEnd = findLineEnd(text, restAt);
    const head = text.slice(restAt, Math.min(lineEnd < 0 ? text.length : lineEnd, restAt + MAX_RULE_LINE));
    // A line that may begin an HTML block is read whole to tell (a complete tag alone on it, …):
    // a tag line as far as a tag on it may reach. Read only to 256 units, a longer line that began
    // with a tag was taken for a block, and a tag on it cut by a blank line hidden, where a browser
    // shows it as text (`<span href="…/%E0%A5%A6…" alt="` past 256 units, then a blank line: CI
    // seed 1632699540, its address shown decoded by linkify).
    const limit = afterContainerMarks(head).startsWith('<') ? MAX_TAG_LINE : MAX_RULE_LINE;
    const rest = text.slice(restAt, lineEnd < 0 ? Math.min(text.length, restAt + limit) : lineEnd);
    const complete = lineEnd >= 0 || final || rest.length >= limit;
    // What decides is the line's first units, however the stream was cut.
    const window = rest.length > limit ? rest.slice(0, limit) : rest;
    const content = afterContainerMarks(window);
    if (!complete && (isUndecided(rest) || content.startsWith('<'))) return -1;
    const whole = (lineEnd >= 0 || final) && rest.length <= limit;
    this.#lineInHtml = this.#html.readLine(window, content, whole && !prefix.includes('>') && BLANK_LINE.test(rest), whole);
    this.#atLineStart = false;
    // A line that goes on a quote's paragraph without its `>` (a lazy continuation) is in the quote.
    this.#lineQuoted = prefix.includes('>') || (this.#lineQuoted && !this.#blockBegan);
    this.#ordered = '';
    this.#lineBlank = complete && /^[ \t]*$/.test(rest);
    this.#heading = HEADING.test(rest) || this.#lineBlank;
    if (!this.#lineBlank) this.#htmlBefore = this.#lineInHtml;
    if (prefix !== '') this.#mark(prefix);
    if (RULE_LINE.test(rest) && complete) {
      this.#mark(rest);
      return restAt + rest.length;
    }
    const ordered = ORDERED_MARKER.exec(rest);
    if (ordered !== null) {
      const [marker, indent, digits, delimiter] = ordered;
      const number = marker.slice(indent!.length);
      if (this.#blockBegan) this.#ordered = delimiter!;
      if (indent) this.#mark(indent);
      // A list's number is shown (`1. 234567` shows seven digits) and read so, but kept: deleting
      // it would end the list. Only a number that is itself a sensitive combination goes — and
      // one on a line that may go on a paragraph (`a\n12) 3`), which is text.
      if (digits!.length >= this.#minDigits || !this.#blockBegan) this.#text(number);
      else this.#mark(number, number);
      return restAt + marker.length;
    }
    if (this.#blockBegan && BULLET_MARKER.test(rest)) this.#ordered = '-';
    const bullet = BULLET_MARKER.exec(rest) ?? HEADING.exec(rest);
    if (bullet !== null) {
      this.#mark(bullet[0]);
      return restAt + bullet[0].length;
    }
    return restAt;
  }

  /** Inline text up to the next special unit, and that unit. */
  #readInline(text: string, i: number, final: boolean): number {
    SPECIAL.lastIndex = i;
    const found = SPECIAL.exec(text);
    const at = found === null ? text.length : found.index;
    if (at > i) this.#text(text.slice(i, at));
    if (at === text.length) return at;
    const char = text[at]!;
    const after = text[at + 1];
    if (char === '\n' || char === '\r') {
      const next = this.#readLineBreak(text, at, final);
      return next < 0 && at > i ? at : next;
    }
    if (after === undefined && !final && (char === '\\' || char === '&' || char === ']' || char === '<' || char === '!')) return at > i ? at : -1;
    if (char === '\\') {
      if (after === '\n' || after === '\r') {
        this.#mark('\\');
        this.#hardBreak = true;
        return at + 1;
      }
      if (after !== undefined && ASCII_PUNCTUATION.test(after)) {
        this.#atom(text.slice(at, at + 2), after);
        return at + 2;
      }
      this.#text('\\');
      return at + 1;
    }
    if (char === '&') {
      const next = this.#readReference(text, at, final);
      return next < 0 && at > i ? at : next;
    }
    if (char === '%') {
      const next = this.#readPercent(text, at, final);
      return next < 0 && at > i ? at : next;
    }
    if (char === ']' && after === '(') {
      const next = this.#readDestination(text, at, final);
      return next < 0 && at > i ? at : next;
    }
    if (char === '<' && after !== undefined && /\p{Nd}/u.test(String.fromCodePoint(text.codePointAt(at + 1)!))) {
      this.#guard('<', '', 1, '&lt;');
      return at + 1;
    }
    if (char === '<' && after !== undefined && /[A-Za-z/!?]/.test(after)) {
      const next = this.#readTag(text, at, final);
      return next < 0 && at > i ? at : next;
    }
    if (char === '!' && after !== '[') {
      this.#text('!');
      return at + 1;
    }
    if (char === '!' || MARKS.test(char)) {
      if (char === '>') this.#autolinkEnd = -1;
      this.#mark(char);
      return at + 1;
    }
    this.#text(char);
    return at + 1;
  }

  /**
   * `<` and a letter, `/`, `!` or `?`: an autolink, whose address is shown as text, or an HTML
   * tag, shown as nothing and read on its own (its values may hold numbers). -1 while its `>` may
   * still come.
   */
  #readTag(text: string, at: number, final: boolean): number {
    const close = this.#findClose(text, at);
    if (close < 0 || close - at > MAX_DESTINATION) {
      if (!final && text.length - at <= MAX_DESTINATION) return -1;
      this.#mark('<');
      return at + 1;
    }
    const inner = text.slice(at + 1, close);
    if (AUTOLINK.test(inner)) {
      this.#mark('<');
      if (!this.#lineInHtml) {
        this.#autolinkEnd = close;
        return at + 1; // its address is text, read as text
      }
      this.#readAmbiguousAutolink(inner);
      this.#mark('>');
      return close + 1;
    }
    const lines = findLineEnd(inner, 0) >= 0;
    if (lines && (this.#heading || (!this.#lineInHtml && INNER_BLANK_LINE.test(inner)))) {
      // A heading ends with its line, and a paragraph at a blank line: a tag that runs past either is
      // text (its `%XX` shown decoded by linkify; CI seed 1632699540 found the paragraph case).
      this.#mark('<');
      return at + 1;
    }
    // Without a reference or an unquoted value a tag reads as it is written, one text: so read, it
    // costs half as much (Markdown of tags without references, in-process CPU medians, Node 20:
    // through the HTML tokenizer 46.8 ms against main's 20.9; so read, 28.6 against 28.5, Node 26
    // 39.7 against 34.8 on a loaded machine). With references the HTML tokenizer
    // reads it, a cost main did not pay as it did not decode them: bench/micro/markdown-ab.js
    // (9 pairs, loaded machine) Node 20 205.9 → 268.8 ms, Node 26 222.1 → 248.4 ms, all of it in
    // its raw-HTML corpus (references in every line: 3.4 → 4.7 ms and 3.6 → 6.4 ms a 64 Ki pass);
    // its other corpora unchanged (Markdown 3.0 → 3.1 and 4.4 → 3.7, HTML-block lines 2.3 → 2.2
    // and 2.8 → 2.8). What is left is allocation: a piece per value, reference and guard.
    if (needsTokenizer(inner)) this.#tags.read(text.slice(at, close + 1));
    else {
      this.#mark('<');
      if (lines) addTagText(this.#output, this.#links, inner, MARKDOWN_TEXT);
      else this.#output.add(TEXT, inner, this.#links, inner, MARKDOWN_TEXT);
      this.#links.append('\n');
      this.#mark('>');
    }
    this.#trailingSpaces = 0;
    if (lines) this.#readTagLines(inner);
    return close + 1;
  }

  /**
   * The starts of the lines a tag runs over (`<!--\n-->`), which no line start read: an HTML block
   * may begin or end on them. The line the tag ends on is known up to its `>`: an end after that
   * goes unseen, and the block is taken to go on.
   */
  #readTagLines(inner: string): void {
    const lines = `${inner}>`.split(/\r\n|\r|\n/);
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      const last = k === lines.length - 1;
      const rest = line.replace(LINE_PREFIX, '');
      this.#lineInHtml = this.#html.readLine(rest, afterContainerMarks(rest), !last && BLANK_LINE.test(line), !last);
    }
  }

  /**
   * An autolink on a line that may be in an HTML block, where it is a tag: shown as nothing, the
   * text on either side joined (`<br>\n00000<https://x.example/a>0𝟎` shows seven digits), its
   * address in the tag's names and values. Read so that both readings are covered: the digits
   * at the address's edges (`…/sak/12`, and what separators alone part from its ends) are read
   * with the text around it, joined across the tag — more than either reading joins; the rest
   * on its own, as written, as an autolink shows it and as an attribute decodes it, dropped
   * whole when it holds a combination. Where escapes stand (`%31`, `&#49;`) the edges as written
   * are not the edges shown: an address with a digit at an edge is then dropped whatever it
   * holds, leaving `<>`, text in either reading. Over-deletion, where no HTML block was open, is
   * that join and that drop.
   */
  #readAmbiguousAutolink(address: string): void {
    const shown = decodePercent(address);
    const references = decodeReferences(address);
    if (shown === address && references === address) {
      const [headSeparators, head, tail, tailSeparators] = edgeDigits(address);
      const middleEnd = address.length - tail.length - tailSeparators.length;
      if (middleEnd > headSeparators.length + head.length) {
        this.#mark(headSeparators);
        this.#addressDigits(head);
        this.#output.add(LINK, address.slice(headSeparators.length + head.length, middleEnd), this.#links, address.slice(headSeparators.length + head.length, middleEnd));
        this.#links.append('\n');
        this.#addressDigits(tail);
        this.#mark(tailSeparators);
        return;
      }
    }
    if (hasEdgeDigit(address) || hasEdgeDigit(shown) || hasEdgeDigit(references)) return;
    const forms = [address, shown, references].filter((form, k, all) => all.indexOf(form) === k);
    this.#output.add(LINK, address, this.#links, forms.join('\n'));
    this.#links.append('\n');
  }

  /** Digits and separators at an address's edge, read in the text around the autolink. */
  #addressDigits(digits: string): void {
    if (digits === '') return;
    this.#output.add(TEXT, digits, this.#body, digits, MARKDOWN_ADDRESS);
    this.#trailingSpaces = 0;
    this.#spaced = false;
  }

  /** The next `>` at or after `at`, found once for every `<` of one text (-1 for none): a search per `<` would be quadratic. */
  #findClose(text: string, at: number): number {
    if (this.#closeText !== text) {
      this.#closeText = text;
      this.#close = text.indexOf('>', at);
    } else if (this.#close >= 0 && this.#close < at) this.#close = text.indexOf('>', at);
    return this.#close;
  }

  /** The text `#close` is a position in. */
  #closeText = '';
  #close = -1;
  /** Where (counted from the input's start) the last `](` that found no `)` stopped looking. */
  #noDestinationUntil = -1;
  /** Units of input before the text being read; and all pushed so far. */
  #base = 0;
  #pushed = 0;

  /**
   * `%` and two hex digits: a renderer that turns addresses into links (markdown-it's linkify,
   * autolinks) shows them decoded — `%31%32` as `12`, `%20` as a space — so each run is read as
   * what it decodes to, each character kept or deleted with its escapes. What it keeps encoded
   * (`%2F`, `%25`, …) and what is no UTF-8 stays text.
   */
  #readPercent(text: string, at: number, final: boolean): number {
    const run = /^(?:%[0-9A-Fa-f]{2})+/.exec(text.slice(at, at + MAX_PERCENT_RUN))?.[0] ?? '';
    if (!final && at + run.length >= text.length - 2 && run.length < MAX_PERCENT_RUN) return -1;
    let k = 0;
    while (k < run.length) {
      const width = 3 * utf8Length(Number.parseInt(run.slice(k + 1, k + 3), 16));
      const source = run.slice(k, k + width);
      let character = '';
      try {
        character = width > 0 && source.length === width ? decodeURIComponent(source) : '';
      } catch {
        // not UTF-8: shown as it is written
      }
      if (character === '') break;
      // Its last hex digits run on into digits written after it (`%2012345` holds 2012345): read too.
      if (KEPT_ENCODED.test(character)) this.#text(source);
      else this.#atom(source, character + (/[0-9]*$/.exec(source)?.[0] ?? ''));
      k += width;
    }
    if (k > 0) return at + k;
    this.#text('%');
    return at + 1;
  }

  /** A line break: a space or a line break, by what the next line begins with. */
  #readLineBreak(text: string, at: number, final: boolean): number {
    if (text[at] === '\r' && at + 1 === text.length && !final) return -1;
    const end = text.startsWith('\r\n', at) ? '\r\n' : text[at]!;
    const lineStart = at + end.length;
    const prefix = LINE_PREFIX.exec(text.slice(lineStart, lineStart + MAX_RULE_LINE))![0];
    const restAt = lineStart + prefix.length;
    const lineEnd = findLineEnd(text, restAt);
    const rest = text.slice(restAt, lineEnd < 0 ? text.length : lineEnd);
    const complete = lineEnd >= 0 || final || rest.length >= MAX_RULE_LINE;
    if (!complete && isUndecided(rest)) return -1;
    const quoteBegins = prefix.includes('>') && !this.#lineQuoted;
    // A numbered line after a list item (`1. …` or `- …`, then `2. …` or `12) …`) begins an item
    // whatever its number (as markdown-it, Web Chat's renderer, reads it).
    const nextItem = this.#ordered !== '' && ORDERED_MARKER.test(rest);
    const blank = BLANK_LINE.test(rest);
    // In an HTML block every line break is white space, until the block ends.
    const inHtml = this.#html.continuesInto(blank && !prefix.includes('>'));
    // A hard break ends a line, not the paragraph: the next line begins no block by it.
    const hardBreak = !inHtml && (this.#hardBreak || this.#trailingSpaces >= 2);
    const blockBreak =
      !inHtml &&
      (this.#heading ||
      blank ||
      quoteBegins ||
      nextItem ||
      BLOCK_START.test(rest) ||
      (complete && RULE_LINE.test(rest)));
    const breaks = hardBreak || blockBreak;
    // A list item that interrupts a paragraph (`000000\n1. 000000`) would go on that paragraph
    // once a deletion left it empty: the line break is read as a space there, and kept.
    const interrupting = breaks && !hardBreak && !this.#heading && !blank && !quoteBegins && !nextItem && ORDERED_MARKER.test(rest);
    // Blank lines between HTML blocks are white space in the page they make (`<b>\n0000\n\n</b>\n000`
    // shows `0000 000`): read so from an HTML block's last line on, whatever block follows.
    const htmlWhite = breaks && !hardBreak && this.#htmlBefore && (this.#lineInHtml || this.#lineBlank);
    if (htmlWhite) this.#mark(end, this.#spaced ? '' : ' ');
    else if (interrupting) this.#mark(end, ' ');
    else if (breaks) this.#mark(end, '\n');
    else if (this.#spaced) this.#mark(end);
    // A soft break inside a number goes with it when nothing begins the next line: kept, the line
    // would be left blank, and a blank line ends the paragraph. Before a list number (kept, and
    // read) it stays, so that the number never runs on into the line before.
    else if (prefix === '' && !ORDERED_MARKER.test(rest)) this.#output.add(ATOM, end, this.#body, ' ', MARKDOWN_TEXT);
    else this.#mark(end, ' ');
    this.#spaced = true;
    this.#blockBegan = blockBreak;
    this.#hardBreak = false;
    this.#atLineStart = true;
    return lineStart;
  }

  /** A reference at `&`: kept or deleted whole; a `&` that begins none is guarded. */
  #readReference(text: string, at: number, final: boolean): number {
    const head = text.slice(at, at + 41);
    const match = REFERENCE.exec(head);
    // Where raw HTML may stand, what CommonMark decodes a browser decodes alike — but for a legacy
    // name that runs on (`&nbsp67;` is U+00A0 and `67;` there): a reading twice as fast for the rest.
    if (this.#lineInHtml && (match === null || (match[3] !== undefined && isLegacyRunOn(match[3])))) return this.#readHtmlReference(text, at, final);
    if (match === null) {
      if (!final && at + head.length === text.length && REFERENCE_PREFIX.test(head)) return -1;
      this.#guard('&', '&', REFERENCE_REACH, '&amp;');
      return at + 1;
    }
    const [source, decimal, hex, name] = match;
    const white = source === '&NewLine;' || source === '&Tab;' || /^&#(?:0*(?:9|10|12|13|32)|[xX]0*(?:9|[aAcCdD]|20));$/.test(source);
    if (white) {
      // White space, written or referenced, is collapsed in the HTML a renderer makes.
      if (this.#spaced) this.#mark(source);
      else this.#atom(source, ' ');
      this.#spaced = true;
      return at + source.length;
    }
    let character: string | undefined;
    if (name !== undefined) character = SEPARATOR_REFERENCES[name];
    else {
      let value = 0;
      for (const digit of decimal ?? hex!) value = addReferenceDigit(value, Number.parseInt(digit, 16), hex !== undefined);
      character = String.fromCodePoint(referencedCodePoint(value));
    }
    if (character === undefined) {
      // Any other name stands for a character that is no digit or separator: read it as its text,
      // guarded only while a deletion inside its name could make it another.
      this.#guard('&', '&', source.length - 1, '&amp;');
      return at + 1;
    }
    const digits = /[0-9]+/.exec(source.slice(2))?.[0].length ?? 0;
    const spelled = digits >= this.#minDigits && name === undefined ? this.#spell(character) : source;
    this.#atom(spelled, character);
    return at + source.length;
  }

  /** A reference on a line that may be in an HTML block: read as a browser reads one there. */
  #readHtmlReference(text: string, at: number, final: boolean): number {
    const next = this.#htmlReferences.read(text, at, final, this.#spaced);
    if (next >= 0) {
      this.#spaced = this.#htmlReferences.spaced;
      this.#trailingSpaces = 0;
    }
    return next;
  }

  /** A reference whose own digits are a sensitive combination, written as its character. */
  #spell(character: string): string {
    if (ASCII_PUNCTUATION.test(character)) return `\\${character}`;
    return character === '\n' ? '&NewLine;' : character === '\t' ? '&Tab;' : character === '\r' ? ' ' : character;
  }

  /** `](`: a link's destination (and title) up to its `)`, read on its own; -1 while it may go on. */
  #readDestination(text: string, at: number, final: boolean): number {
    const open = at + 2;
    if (this.#base + open < this.#noDestinationUntil) {
      // Within a stretch an earlier `](` searched in vain: read as text (a search each would be quadratic).
      this.#mark(']');
      this.#text('(');
      return open;
    }
    let depth = 0;
    let k = open;
    let quote = '';
    for (; k < text.length && k - open <= MAX_DESTINATION; k++) {
      const c = text[k]!;
      if (c === '\n' || c === '\r') break;
      if (c === '\\') {
        k++;
        continue;
      }
      if (quote !== '') {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (text[k] !== ')') {
      if (k >= text.length && !final && k - open <= MAX_DESTINATION) return -1;
      this.#noDestinationUntil = this.#base + k;
      this.#mark(']');
      this.#text('(');
      return open;
    }
    this.#mark('](');
    const destination = text.slice(open, k);
    // Read as written and as shown decoded (a line that is no link may be made one by linkify).
    // Shown by linkify, decoded white space collapses (`000%20%20%20%200000` shows `000 0000`).
    const decoded = decodePercent(destination).replace(WHITE_SPACE_RUN, ' ');
    this.#output.add(LINK, destination, this.#links, decoded === destination ? destination : `${destination}\n${decoded}`);
    this.#links.append('\n');
    this.#mark(')');
    return k + 1;
  }
}
