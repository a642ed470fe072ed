/**
 * Where CommonMark (as markdown-it 15 reads it, §4.6) begins an HTML block, and what ends it.
 * Inside one, Markdown is not read: a line break is white space in the HTML it becomes, and `1.`
 * or `#` at a line's start is text — so a Markdown reader that took them for a list item or a
 * heading would part digits that a browser shows joined.
 *
 * @module
 */

/** The end of a block that ends at a blank line (kinds 6 and 7). */
export const BLANK_LINE = /^[ \t]*$/;

/** markdown-it's `html_blocks`: the names that begin a block of kind 6. */
const BLOCK_NAMES =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|' +
  'fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|' +
  'main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|' +
  'title|tr|track|ul';
const OPEN_TAG = `<[A-Za-z][A-Za-z0-9\\-]*(?:\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*(?:[^"'=<>\`\\x00-\\x20]+|'[^']*'|"[^"]*"))?)*\\s*\\/?>`;
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
