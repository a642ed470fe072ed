/**
 * A streaming HTML tokenizer after the WHATWG *Tokenization* states, reduced to what redaction
 * needs: where text, character references, tags, attributes, comments and raw text elements
 * begin and end. It takes chunks split anywhere and reports each piece of source once, in order,
 * to an {@link HtmlListener}; it never builds a tree and holds back only a reference or a
 * closing sequence (`-->`, `</script`) that a chunk ends inside — a few dozen units at most.
 *
 * One file over 300 lines: it is one state machine, and its states follow the standard's in one
 * place, where they can be read against it; split, the states would lose the switch that ties them.
 *
 * Not followed (the redactor stays on the safe side of each, see the README): foreign content
 * (`<svg><style>` is raw text here), script data's escaped states, and the tree builder's
 * adoption agency and implied tags.
 *
 * @module
 */
import { BODY, QUOTED_VALUE, RCDATA, REFERENCE_REACH, ReferenceReader, UNQUOTED_VALUE, UNREAD, type TextPlace } from './html-reference.js';

export { BODY, QUOTED_VALUE, RCDATA, UNQUOTED_VALUE, UNREAD, type TextPlace } from './html-reference.js';

/** What the tokenizer reports; every unit of the input is in exactly one call. */
export interface HtmlListener {
  /** Text that renders as it is written. */
  text(source: string, place: TextPlace): void;
  /**
   * A reference — the way to write it (as `written`, or a safer spelling: `&#51` as `&#51;`) —
   * and the character it stands for.
   */
  reference(source: string, character: string, place: TextPlace, written: string): void;
  /** Markup: kept as it is, rendered as nothing. */
  markup(source: string): void;
  /** Markup inside a tag (`<`, white space, `=`, quotes, `/`, `>`): kept as it is. */
  tagMarkup(source: string): void;
  /**
   * A `<` or `&` that is text, where the text after it, with a combination deleted, could make
   * it markup (`<1234567b>`, `&nb1234567sp;`): spelled as a reference if a deletion begins within
   * `reach` units after it.
   */
  guard(char: '<' | '&', place: TextPlace, reach: number): void;
  /** A start or end tag is complete (its name lower-cased, cut at 16 units). */
  tagEnd(name: string, isEnd: boolean): void;
  /** A value, name, comment or raw text has ended. */
  textEnd(place: TextPlace): void;
  /** Part of an attribute's name (a name may come in parts, split by chunks). */
  attributeName(part: string): void;
  /** The attribute's name is complete. */
  attributeNameEnd(): void;
  /** The attribute (and its value, if any) is complete. */
  attributeEnd(): void;
}

const DATA = 0;
const TAG_OPEN = 1;
const END_TAG_OPEN = 2;
const TAG_NAME = 3;
const BEFORE_ATTRIBUTE_NAME = 4;
const ATTRIBUTE_NAME = 5;
const AFTER_ATTRIBUTE_NAME = 6;
const BEFORE_VALUE = 7;
const DOUBLE_QUOTED = 8;
const SINGLE_QUOTED = 9;
const UNQUOTED = 10;
const AFTER_QUOTED_VALUE = 11;
const SELF_CLOSING = 12;
const DECLARATION = 13;
const COMMENT = 14;
const BOGUS_COMMENT = 15;
const RAW_TEXT = 16;
const PLAIN_TEXT = 17;

