/**
 * Markup-preserving redaction of HTML: every combination is found in the text as a browser
 * renders it — references decoded (`&#x37;` is `7`, `&nbsp;` a separator), white space collapsed,
 * inline tags (`<b>`, `<span>`, table cells) transparent, block tags and `<br>` line breaks — and
 * each of its characters is deleted where it stands in the source; tags stay as they were.
 *
 * What no one sees in the page but a client still receives is redacted too, each as text of its
 * own: attribute values (`title`, `alt`, `value`, `style`, …), tag and attribute names, comments,
 * and the content of `script`, `style` and the other raw text elements. An address attribute
 * (`href`, `src`, …) whose value holds a sensitive combination is dropped whole: the element
 * stays, with its text, but does not link to an address the vendor never wrote.
 *
 * @module
 */
import { BODY, HtmlTokenizer, QUOTED_VALUE, RCDATA, UNQUOTED_VALUE, UNREAD, type HtmlListener, type TextPlace } from './html-tokenizer.js';
import { ATOM, GUARD, LINK, MARKUP, MarkupOutput, TEXT, addCollapsed } from './markup-output.js';
import { MarkupRedactor, redactWhole } from './markup-redactor.js';
import { RenderedView } from './markup-view.js';
import { resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import type { RedactResult } from './redact.js';

/**
 * Elements that begin and end a line (their default `display` is a block or a list item). Table
 * parts are not among them: a parser moves text that stands in a table but in no cell to before
 * the table (*foster parenting*), next to the text before it, so they are read as nothing.
 */
const LINE_ELEMENTS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li',
  'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'ul',
]);
/** Attributes whose value is an address: dropped whole when it holds a sensitive combination. */
const ADDRESS_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href', 'src', 'srcset', 'action', 'formaction', 'cite', 'poster', 'background', 'longdesc', 'data', 'codebase',
  'ping', 'manifest', 'icon', 'lowsrc', 'dynsrc', 'xlink:href', 'archive', 'classid', 'profile', 'usemap',
]);
/** An attribute name longer than any address attribute's is read as text at once. */
const LONGEST_ADDRESS_NAME = 10;
/** An address longer than this is dropped without being read: a bound on what is held. */
const MAX_ADDRESS_LENGTH = 8192;
const ASCII_WHITE_SPACE = /^[\t\n\f\r ]$/;

