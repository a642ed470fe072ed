/**
 * Where CommonMark (as markdown-it 15 reads it, §4.6) begins an HTML block, and what ends it.
 * Inside one, Markdown is not read: a line break is white space in the HTML it becomes, and `1.`
 * or `#` at a line's start is text — so a Markdown reader that took them for a list item or a
 * heading would part digits that a browser shows joined.
 *
 * {@link HtmlBlocks} says of each line whether it may stand in an HTML block, over every
 * container: a block begins after quote marks and list markers (`- <div>`, `> 1. <br>`) as well
 * as at a line's start. Telling a quote's blank line (`>`) from a line `>` that an HTML block
 * holds, or a lazy line from one a list item holds, needs markdown-it's whole container
 * structure; rather than guess, a block is taken to go on until what surely ends it — a blank
 * line for kinds 6 and 7, a line that holds its end for kinds 1–5 — so that a line is never
 * taken to be outside a block it may be in. Taken inside, its line breaks are white space and
 * its autolinks may be tags: both read as joining more (`markdown-tokenizer.ts`).
 *
 * @module
 */

/** The end of a block that ends at a blank line (kinds 6 and 7). */
export const BLANK_LINE = /^[ \t]*$/;
/** Quote marks, list markers and indentation before a line's text: where an HTML block may begin. */
const MAY_BE_MARK = /^[ \t>*+0-9-]/;
const CONTAINER_MARKS = /^(?:[ \t>]+|(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$))*/;

/** markdown-it's `html_blocks`: the names that begin a block of kind 6. */
const BLOCK_NAMES =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|' +
  'fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|' +
  'main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|' +
  'title|tr|track|ul';
const OPEN_TAG = `<[A-Za-z][A-Za-z0-9\\-]*(?:\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*(?:[^"'=<>\`\\x00-\\x20]+|'[^']*'|"[^"]*"))?)*\\s*\\/?>`;
/** The start of a tag, which a line too long to read whole may hold alone. */
const MAY_BE_TAG = /^<\/?[A-Za-z]/;
const CLOSE_TAG = '<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>';

/** Each kind's first line and the line that ends it (markdown-it's `HTML_SEQUENCES`). */
const KINDS: readonly (readonly [begins: RegExp, ends: RegExp])[] = [
  [/^<(?:script|pre|style|textarea)(?=\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
  [new RegExp(`^</?(?:${BLOCK_NAMES})(?=\\s|/?>|$)`, 'i'), BLANK_LINE],
  // Kind 7 cannot interrupt a paragraph; taken for a block there all the same (an indented code
  // block before it reads as a paragraph here), its line breaks are read as more joined, never less.
  [new RegExp(`^(?:${OPEN_TAG}|${CLOSE_TAG})\\s*$`), BLANK_LINE],
];

/**
 * What ends the HTML block that a line (after its container prefix) begins — `BLANK_LINE`, or a
 * pattern that the block's last line holds — or `undefined` when the line begins none.
 */
export function htmlBlockEnd(line: string): RegExp | undefined {
  if (!line.startsWith('<')) return undefined;
  for (const [begins, ends] of KINDS) if (begins.test(line)) return ends;
  return undefined;
}

/** A line's text after every mark that may be a container's (`> - 1. <div>` → `<div>`). */
export function afterContainerMarks(line: string): string {
  // Most lines begin with none: a regex run per line is measurable. With this, the tracking and
  // the reading of autolinks that may be tags cost nothing measurable in bench/micro/markdown-ab.js
  // (CPU, median of 7 pairs, machine loaded): Node 26 187.9 → 188.9 ms, Node 20 256.4 → 249.9 ms.
  if (!MAY_BE_MARK.test(line)) return line;
  return line.slice(CONTAINER_MARKS.exec(line)![0].length);
}

/** The HTML blocks that may be open, line by line; see the module. */
export class HtmlBlocks {
  /** A block that ends at a blank line may be open. */
  #toBlank = false;
  /** The ends of the blocks of kinds 1–5 that may be open (one each at most). */
  #ends: RegExp[] = [];

  /** Whether a block open before a line goes on into it (`blank`: the line holds only white space). */
  continuesInto(blank: boolean): boolean {
    return (this.#toBlank && !blank) || this.#ends.length > 0;
  }

  /**
   * Read a line's start — `rest` after its quote marks and indentation, `content` after every
   * container mark, both whole or as much as decides — and say whether the line may be in an
   * HTML block. A line not read `whole` that begins with a tag may be one of kind 7 (a tag alone
   * on its line) past what was read: taken to be.
   */
  readLine(rest: string, content: string, blank: boolean, whole: boolean): boolean {
    const inside = this.continuesInto(blank);
    if (blank) this.#toBlank = false;
    // A line that holds a block's end ends it whatever the line's containers: tested on what
    // follows its marks, a suffix of the line's text, so that no end is ever seen too soon.
    if (this.#ends.length > 0) this.#ends = this.#ends.filter((end) => !end.test(rest));
    const begins = htmlBlockEnd(content) ?? (!whole && MAY_BE_TAG.test(content) ? BLANK_LINE : undefined);
    if (begins === undefined) return inside;
    if (begins === BLANK_LINE) this.#toBlank = true;
    else if (!begins.test(content) && !this.#ends.includes(begins)) this.#ends.push(begins);
    return true;
  }

  /** No block open: the start of a new stream. */
  reset(): void {
    this.#toBlank = false;
    this.#ends = [];
  }
}
