/**
 * What an address between `<` and `>` reads as, for a Markdown reader that cannot tell an
 * autolink (its address shown, percent-escapes decoded) from an HTML tag (shown as nothing, its
 * address in the tag's names and values, character references decoded): the address's forms,
 * and the digits at its edges that either reading may join to the text beside it.
 *
 * @module
 */
import { LEGACY_SEPARATOR_REFERENCES, SEPARATOR_REFERENCES, addReferenceDigit, referencedCodePoint } from './html-entities.js';
import { SEPARATOR, classifyCodePoint } from './unicode.js';

/** `text` with each run of `%XX` that is UTF-8 decoded. */
export function decodePercent(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * `text` with the character references an HTML attribute decodes that may stand for a digit or a
 * separator (`&#49;` as `1`, `&period;` as `.`) decoded, a `;` or none: decoding more than a
 * browser does can only join more.
 */
export function decodeReferences(text: string): string {
  return text.replace(/&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));?/g, (reference, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) {
      // `&nbsp5` is `&nbsp` and `5`: the legacy names need no `;` (WHATWG HTML, named character references).
      const legacy = SEPARATOR_REFERENCES[name] === undefined ? LEGACY_SEPARATOR_REFERENCES.find((l) => name.startsWith(l)) : undefined;
      if (legacy !== undefined) return SEPARATOR_REFERENCES[legacy]! + reference.slice(1 + legacy.length);
      return SEPARATOR_REFERENCES[name] ?? reference;
    }
    let value = 0;
    for (const digit of decimal ?? hex!) value = addReferenceDigit(value, Number.parseInt(digit, 16), hex !== undefined);
    return String.fromCodePoint(referencedCodePoint(value));
  });
}

/** The class of the code point that ends at `end` (exclusive) in well-formed `text`. */
function classBefore(text: string, end: number): number {
  const unit = text.charCodeAt(end - 1);
  const at = end > 1 && unit >= 0xdc00 && unit <= 0xdfff ? end - 2 : end - 1;
  return classifyCodePoint(text.codePointAt(at)!);
}

/** Units of the code point that ends at `end` (exclusive) in well-formed `text`. */
function widthBefore(text: string, end: number): number {
  const unit = text.charCodeAt(end - 1);
  return end > 1 && unit >= 0xdc00 && unit <= 0xdfff ? 2 : 1;
}

/**
 * The runs of digits and separators at `text`'s edges: `[separators, digits]` at its start and
 * `[digits, separators]` at its end, the digits from the first digit to the last of each run
 * (empty where a run holds no digit). `/12-34/x/5-` gives `['/', '12-34', '5', '-']`.
 */
export function edgeDigits(text: string): [string, string, string, string] {
  let k = 0;
  let firstDigit = -1;
  let lastDigitEnd = 0;
  while (k < text.length) {
    const point = text.codePointAt(k)!;
    const cls = classifyCodePoint(point);
    if (cls > SEPARATOR) break;
    const next = k + (point > 0xffff ? 2 : 1);
    if (cls < SEPARATOR) {
      if (firstDigit < 0) firstDigit = k;
      lastDigitEnd = next;
    }
    k = next;
  }
  const headSeparators = firstDigit < 0 ? '' : text.slice(0, firstDigit);
  const head = firstDigit < 0 ? '' : text.slice(firstDigit, lastDigitEnd);
  let end = text.length;
  let lastDigit = -1;
  let firstDigitStart = text.length;
  while (end > 0) {
    const cls = classBefore(text, end);
    if (cls > SEPARATOR) break;
    const start = end - widthBefore(text, end);
    if (cls < SEPARATOR) {
      if (lastDigit < 0) lastDigit = end;
      firstDigitStart = start;
    }
    end = start;
  }
  const tail = lastDigit < 0 ? '' : text.slice(firstDigitStart, lastDigit);
  const tailSeparators = lastDigit < 0 ? '' : text.slice(lastDigit);
  return [headSeparators, head, tail, tailSeparators];
}

/** Whether a digit begins or ends `text`, but for separators before or after it. */
export function hasEdgeDigit(text: string): boolean {
  const [, head, tail] = edgeDigits(text);
  return head !== '' || tail !== '';
}
