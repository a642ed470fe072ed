/**
 * Markdown to plain text, before redaction: Bot Framework messages are markdown unless they say
 * otherwise, and emphasis inside a number (`21 **49** 60 00`) must not split what the widget
 * shows as one number into pieces too short to be deleted.
 *
 * @module
 */
import { Marked } from 'marked';
import { htmlToText } from './html-text.js';

/**
 * One parser for the process, CommonMark plus GitHub's tables and strike-through (what Web Chat
 * renders). A single line break stays a line break, as Web Chat shows it (`breaks`).
 */
const markdown = new Marked({ gfm: true, breaks: true, async: false });

/**
 * The text a reader sees in `source`: markdown rendered to HTML by marked, then reduced to text
 * by {@link htmlToText} (entities decoded, inline markup gone, link targets dropped).
 *
 * @example
 * ```ts
 * markdownToText('Ring **21 49** 60 00'); // 'Ring 21 49 60 00'
 * ```
 */
export function markdownToText(source: string): string {
  return htmlToText(markdown.parse(source) as string);
}
