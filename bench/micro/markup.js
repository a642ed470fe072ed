/**
 * Markup-preserving redaction against plain text redaction, per byte: the corpus's messages as a
 * vendor's HTML (paragraphs, a word in bold, a link) and as an LLM's Markdown (bold, a list, a
 * link), each the same size as the plain text it is raced against, one-shot and streamed in
 * 64-unit chunks. Then hostile markup of the same size: tags between every digit, deep nesting,
 * a huge attribute, a period-2 mark repetition — which must stay linear (SPEC invariant 9: at
 * most 3× benign per byte).
 *
 * `npm run build && node --expose-gc bench/micro/markup.js` (and the same with Node 26)
 *
 * @module
 */
import { generateCorpus } from '../corpus.js';
import { loadDistModule, loadEngine } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { redact } = await loadEngine();
const { redactHtml, HtmlRedactor } = await loadDistModule('redact/html-redactor.js');
const { redactMarkdown, MarkdownRedactor } = await loadDistModule('redact/markdown-redactor.js');

const SIZE = 64 * 1024;
const CHUNK = 64;
const messages = generateCorpus({ bytes: 4 * SIZE }).messages;

/** @param {string} text */
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** @param {(message: string, k: number) => string} shape */
function fill(shape) {
  let out = '';
  for (let k = 0; out.length < SIZE; k++) out += shape(/** @type {string} */ (messages[k % messages.length]), k);
  return out.slice(0, SIZE);
}
/** @param {string} text */
const repeatTo = (text) => text.repeat(Math.ceil(SIZE / text.length)).slice(0, SIZE);

const plain = fill((m) => `${m}\n`);
const html = fill((m, k) => `<p>${escapeHtml(m).replace(/ (\S+) /, ' <b>$1</b> ')}${k % 5 === 0 ? ' <a href="https://bank.example/hjelp">hjelp</a>' : ''}</p>\n`);
const markdown = fill((m, k) => `${k % 3 === 0 ? '- ' : ''}${m.replace(/ (\S+) /, ' **$1** ')}${k % 5 === 0 ? ' [hjelp](https://bank.example/hjelp)' : ''}\n\n`);

/** @param {{ push(chunk: string): string, end(): string }} redactor @param {string} text */
function streamed(redactor, text) {
  let length = 0;
  for (let i = 0; i < text.length; i += CHUNK) length += redactor.push(text.slice(i, i + CHUNK)).length;
  return length + redactor.end().length;
}

await raceInProcess(`benign, ${SIZE / 1024} Ki units each: plain text against HTML and Markdown`, {
  'redact(plain)': () => redact(plain).text.length,
  'redactHtml(html)': () => redactHtml(html).text.length,
  'redactMarkdown(markdown)': () => redactMarkdown(markdown).text.length,
  'HtmlRedactor, 64-unit chunks': () => streamed(new HtmlRedactor(), html),
  'MarkdownRedactor, 64-unit chunks': () => streamed(new MarkdownRedactor(), markdown),
}, { iterations: 5 });

await raceInProcess(`hostile HTML, ${SIZE / 1024} Ki units each, against the benign HTML`, {
  'benign html': () => redactHtml(html).text.length,
  'a tag between every digit': () => redactHtml(repeatTo('9<b>8</b>7<i>6</i> ')).text.length,
  'deep nesting': () => redactHtml(`${'<span>'.repeat(SIZE / 12)}98 76 54 32${'</span>'.repeat(SIZE / 14)}`).text.length,
  'one huge attribute': () => redactHtml(`<p title="${repeatTo('98 76 54 32 ').slice(20)}">x</p>`).text.length,
  'references between digits': () => redactHtml(repeatTo('1&#x32;&nbsp;3&#52;')).text.length,
  'unclosed tags and stray <': () => redactHtml(repeatTo('<b 1 <p 2 < 3 </')).text.length,
}, { iterations: 5 });

await raceInProcess(`hostile Markdown, ${SIZE / 1024} Ki units each, against the benign Markdown`, {
  'benign markdown': () => redactMarkdown(markdown).text.length,
  'marks between every digit': () => redactMarkdown(repeatTo('9*8*_7_`6` ')).text.length,
  'a line per digit': () => redactMarkdown(repeatTo('9\n- 8\n1. 7\n')).text.length,
  'escapes and references': () => redactMarkdown(repeatTo('1\\-2&#51;&nbsp;%34')).text.length,
  'links with numbers': () => redactMarkdown(repeatTo('[9](tel:98765432)')).text.length,
}, { iterations: 5 });
