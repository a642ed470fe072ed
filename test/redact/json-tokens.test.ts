/**
 * The JSON tokens read in place: a string token's escapes decoded as `JSON.parse` decodes them
 * (a few by hand, more by `JSON.parse`), a bad escape refused; where strings end; the reader
 * reused from text to text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringReader } from '../../src/redact/json-tokens.js';

const parseOrUndefined = (token: string): string | undefined => {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
};

/** Every way a unit may be written in a JSON string: raw where allowed, a letter escape, `\uXXXX` in either case. */
const writtenUnit = fc.integer({ min: 0, max: 0xffff }).chain((unit) => {
  const hex = unit.toString(16).padStart(4, '0');
  const forms = [`\\u${hex}`, `\\u${hex.toUpperCase()}`];
  const raw = String.fromCharCode(unit);
  if (unit >= 0x20 && raw !== '"' && raw !== '\\') forms.push(raw, raw, raw);
  const letter = JSON.stringify(raw).slice(1, -1);
  if (letter.length === 2) forms.push(letter);
  if (raw === '/') forms.push('\\/');
  return fc.constantFrom(...forms);
});

/** The string token of `body`, with text around it, read by one reader. */
function decodeToken(reader: StringReader, body: string, before = '{"k":', after = '}'): string | undefined {
  const text = `${before}"${body}"${after}`;
  reader.read(text);
  const from = before.length;
  const to = reader.end(from);
  expect(to).toBe(text.length - after.length);
  return reader.decode(from, to, reader.hasEscape(from, to));
}

describe('StringReader.decode', () => {
  it('decodes as JSON.parse does, whatever the escapes and however many (fast-check)', () => {
    const reader = new StringReader();
    fc.assert(
      fc.property(fc.array(writtenUnit, { maxLength: 24 }), fc.constantFrom('', '"\\\\x"', ' "a\\u0031"'), (units, after) => {
        const body = units.join('');
        expect(decodeToken(reader, body, '[', `${after === '' ? '' : `,${after}`}]`)).toBe(JSON.parse(`"${body}"`));
      }),
      { numRuns: 2_000 },
    );
  });

  it('decodes lone surrogate escapes as lone surrogates, and the other letters', () => {
    const reader = new StringReader();
    expect(decodeToken(reader, '\\ud8351234567\\udfcf')).toBe('\ud8351234567\udfcf');
    expect(decodeToken(reader, 'a\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00E5')).toBe('a"b\\c/\b\f\n\r\t\u00e5');
    expect(decodeToken(reader, 'plain')).toBe('plain');
  });

  it('refuses a bad escape as JSON.parse does, before and after the hand-decoded few', () => {
    const reader = new StringReader();
    for (const body of ['\\x', 'a\\u12G4', '\\u123', '\\u', '\\n\\n\\n\\n\\n\\q', '\\ud835\\U0031', '\\n\\n\\n\\n\\n\\u00']) {
      expect(parseOrUndefined(`"${body}"`)).toBeUndefined();
      expect(decodeToken(reader, body, '[', ']')).toBeUndefined();
    }
  });
});
