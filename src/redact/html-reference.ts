/**
 * A character reference read as the WHATWG tokenizer reads one (*Character reference state*),
 * where it stands: in text, in RCDATA or in an attribute's value. Shared by the HTML tokenizer
 * and by the Markdown reader wherever raw HTML stands (a tag's values, an HTML block's text), so
 * that both decode exactly as a browser does:
 *
 * - a numeric reference needs no `;` (`&#51 ` is `3` and a space), of any number of digits;
 * - a named one needs its `;`, but for the legacy names (`&nbsp`, `&shy`: the ones that stand for
 *   a separator), which an attribute's value decodes only when no `=` or alphanumeric follows;
 * - a `&` that begins none is text, guarded while a deletion after it could make it one.
 *
 * A numeric reference of more than {@link MAX_REFERENCE_DIGITS} digits is read as text: what is
 * held back stays bounded, and it is safe — past that many digits a reference either stands for
 * U+FFFD (no digit, no separator) or begins with more zeros than any policy's `minDigits`, a
 * combination that goes whole.
 *
 * @module
 */
import { LEGACY_SEPARATOR_REFERENCES, LONGEST_SEPARATOR_REFERENCE, SEPARATOR_REFERENCES, addReferenceDigit, referencedCodePoint } from './html-entities.js';

/** Where a piece of text stands: what a person reads of it, and how it is read. */
export const BODY = 0;
export const QUOTED_VALUE = 1;
export const UNQUOTED_VALUE = 2;
/** Text no person reads in the page: comments, raw text elements, tag and attribute names. */
export const UNREAD = 3;
/** `textarea` and `title`: read, but a deletion must not join `<` and `/textarea`. */
export const RCDATA = 4;
export type TextPlace = typeof BODY | typeof QUOTED_VALUE | typeof UNQUOTED_VALUE | typeof UNREAD | typeof RCDATA;

/**
 * Digits a numeric reference may have and still be read as one: the largest `minDigits` (64)
 * and the seven of U+10FFFF, and one more — so that one longer is surely U+FFFD or a run of zeros
 * that is itself a sensitive combination.
 */
export const MAX_REFERENCE_DIGITS = 72;
/** Units after a `&` within which a deletion could complete a reference: the longest name and `;`. */
export const REFERENCE_REACH = 40;
/** A reference longer than this is written out as its character: its source is not kept. */
const MAX_REFERENCE_SOURCE = 64;
const ALPHANUMERIC = /[A-Za-z0-9]/;
const DECIMAL_DIGIT = /[0-9]/;
const HEX_DIGIT = /[0-9A-Fa-f]/;
/** A decoded character that cannot be written as itself in a place, and how it is written instead. */
const SAFE_SPELLINGS: Readonly<Record<string, string>> = {
  '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;', '=': '&equals;', '`': '&grave;',
  '\t': '&Tab;', '\n': '&NewLine;', ' ': '&#x20;', '\r': '&#xD;', '\f': '&#xC;',
};

/**
 * Reads the reference at a `&`; after {@link ReferenceReader.read} its fields describe what was
 * read (one reader is reused: the hot path allocates no result).
 */
export class ReferenceReader {
  /** Digits in a row that make a reference's own spelling a sensitive combination. */
  readonly #minDigits: number;
  /** What to write for the reference: as written, with the `;` it lacked, or its character; `''` when the `&` begins none. */
  source = '';
  /** What the reference stands for. */
  character = '';
  /** For a `&` that begins no reference: units after it within which a deletion could make it one. */
  reach = 0;
  /** The reference as it is written (`&#51`, where `source` is `&#51;`). */
  written = '';

  constructor(minDigits: number) {
    this.#minDigits = minDigits;
  }

  /**
   * Read at `text[at]` (`&`) in `place`; returns where what was read ends, or -1 when the text
   * ends before that is clear and more may come (`final` false).
   */
  read(text: string, at: number, place: TextPlace, final: boolean): number {
    return text[at + 1] === '#' ? this.#readNumeric(text, at, place, final) : this.#readNamed(text, at, place, final);
  }

  #readNumeric(text: string, at: number, place: TextPlace, final: boolean): number {
    let k = at + 2;
    const hex = text[k] === 'x' || text[k] === 'X';
    if (hex) k += 1;
    const digitPattern = hex ? HEX_DIGIT : DECIMAL_DIGIT;
    let value = 0;
    let run = 0;
    let longestRun = 0;
    const first = k;
    const last = first + MAX_REFERENCE_DIGITS;
    for (; k < text.length && k <= last && digitPattern.test(text[k]!); k++) {
      value = addReferenceDigit(value, Number.parseInt(text[k]!, 16), hex);
      run = text[k]! <= '9' ? run + 1 : 0;
      if (run > longestRun) longestRun = run;
    }
    if (k > last) return this.#guard(at, REFERENCE_REACH);
    if (k === text.length && !final) return -1;
    if (k === first) return this.#guard(at, REFERENCE_REACH);
    const closed = text[k] === ';';
    if (closed) k += 1;
    const character = String.fromCodePoint(referencedCodePoint(value));
    const written = text.slice(at, k);
    const sensitive = longestRun >= this.#minDigits || written.length > MAX_REFERENCE_SOURCE;
    // Without its `;` the reference's digits would run on into digits after it (`&#160 1234`).
    this.source = sensitive ? spellCharacter(character, place) : closed ? written : `${written};`;
    this.character = character;
    this.written = written;
    return k;
  }

  #readNamed(text: string, at: number, place: TextPlace, final: boolean): number {
    let k = at + 1;
    while (k < text.length && k - at <= LONGEST_SEPARATOR_REFERENCE + 1 && ALPHANUMERIC.test(text[k]!)) k++;
    if (k === text.length && !final && k - at <= LONGEST_SEPARATOR_REFERENCE + 1) return -1;
    const name = text.slice(at + 1, k);
    const known = text[k] === ';' ? SEPARATOR_REFERENCES[name] : undefined;
    if (known !== undefined) {
      this.source = text.slice(at, k + 1);
      this.written = this.source;
      this.character = known;
      return k + 1;
    }
    const legacy = LEGACY_SEPARATOR_REFERENCES.find((candidate) => name.startsWith(candidate));
    const after = legacy === undefined ? '' : (text[at + 1 + legacy.length] ?? '');
    const isValue = place === QUOTED_VALUE || place === UNQUOTED_VALUE;
    if (legacy !== undefined && !(isValue && (after === '=' || ALPHANUMERIC.test(after)))) {
      this.source = `&${legacy}`;
      this.written = this.source;
      this.character = SEPARATOR_REFERENCES[legacy]!;
      return at + 1 + legacy.length;
    }
    // A name closed by `;` can only be changed by a deletion inside it.
    return this.#guard(at, text[k] === ';' ? k - at : REFERENCE_REACH);
  }

  #guard(at: number, reach: number): number {
    this.source = '';
    this.written = '&';
    this.character = '&';
    this.reach = reach;
    return at + 1;
  }
}

/** A character written as itself, or as a reference without digits where it would be markup. */
export function spellCharacter(character: string, place: TextPlace): string {
  const safe = SAFE_SPELLINGS[character];
  if (safe === undefined) return character;
  if (place === BODY || place === RCDATA) return character === '<' || character === '&' ? safe : character;
  if (place === QUOTED_VALUE) return character === '"' || character === "'" || character === '&' ? safe : character;
  return safe;
}
