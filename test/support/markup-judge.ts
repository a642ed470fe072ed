/**
 * What a reader and a client get of some markup, read by renderers no one here wrote — parse5
 * (the WHATWG HTML parser) and markdown-it (the Markdown renderer of Microsoft's Web Chat) —
 * and judged by the reference (`reference.ts` through `leak-judge.ts`), never by the engine.
 *
 * - `renderedText`: the page's text as `innerText` reads it: white space collapsed, block
 *   elements and `<br>` line breaks, table cells a tab apart, what is never shown (`script`,
 *   `style`, `template`, `head`) left out.
 * - `unreadTexts`: every other text a client receives: attribute values, comments, raw text.
 * - `shapeOf`: the element tree without its text, to check that redaction kept the markup.
 */
import MarkdownIt from 'markdown-it';
import { parse, parseFragment as parseWithContext } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { countLeaks } from './leak-judge.js';
import { DEFAULTS, type ReferencePolicy } from './reference.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'main', 'nav', 'ol',
  'p', 'pre', 'section', 'summary', 'table', 'tr', 'ul', 'caption',
]);
const HIDDEN = new Set(['script', 'style', 'template', 'head', 'title', 'noscript', 'iframe', 'noembed', 'noframes', 'xmp', 'textarea']);

const markdown = new MarkdownIt({ html: true, linkify: true });

/** A chat bubble's `div`: markup is parsed as a page's `innerHTML` would be. */
const BUBBLE = ((parse('<div></div>').childNodes[0] as Element).childNodes[1] as Element).childNodes[0] as Element;
const parseFragment = (html: string) => parseWithContext(BUBBLE, html, {});

function childrenOf(node: Node): Node[] {
  if ('content' in node && node.nodeName === 'template') return (node as Element & { content: { childNodes: Node[] } }).content.childNodes;
  return 'childNodes' in node ? (node.childNodes as Node[]) : [];
}

/** The text a browser shows of `html` (an approximation of `innerText`). */
export function renderedText(html: string): string {
  let out = '';
  const walk = (node: Node, pre: boolean): void => {
    if (node.nodeName === '#text') {
      const value = (node as DefaultTreeAdapterMap['textNode']).value;
      out += pre ? value : value.replace(/[\t\n\f\r ]+/g, ' ');
      return;
    }
    if (node.nodeName === '#comment' || HIDDEN.has(node.nodeName)) return;
    const name = node.nodeName;
    if (name === 'br') {
      out += '\n';
      return;
    }
    if (name === 'td' || name === 'th') out += '\t';
    const block = BLOCKS.has(name);
    if (block) out += '\n';
    for (const child of childrenOf(node)) walk(child, pre || name === 'pre' || name === 'listing');
    if (block) out += '\n';
  };
  walk(parseFragment(html) as unknown as Node, false);
  return out;
}

/**
 * An address without its punycode host labels (`xn--0-8pc36586a`, which a renderer writes for a
 * host that is not ASCII): their digits are an encoding's, and the host as written is judged
 * where the link shows it.
 */
function withUnicodeHosts(value: string): string {
  return value.replace(/(?<=\/\/|\.)xn--[a-z0-9-]+/gi, '');
}

/** Every text a client gets that the page does not show: attribute values and names, comments, raw text. */
export function unreadTexts(html: string): string[] {
  const texts: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeName === '#comment') texts.push((node as DefaultTreeAdapterMap['commentNode']).data);
    if ('attrs' in node) for (const attr of (node as Element).attrs) texts.push(attr.name, withUnicodeHosts(attr.value));
    if (HIDDEN.has(node.nodeName)) texts.push(childrenOf(node).map((c) => ('value' in c ? String(c.value) : '')).join(''));
    for (const child of childrenOf(node)) walk(child);
  };
  walk(parseFragment(html) as unknown as Node);
  return texts;
}

/** The element tree of `html`, text left out: `p(b()i())`. */
export function shapeOf(html: string): string {
  const walk = (node: Node): string =>
    childrenOf(node)
      .filter((c) => c.nodeName !== '#text' && c.nodeName !== '#comment')
      .map((c) => `${c.nodeName}(${walk(c)})`)
      .join('');
  return walk(parseFragment(html) as unknown as Node);
}

/** Sensitive combinations anywhere a client or a reader of `html` could find one; the source itself included. */
export function countHtmlLeaks(html: string, policy: ReferencePolicy = DEFAULTS): number {
  return countShownLeaks(html, policy) + countLeaks(html, policy);
}

/** Sensitive combinations in what a page shows and holds of `html`, its source aside. */
function countShownLeaks(html: string, policy: ReferencePolicy): number {
  let leaks = countLeaks(renderedText(html), policy);
  for (const text of unreadTexts(html)) leaks += countLeaks(text, policy);
  return leaks;
}

/** Markdown as markdown-it renders it (raw HTML and bare links allowed). */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

/** Sensitive combinations in what markdown-it shows of `source`, in its links and in the source itself. */
export function countMarkdownLeaks(source: string, policy: ReferencePolicy = DEFAULTS): number {
  // The client gets the Markdown, not markdown-it's HTML: that HTML is judged as a page shows it.
  return countShownLeaks(renderMarkdown(source), policy) + countLeaks(source, policy);
}
