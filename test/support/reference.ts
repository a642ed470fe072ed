/**
 * A deliberately plain reading of the redaction policy, written from the definition and nothing
 * else: code point by code point, with the engine's own `\p{…}` classes. It is slow and obvious;
 * the fast engine must agree with it on every input (differential testing).
 */
export interface ReferencePolicy {
  minDigits: number;
  maxGap: number;
  replacement: string;
}

export const DEFAULTS: ReferencePolicy = { minDigits: 7, maxGap: 3, replacement: '' };

const DIGIT = /^\p{Nd}$/u;
const SEPARATOR = /^[\t\p{Zs}.,\-/\u2010-\u2015\u2212\p{Cf}\p{M}]$/u;

export const isDigitChar = (ch: string): boolean => DIGIT.test(ch);
export const isSeparatorChar = (ch: string): boolean => SEPARATOR.test(ch);

/** Numeric value of a digit code point: its offset in its run of ten. */
export function digitValue(ch: string): number {
  let cp = ch.codePointAt(0)!;
  let offset = 0;
  while (DIGIT.test(String.fromCodePoint(cp - 1))) {
    cp -= 1;
    offset += 1;
  }
  return offset % 10;
}

export interface Span {
  /** UTF-16 index of the first digit. */
  start: number;
  /** UTF-16 index just past the last digit. */
  end: number;
  digits: number[];
}

/** Every maximal number combination, sensitive or not. */
export function findCombinations(text: string, maxGap: number): Span[] {
  const chars = Array.from(text); // code points; lone surrogates stay single elements
  const spans: Span[] = [];
  let offset = 0;
  const offsets = chars.map((ch) => {
    const at = offset;
    offset += ch.length;
    return at;
  });
  let k = 0;
  while (k < chars.length) {
    if (!isDigitChar(chars[k]!)) {
      k++;
      continue;
    }
    const digits = [digitValue(chars[k]!)];
    let last = k;
    let j = k + 1;
    let gap = 0;
    while (j < chars.length) {
      const ch = chars[j]!;
      if (isDigitChar(ch)) {
        digits.push(digitValue(ch));
        last = j;
        gap = 0;
      } else if (isSeparatorChar(ch) && gap < maxGap) {
        gap++;
      } else {
        break;
      }
      j++;
    }
    spans.push({ start: offsets[k]!, end: offsets[last]! + chars[last]!.length, digits });
    k = last + 1;
  }
  return spans;
}

/** The reference redaction: the output and the deleted spans. */
export function referenceRedact(
  text: string,
  policy: ReferencePolicy = DEFAULTS,
): { text: string; spans: Span[] } {
  const spans = findCombinations(text, policy.maxGap).filter((s) => s.digits.length >= policy.minDigits);
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + policy.replacement;
    at = span.end;
  }
  return { text: out + text.slice(at), spans };
}

/** The longest run of digits in any combination of `text` (for the no-leak property). */
export function longestCombination(text: string, maxGap: number): number {
  return Math.max(0, ...findCombinations(text, maxGap).map((s) => s.digits.length));
}
