/**
 * Vendor markup to plain text, before redaction: the widget never gets markup, and a number
 * split across tags or entities (`21 <b>49</b> 60&nbsp;00`) becomes the one number it shows as.
 *
 * @module
 */
import { compile } from 'html-to-text';

/**
 * One converter, compiled once (html-to-text builds its selector tables per call otherwise).
 * Lines are never wrapped — a wrap would cut a number in two at a line break, which is no
 * separator, and let both halves through. Headings keep their case, links keep only their text
 * (their targets are not shown), images, scripts and styles are dropped.
 */
const convert = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/**
 * The text a reader sees in `html`: entities decoded, inline tags gone, block elements on lines
 * of their own, runs of white space collapsed.
 *
 * @example
 * ```ts
 * htmlToText('<p>Ring 21 <b>49</b> 60&nbsp;00</p>'); // 'Ring 21 49 60 00'
 * ```
 */
export function htmlToText(html: string): string {
  return convert(html);
}
