/**
 * The UTF-8 finder regex of the engine before the WebAssembly byte finder, over Latin-1 text:
 * the oracle that `test/redact/byte-finder.test.ts` holds the byte finder to, and its baseline in
 * `bench/micro/byte-finder.js`.
 */
import { BMP, NON_ASCII_DIGITS, OTHER, SEPARATOR } from '../../src/redact/unicode.js';

const hex = (byte: number): string => `\\x${byte.toString(16).padStart(2, '0')}`;
const byteClass = (bytes: Iterable<number>): string => `[${[...new Set(bytes)].map(hex).join('')}]`;

/**
 * The regex (`g` flag): `minDigits` ASCII digits apart by gaps of at most `maxGap` units (an ASCII
 * separator or one UTF-8 sequence past ASCII), or the first bytes of a non-ASCII digit (two, three
 * of a four-byte sequence).
 */
export function oracleRegex(minDigits: number, maxGap: number): RegExp {
  const separators: number[] = [];
  for (let byte = 0; byte < 0x80; byte++) if ((BMP[byte] ?? OTHER) === SEPARATOR) separators.push(byte);
  const tail = '[\\x80-\\xbf]';
  const gapUnit = `(?:${byteClass(separators)}|[\\xc2-\\xdf]${tail}|[\\xe0-\\xef]${tail}{2}|[\\xf0-\\xf4]${tail}{3})`;
  const prefixes = new Set<string>();
  for (const codePoint of NON_ASCII_DIGITS) {
    const bytes = [...Buffer.from(String.fromCodePoint(codePoint), 'utf8')];
    prefixes.add(bytes.slice(0, bytes.length === 4 ? 3 : 2).map(hex).join(''));
  }
  return new RegExp(`[0-9](?:${gapUnit}{0,${maxGap}}[0-9]){${minDigits - 1}}|${[...prefixes].join('|')}`, 'g');
}

/** The oracle's next candidate in `text` at or after `from`, or -1. */
export function regexNext(regex: RegExp, text: string, from: number): number {
  regex.lastIndex = from;
  return regex.exec(text)?.index ?? -1;
}