const NAME_KEPT = 16;
const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);
const RCDATA_ELEMENTS: ReadonlySet<string> = new Set(['textarea', 'title']);
const WHITE_SPACE = /[\t\n\f\r ]/;
const ALPHA = /[A-Za-z]/;
/** Where text stops being plain in data, quoted values, unquoted values and RCDATA. */
const DATA_STOP = /[<&]/g;
const DOUBLE_QUOTED_STOP = /["&]/g;
const SINGLE_QUOTED_STOP = /['&]/g;
const UNQUOTED_STOP = /[\t\n\f\r &>]/g;
const RCDATA_STOP = /[<&]/g;

/** Tokenizes a stream of HTML for an {@link HtmlListener}. */
export class HtmlTokenizer {
  readonly #listener: HtmlListener;
  readonly #references: ReferenceReader;
  #state = DATA;
  /** Units carried into the next chunk: an unfinished reference or closing sequence. */
  #carry = '';
  #name = '';
  #isEnd = false;
  #rawEnd = '';
  #rawPlace: TextPlace = UNREAD;

  constructor(listener: HtmlListener, minDigits: number) {
    this.#listener = listener;
    this.#references = new ReferenceReader(minDigits);
  }

  /** Tokenize the next chunk (well-formed text). */
  push(chunk: string): void {
    const text = this.#carry === '' ? chunk : this.#carry + chunk;
    this.#carry = '';
    this.#run(text, false);
  }

  /** End of input: what is unfinished is reported as the renderer would read it. */
  end(): void {
    const text = this.#carry;
    this.#carry = '';
    this.#run(text, true);
    const listener = this.#listener;
    switch (this.#state) {
      case TAG_OPEN:
      case END_TAG_OPEN:
        listener.text(this.#state === TAG_OPEN ? '<' : '</', BODY);
        break;
      case DATA:
        break;
      case DOUBLE_QUOTED:
      case SINGLE_QUOTED:
      case UNQUOTED:
        listener.textEnd(this.#state === UNQUOTED ? UNQUOTED_VALUE : QUOTED_VALUE);
        this.#closeAttribute();
        break;
      case ATTRIBUTE_NAME:
        listener.attributeNameEnd();
        this.#closeAttribute();
        break;
      case AFTER_ATTRIBUTE_NAME:
      case BEFORE_VALUE:
        this.#closeAttribute();
        break;
      default:
        listener.textEnd(UNREAD);
    }
    this.#state = DATA;
  }

  #run(text: string, final: boolean): void {
    let i = 0;
    while (i < text.length) {
      const next = this.#step(text, i, final);
      if (next < 0) {
        this.#carry = text.slice(i);
        return;
      }
      i = next;
    }
  }

  /** One step from `text[i]`; returns where the next begins, or -1 when it needs the next chunk. */
  #step(text: string, i: number, final: boolean): number {
    const listener = this.#listener;
    const char = text[i]!;
    switch (this.#state) {
      case DATA:
        return this.#readText(text, i, DATA_STOP, BODY, final, (stop) => {
          this.#state = TAG_OPEN;
          return stop + 1;
        });
      case TAG_OPEN:
        if (ALPHA.test(char)) return this.#startTag(text, i, false);
        if (char === '!') return this.#declaration(text, i, final);
        if (char === '/') {
          this.#state = END_TAG_OPEN;
          return i + 1;
        }
        if (char === '?') return this.#startUnread(BOGUS_COMMENT, '<', i);
        listener.guard('<', BODY, 1);
        this.#state = DATA;
        return i;
      case END_TAG_OPEN:
        if (ALPHA.test(char)) return this.#startTag(text, i, true);
        if (char === '>') {
          listener.markup('</>');
          this.#state = DATA;
          return i + 1;
        }
        return this.#startUnread(BOGUS_COMMENT, '</', i);
      case TAG_NAME:
        return this.#readName(text, i);
      case BEFORE_ATTRIBUTE_NAME:
      case AFTER_ATTRIBUTE_NAME:
      case AFTER_QUOTED_VALUE:
      case SELF_CLOSING:
        return this.#betweenAttributes(text, i, char);
      case ATTRIBUTE_NAME:
        return this.#readAttributeName(text, i);
      case BEFORE_VALUE:
        if (WHITE_SPACE.test(char)) {
          listener.tagMarkup(char);
          return i + 1;
        }
        if (char === '"' || char === "'") {
          listener.tagMarkup(char);
          this.#state = char === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED;
          return i + 1;
        }
        if (char === '>') return this.#endTag(i);
        this.#state = UNQUOTED;
        return i;
      case DOUBLE_QUOTED:
      case SINGLE_QUOTED: {
        const quote = this.#state === DOUBLE_QUOTED ? '"' : "'";
        return this.#readText(text, i, quote === '"' ? DOUBLE_QUOTED_STOP : SINGLE_QUOTED_STOP, QUOTED_VALUE, final, (stop) => {
          listener.textEnd(QUOTED_VALUE);
          listener.tagMarkup(quote);
          this.#closeAttribute();
          this.#state = AFTER_QUOTED_VALUE;
          return stop + 1;
        });
      }
      case UNQUOTED:
        return this.#readText(text, i, UNQUOTED_STOP, UNQUOTED_VALUE, final, (stop) => {
          listener.textEnd(UNQUOTED_VALUE);
          this.#closeAttribute();
          this.#state = BEFORE_ATTRIBUTE_NAME;
          return stop;
        });
      case DECLARATION:
        return this.#declaration(text, i, final);
      case COMMENT:
        return this.#readComment(text, i, final);
      case BOGUS_COMMENT:
        return this.#readUntilClose(text, i);
      case RAW_TEXT:
        return this.#readRawText(text, i, final);
      default:
        listener.text(text.slice(i), UNREAD);
        return text.length;
    }
  }

  /**
   * Plain text from `i` up to the next unit `stop` finds; a `&` there is read as a reference,
   * any other stop is handed to `onStop`.
   */
  #readText(text: string, i: number, stop: RegExp, place: TextPlace, final: boolean, onStop: (at: number) => number): number {
    stop.lastIndex = i;
    const found = stop.exec(text);
    const at = found === null ? text.length : found.index;
    if (at > i) this.#listener.text(text.slice(i, at), place);
    if (at === text.length) return at;
    if (text[at] === '&') {
      const next = this.#readReference(text, at, place, final);
      return next < 0 && at > i ? at : next;
    }
    return onStop(at);
  }

  #startTag(text: string, i: number, isEnd: boolean): number {
    this.#listener.tagMarkup(isEnd ? '</' : '<');
    this.#name = '';
    this.#isEnd = isEnd;
    this.#state = TAG_NAME;
    return this.#readName(text, i);
  }

  /** The tag name: unread text (a digit in a name is still a digit). */
  #readName(text: string, i: number): number {
    let k = i;
    while (k < text.length && !/[\t\n\f\r />]/.test(text[k]!)) k++;
    if (k > i) {
      const part = text.slice(i, k);
      if (this.#name.length < NAME_KEPT) this.#name = (this.#name + part.toLowerCase()).slice(0, NAME_KEPT);
      this.#listener.text(part, UNREAD);
    }
    if (k === text.length) return k;
    this.#state = BEFORE_ATTRIBUTE_NAME;
    return k;
  }

  #betweenAttributes(text: string, i: number, char: string): number {
    const listener = this.#listener;
    const state = this.#state;
    if (char === '>') return this.#endTag(i);
    if (state === SELF_CLOSING || state === AFTER_QUOTED_VALUE) {
      this.#state = BEFORE_ATTRIBUTE_NAME;
      if (char === '/') {
        listener.tagMarkup('/');
        this.#state = SELF_CLOSING;
        return i + 1;
      }
      if (WHITE_SPACE.test(char)) {
        listener.tagMarkup(char);
        return i + 1;
      }
      return i;
    }
    if (WHITE_SPACE.test(char)) {
      listener.tagMarkup(char);
      return i + 1;
    }
    if (char === '/') {
      this.#closeAttribute();
      listener.tagMarkup('/');
      this.#state = SELF_CLOSING;
      return i + 1;
    }
    if (state === AFTER_ATTRIBUTE_NAME && char === '=') {
      listener.tagMarkup('=');
      this.#state = BEFORE_VALUE;
      return i + 1;
    }
    this.#closeAttribute();
    this.#inAttribute = true;
    this.#state = ATTRIBUTE_NAME;
    if (char !== '=') return i;
    listener.attributeName('=');
    return i + 1;
  }

  /** An attribute is open: its name or value may still come. */
  #inAttribute = false;

  #closeAttribute(): void {
    if (!this.#inAttribute) return;
    this.#inAttribute = false;
    this.#listener.attributeEnd();
  }

  #readAttributeName(text: string, i: number): number {
    let k = i;
    while (k < text.length && !/[\t\n\f\r />=]/.test(text[k]!)) k++;
    if (k > i) this.#listener.attributeName(text.slice(i, k));
    if (k === text.length) return k;
    this.#listener.attributeNameEnd();
    if (text[k] === '=') {
      this.#listener.tagMarkup('=');
      this.#state = BEFORE_VALUE;
      return k + 1;
    }
    this.#state = AFTER_ATTRIBUTE_NAME;
    return k;
  }

  /** `>` ends the tag: raw text elements switch the tokenizer. */
  #endTag(i: number): number {
    const listener = this.#listener;
    this.#closeAttribute();
    listener.tagMarkup('>');
    listener.tagEnd(this.#name, this.#isEnd);
    this.#state = DATA;
    if (this.#isEnd) return i + 1;
    if (RAW_TEXT_ELEMENTS.has(this.#name) || RCDATA_ELEMENTS.has(this.#name)) {
      this.#state = RAW_TEXT;
      this.#rawEnd = `</${this.#name}`;
      this.#rawPlace = RCDATA_ELEMENTS.has(this.#name) ? RCDATA : UNREAD;
    } else if (this.#name === 'plaintext') {
      this.#state = PLAIN_TEXT;
    }
    return i + 1;
  }

  /** After `<!`: a comment, a doctype or a bogus comment; -1 while the chunk cannot tell. */
  #declaration(text: string, i: number, final: boolean): number {
    if (this.#state !== DECLARATION) {
      this.#state = DECLARATION;
      this.#listener.markup('<!');
      return i + 1;
    }
    if (text.startsWith('--', i)) {
      this.#listener.markup('--');
      this.#state = COMMENT;
      this.#commentStart = true;
      return i + 2;
    }
    if (!final && text.length - i < 2 && '--'.startsWith(text.slice(i))) return -1;
    this.#state = BOGUS_COMMENT;
    return i;
  }

  #startUnread(state: number, opening: string, i: number): number {
    this.#listener.markup(opening);
    this.#state = state;
    return i;
  }

  /** Comment text up to `-->` or `--!>` (or `>`, `->` right at its start). */
  #readComment(text: string, i: number, final: boolean): number {
    const listener = this.#listener;
    const abrupt = /^-?>/.exec(text.slice(i, i + 2));
    if (abrupt !== null && this.#commentStart) {
      this.#commentStart = false;
      listener.markup(abrupt[0]);
      listener.textEnd(UNREAD);
      this.#state = DATA;
      return i + abrupt[0].length;
    }
    if (!final && this.#commentStart && text.length - i < 2 && text[i] === '-') return -1;
    this.#commentStart = false;
    const close = /--!?>/g;
    close.lastIndex = i;
    const found = close.exec(text);
    if (found === null) {
      // Hold back what may begin the closing sequence.
      const keep = final ? 0 : /-{1,2}!?$|-$/.exec(text.slice(Math.max(i, text.length - 3)))?.[0].length ?? 0;
      if (text.length - keep > i) listener.text(text.slice(i, text.length - keep), UNREAD);
      return keep === 0 ? text.length : text.length - keep > i ? text.length - keep : -1;
    }
    if (found.index > i) listener.text(text.slice(i, found.index), UNREAD);
    listener.markup(found[0]);
    listener.textEnd(UNREAD);
    this.#state = DATA;
    this.#commentStart = true;
    return found.index + found[0].length;
  }

  #commentStart = true;

  #readUntilClose(text: string, i: number): number {
    const close = text.indexOf('>', i);
    const at = close < 0 ? text.length : close;
    if (at > i) this.#listener.text(text.slice(i, at), UNREAD);
    if (close < 0) return at;
    this.#listener.markup('>');
    this.#listener.textEnd(UNREAD);
    this.#state = DATA;
    return at + 1;
  }

  /** Raw text or RCDATA up to its own end tag (`</script` then white space, `/` or `>`). */
  #readRawText(text: string, i: number, final: boolean): number {
    const listener = this.#listener;
    const place = this.#rawPlace;
    const end = this.#rawEnd;
    let from = i;
    let k = i;
    while (k < text.length) {
      const lt = place === RCDATA ? (RCDATA_STOP.lastIndex = k, RCDATA_STOP.exec(text)?.index ?? -1) : text.indexOf('<', k);
      if (lt < 0) break;
      if (text[lt] === '&') {
        if (lt > from) listener.text(text.slice(from, lt), place);
        const next = this.#readReference(text, lt, place, final);
        if (next < 0) return lt > i ? lt : -1;
        from = k = next;
        continue;
      }
      const candidate = text.slice(lt, lt + end.length + 1);
      if (candidate.length <= end.length && !final && end.startsWith(candidate.toLowerCase())) {
        if (lt > from) listener.text(text.slice(from, lt), place);
        return lt > i ? lt : -1;
      }
      if (candidate.length === end.length + 1 && candidate.slice(0, -1).toLowerCase() === end && /[\t\n\f\r />]/.test(candidate.at(-1)!)) {
        if (lt > from) listener.text(text.slice(from, lt), place);
        listener.textEnd(place);
        listener.tagMarkup('</');
        this.#name = '';
        this.#isEnd = true;
        this.#state = TAG_NAME;
        return lt + 2;
      }
      k = lt + 1;
    }
    if (text.length > from) listener.text(text.slice(from), place);
    return text.length;
  }

  /**
   * A character reference at `text[at]` (`&`): reported with what it stands for, or as text
   * when it is none. -1 when the chunk ends before that is clear.
   */
  #readReference(text: string, at: number, place: TextPlace, final: boolean): number {
    const references = this.#references;
    const next = references.read(text, at, place, final);
    if (next < 0) return next;
    if (references.source === '') this.#listener.guard('&', place, references.reach);
    else this.#listener.reference(references.source, references.character, place, references.written);
    return next;
  }
}
