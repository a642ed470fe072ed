/**
 * fast-check generators of HTML and Markdown as vendors write it — and as a hostile one might:
 * numbers split by tags, marks, references (`&#x37;`, `&nbsp;`, `&#160`), white space runs and
 * line breaks; links whose address holds a number; comments, scripts and attributes with
 * numbers; `<` and `&` that are text; lone surrogates. All numbers are generated.
 */
import fc from 'fast-check';
import { digitChar, formattedNumber, separatorChar } from './arbitraries.js';

const WORDS = ['hei', 'ring', 'meg', 'kr', 'faktura', 'konto', 'nr', 'takk', 'pay', 'Ærlig', '😀', 'x', '#', ':'] as const;

/**
 * A reference without its `;`: a browser decodes it in raw HTML (text, RCDATA, values),
 * CommonMark shows it as text — digits of other scripts, separators, white space, legacy names,
 * a hex one that ends in a letter.
 */
const openReference = fc.oneof(
  fc.integer({ min: 0, max: 9 }).map((d) => `&#${48 + d}`),
  fc.integer({ min: 0, max: 9 }).map((d) => `&#x${(0x660 + d).toString(16)}`),
  fc.constantFrom('&#1633', '&#x0663', '&#8203', '&#x2011', '&#160', '&#32', '&#10', '&#x4A', '&amp', '&shy'),
);

/** A digit or a separator written as a character reference, the way HTML and Markdown allow. */
const referenceChar = fc.oneof(
  fc.integer({ min: 0, max: 9 }).map((d) => `&#${48 + d};`),
  fc.integer({ min: 0, max: 9 }).map((d) => `&#x${(48 + d).toString(16)};`),
  fc.integer({ min: 0, max: 9 }).map((d) => `&#x${(0x1d7ce + d).toString(16).toUpperCase()};`),
  fc.constantFrom('&nbsp;', '&#160;', '&thinsp;', '&ThinSpace;', '&shy;', '&zwj;', '&#8203;', '&ndash;', '&period;', '&sol;', '&NewLine;', '&Tab;', '&nbsp', '&#32;', '&#10;'),
  openReference,
);

/** Text that is hard on a tokenizer: `<` and `&` that are text, broken references, lone surrogates. */
const hostileText = fc.constantFrom('<1', '< ', '<٣', '&', '&nb', 'sp;', '&#', '#x', ';', '&amp;', '&lt;', '&frac12;', '\ud835', '\udfce', '\r\n', '  ', '\t');

/** A piece of text inside markup (before escaping for HTML: it may hold `<` and `&` on purpose). */
export const markupTextPiece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 4, arbitrary: formattedNumber },
  { weight: 3, arbitrary: fc.constantFrom(' ', ' ', '\n') },
  { weight: 2, arbitrary: separatorChar },
  { weight: 2, arbitrary: digitChar },
  { weight: 3, arbitrary: referenceChar },
  { weight: 1, arbitrary: hostileText },
);

/** Text of a few pieces. */
export const markupText = fc.array(markupTextPiece, { maxLength: 8 }).map((p) => p.join(''));

/** An attribute value without the quote that would end it. */
const attributeValue = markupText.map((t) => t.replace(/["<>]/g, ''));
const address = fc
  .tuple(fc.constantFrom('https://bank.example/', 'tel:', 'mailto:kunde@example.no?subject=', '/sak/'), fc.oneof(formattedNumber, fc.constantFrom('hjelp', 'om-oss')))
  .map(([base, tail]) => base + encodeURI(tail));

const attribute = fc.oneof(
  attributeValue.map((v) => ` title="${v}"`),
  attributeValue.map((v) => ` alt="${v}"`),
  address.map((v) => ` href="${v}"`),
  fc.constantFrom(' class="x"', ' data-x=1', " id='a'"),
);

const INLINE = ['b', 'i', 'em', 'strong', 'span', 'a', 'code', 'u', 'small', 'mark'] as const;
const BLOCK = ['p', 'div', 'li', 'blockquote', 'h2', 'td'] as const;

/** Well-nested HTML of text, inline and block elements, comments, scripts and line breaks. */
export const htmlDocument: fc.Arbitrary<string> = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: markupText },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...INLINE, ...BLOCK), fc.array(attribute, { maxLength: 2 }), tie('nodes'))
        .map(([name, attrs, inner]) => `<${name}${attrs.join('')}>${inner}</${name}>`),
    },
    { weight: 1, arbitrary: fc.constantFrom('<br>', '<br/>', '<hr>', '<wbr>', '<img src="x.png" alt="bilde">') },
    { weight: 1, arbitrary: markupText.map((t) => `<!--${t.replace(/-/g, '')}-->`) },
    { weight: 1, arbitrary: markupText.map((t) => `<script>${t.replace(/</g, '')}</script>`) },
    { weight: 1, arbitrary: markupText.map((t) => `<style>${t.replace(/</g, '')}</style>`) },
  ),
  nodes: fc.array(tie('node'), { maxLength: 4 }).map((nodes) => nodes.join('')),
})).nodes;