/** The replacement spelled for each place a deletion can be in (`TextPlace` order). */
function spellReplacement(replacement: string): string[] {
  const text = replacement.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
  const quoted = text.replace(/["']/g, (c) => (c === '"' ? '&quot;' : '&apos;'));
  const unquoted = quoted.replace(/[\t\n\f\r =`]/g, (c) => (c === '=' ? '&equals;' : c === '`' ? '&grave;' : c === '\t' ? '&Tab;' : c === '\n' ? '&NewLine;' : '&nbsp;'));
  // Unread text gets a space: a deletion there must never join `<` and `/script` or `-` and `->`.
  return [text, quoted, unquoted, ' ', ' '];
}

/** Turns the tokenizer's pieces into pieces of output, each tied to the view that reads it. */
class HtmlPieces implements HtmlListener {
  readonly body: RenderedView;
  readonly aside: RenderedView;
  readonly output: MarkupOutput;
  /** The last unit the body rendered was white space (or nothing yet, or a line break). */
  #spaced = true;
  #attributeName = '';
  /** The attribute's name went out as text already (too long to be an address's). */
  #nameWritten = false;
  /** An address attribute being read whole; `null` when none is. */
  #address: string | null = null;
  #addressRendered = '';

  constructor(policy: Policy) {
    this.body = new RenderedView(policy);
    this.aside = new RenderedView(policy);
    this.output = new MarkupOutput([this.body, this.aside], spellReplacement(policy.replacement));
  }

  text(source: string, place: TextPlace): void {
    if (this.#address !== null) return this.#addToAddress(source, source);
    if (place !== BODY) return this.output.add(TEXT, source, this.aside, source, place);
    this.#spaced = addCollapsed(this.output, this.body, source, this.#spaced, BODY);
  }

  reference(source: string, character: string, place: TextPlace): void {
    if (this.#address !== null) return this.#addToAddress(source, character);
    if (place !== BODY) return this.output.add(ATOM, source, this.aside, character, place);
    if (!ASCII_WHITE_SPACE.test(character)) {
      this.#spaced = false;
      return this.output.add(ATOM, source, this.body, character, BODY);
    }
    if (this.#spaced) return this.output.add(MARKUP, source, this.body, '');
    this.#spaced = true;
    this.output.add(ATOM, source, this.body, ' ', BODY);
  }

  guard(char: '<' | '&', place: TextPlace, reach: number): void {
    if (this.#address !== null) return this.#addToAddress(char, char);
    if (place === BODY) this.#spaced = false;
    const view = place === BODY ? this.body : this.aside;
    this.output.add(GUARD, char, view, char, reach, char === '<' ? '&lt;' : '&amp;');
  }

  markup(source: string): void {
    this.output.add(MARKUP, source, this.body, '');
  }

  /** A tag reads as its own source to the unread view: its names and values run on with white space between. */
  tagMarkup(source: string): void {
    if (this.#address !== null) return this.#addToAddress(source, source);
    this.output.add(MARKUP, source, this.aside, source);
  }

  tagEnd(name: string): void {
    if (!LINE_ELEMENTS.has(name)) return;
    this.output.add(MARKUP, '', this.body, '\n');
    this.#spaced = true;
  }

  /** Comments and raw text end a text of their own; a tag's values go on with its markup. */
  textEnd(place: TextPlace): void {
    if (place === UNREAD || place === RCDATA) this.aside.append('\n');
  }

  attributeName(part: string): void {
    if (this.#nameWritten) return this.output.add(TEXT, part, this.aside, part, UNREAD);
    this.#attributeName += part;
    if (this.#attributeName.length <= LONGEST_ADDRESS_NAME) return;
    this.output.add(TEXT, this.#attributeName, this.aside, this.#attributeName, UNREAD);
    this.#attributeName = '';
    this.#nameWritten = true;
  }

  attributeNameEnd(): void {
    const name = this.#attributeName;
    this.#attributeName = '';
    if (!this.#nameWritten && ADDRESS_ATTRIBUTES.has(name.toLowerCase())) {
      this.#address = name;
      this.#addressRendered = name;
      return;
    }
    this.#nameWritten = false;
    this.output.add(TEXT, name, this.aside, name, UNREAD);
  }

  attributeEnd(): void {
    this.#nameWritten = false;
    const address = this.#address;
    if (address === null) return;
    this.#address = null;
    if (address.length <= MAX_ADDRESS_LENGTH) this.output.add(LINK, address, this.aside, this.#addressRendered);
  }

  #addToAddress(source: string, rendered: string): void {
    const address = this.#address!;
    if (address.length > MAX_ADDRESS_LENGTH) return; // dropped whole at its end
    this.#address = address + source;
    this.#addressRendered += rendered;
  }
}

/**
 * Redacts a stream of HTML: `push` each chunk, split anywhere (inside a tag, a reference, a
 * surrogate pair), and `end` once; the outputs together are what {@link redactHtml} gives for
 * the whole text. It holds back only what the scanner holds of the text a person reads, the
 * markup between those characters, and an unfinished reference or address.
 *
 * @example
 * ```ts
 * const redactor = new HtmlRedactor();
 * let out = redactor.push('Ring 21 <b>4');
 * out += redactor.push('9</b> 60&#160;00 nå');
 * out += redactor.end(); // 'Ring <b></b> nå'
 * ```
 */
export class HtmlRedactor extends MarkupRedactor {
  constructor(policy?: PolicyOptions | Policy) {
    const resolved = resolvePolicy(policy);
    const pieces = new HtmlPieces(resolved);
    super(resolved, pieces.output, new HtmlTokenizer(pieces, resolved.minDigits));
  }
}

/**
 * Delete every sensitive combination from HTML as a browser shows it, keeping its markup:
 * `21 <b>49</b> 60&#160;00` loses every digit and keeps `<b></b>`.
 *
 * @example
 * ```ts
 * redactHtml('<p>Ring <b>98</b> 76 54 32</p>').text; // '<p>Ring <b></b></p>'
 * redactHtml('<a href="https://bank.example/k/12345678">faktura</a>').text; // '<a >faktura</a>'
 * ```
 */
export function redactHtml(text: string, policy?: PolicyOptions | Policy): RedactResult {
  return redactWhole(new HtmlRedactor(policy), text);
}