/** HTML that is not well-formed: tags cut short or never closed, stray `</x>`, markup inside values. */
export const brokenHtml = fc
  .array(
    fc.oneof(
      markupText,
      fc.constantFrom('<b', '</b', '<x1', '<a 12 ', '<', '<b title="1 2', '">', '</p>', '<p>', '<!--', '-->', '<a href=', 'tel:98765432', '<', '>', '</', '<!x', '<?php 12345678 ?>', '<script>', '</script>', '<title>', '</title>'),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Markdown marks and blocks around text. */
const markdownInline = fc.oneof(
  { weight: 6, arbitrary: markupText },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('*', '**', '_', '__', '~~', '`'), fc.constantFrom(...WORDS), markupText).map(([mark, word, text]) => `${mark}${word} ${text}${mark}`) },
  { weight: 1, arbitrary: fc.tuple(markupText, address).map(([text, url]) => `[lenke ${text}](${url})`) },
  { weight: 1, arbitrary: address.map((url) => `<${url.startsWith('/') ? `https://x.example${url}` : url}>`) },
  { weight: 1, arbitrary: fc.constantFrom('\\*', '\\-', '\\.', '\\_', '  \n', '\\\n', '<b>', '</b>', '<br>') },
);

const PREFIXES = ['', '', '', '- ', '* ', '1. ', '12) ', '> ', '# ', '### ', '| '];
const markdownLine = (lead: string, prefixes: string[]) =>
  fc
    .tuple(fc.constantFrom(...prefixes), fc.array(markdownInline, { maxLength: 5 }))
    .map(([prefix, parts]) => prefix + lead + (lead === '' ? parts.join('') : parts.join('').replace(/[\r\n]+/g, ' ')));

const markdownLines = (lead: string, prefixes: string[], lines: string[], more: fc.Arbitrary<string> = fc.constant('')) =>
  fc
    .array(fc.oneof({ weight: 8, arbitrary: markdownLine(lead, prefixes) }, { weight: 1, arbitrary: fc.constantFrom(...lines) }, { weight: 1, arbitrary: more }), { maxLength: 10 })
    .map((parts) => parts.join('\n'));

/** A tag with values that hold numbers and references (`<span title="12&#51 4567">`), inline or beginning an HTML block. */
const valuedTag = fc
  .tuple(fc.constantFrom('span', 'div', 'img', 'a', 'p'), fc.array(attribute, { minLength: 1, maxLength: 2 }), markupText.map((t) => t.replace(/[\s"'=<>`]/g, '')))
  .map(([name, attrs, unquoted]) => `<${name}${attrs.join('')}${unquoted === '' ? '' : ` data-n=${unquoted}`}>`);

/** Text with references of more digits than CommonMark's, which only raw HTML decodes (`&#x0000033;`). */
const rawHtmlText = fc.tuple(markupText, fc.constantFrom('', '&#x0000033;', '&#00000051;'), markupText).map((parts) => parts.join(''));

/** Raw HTML in Markdown: a tag with values inline, or an HTML block (kinds 1, 6 and 7) of text lines. */
const rawHtml = fc.oneof(
  fc.tuple(fc.constantFrom(...WORDS), valuedTag, rawHtmlText).map(([word, tag, text]) => `${word} ${tag}${text}`),
  fc
    .tuple(fc.oneof(valuedTag, fc.constantFrom('<div>', '<textarea>', '<br>', '<b>', '<p title="x">')), fc.array(rawHtmlText, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '</div>', '</textarea>', '</b>'))
    .map(([open, lines, close]) => [open, ...lines.map((l) => l.replace(/^\s*\n/g, '')), close].join('\n')),
);

/** Markdown: lines of marks, links, lists, quotes, headings, code (indented and fenced), raw HTML and blank lines. */
export const markdownDocument = markdownLines('', [...PREFIXES, '    '], ['', '```', '---', '***', '|---|---|'], rawHtml);

/**
 * The same without code, each line's text beginning with a word: no block is left empty when its
 * numbers go (and no line breaks inside a line's marks: a line left with only `*` is a list item),
 * and nothing is read as text that a renderer shows as code. Nor lists that begin at
 * another number than 1: whether one interrupts the line before is where renderers differ, and
 * the redactor reads its number as text, deleting it when it ends a number the line before began.
 */
export const wordedMarkdownDocument = markdownLines('hei ', PREFIXES.filter((p) => p !== '12) '), ['', '---', '***', '|---|---|']);
