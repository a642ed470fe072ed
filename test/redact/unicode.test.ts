import { describe, expect, it } from 'vitest';
import { ByteRedactor, redact } from '../../src/redact/index.js';
import { NON_ASCII_DIGITS, OTHER, SEPARATOR, classifyCodePoint } from '../../src/redact/unicode.js';

import { isDigitChar, isSeparatorChar } from '../support/reference.js';

describe('character tables', () => {
  it('agree with the SPEC’s classes, compatibility forms (NFKC) included, for every code point', () => {
    let mismatches = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const cls = classifyCodePoint(cp);
      const expected = isDigitChar(ch) ? 'digit' : isSeparatorChar(ch) ? 'sep' : 'other';
      const actual = cls < SEPARATOR ? 'digit' : cls === SEPARATOR ? 'sep' : 'other';
      if (expected !== actual) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('every non-ASCII digit is found by the string finder and by the byte finder', () => {
    // The finders jump to digits through coarse classes and byte prefixes; a digit they missed
    // would pass through unredacted, so each one of every script is tried, after a letter.
    const missed: string[] = [];
    expect(NON_ASCII_DIGITS.length).toBeGreaterThan(600);
    for (const cp of NON_ASCII_DIGITS) {
      const run = `x${String.fromCodePoint(cp).repeat(7)}y`;
      if (redact(run).text !== 'xy') missed.push(`string U+${cp.toString(16)}`);
      const bytes = new ByteRedactor();
      const out = Buffer.concat([bytes.push(Buffer.from(run)), bytes.end()]).toString();
      if (out !== 'xy') missed.push(`bytes U+${cp.toString(16)}`);
    }
    expect(missed).toEqual([]);
  });

  it('gives each digit its numeric value', () => {
    expect(classifyCodePoint(0x30)).toBe(0);
    expect(classifyCodePoint(0x39)).toBe(9);
    expect(classifyCodePoint(0xff15)).toBe(5);
    expect(classifyCodePoint(0x0669)).toBe(9);
    expect(classifyCodePoint(0x1d7ce + 10)).toBe(0); // second run of mathematical digits
    expect(classifyCodePoint(0x1d7ff)).toBe(9);
    expect(classifyCodePoint(0x104a7)).toBe(7);
  });

  it('reads the separators a keyboard types: full-width, small forms, the one-dot leader, Arabic', () => {
    for (const cp of [0xff0c, 0xff0d, 0xff0e, 0xff0f, 0xfe50, 0xfe52, 0xfe58, 0xfe63, 0x2024, 0x060c, 0x066b, 0x066c, 0x066d]) {
      expect(classifyCodePoint(cp), `U+${cp.toString(16)}`).toBe(SEPARATOR);
    }
    for (const phone of ['０９０－１２３４－５６７８', '９８．７６．５４．３２', '٩٨٬٧٦٬٥٤٬٣٢', '98／76／54／32', '98٫76٫54٫32']) {
      expect(redact(`tlf ${phone}.`)).toMatchObject({ text: 'tlf .', redactions: 1 });
      const bytes = new ByteRedactor();
      expect(Buffer.concat([bytes.push(Buffer.from(`tlf ${phone}.`)), bytes.end()]).toString()).toBe('tlf .');
    }
  });

  it('never treats a line break as a separator', () => {
    for (const cp of [0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029]) expect(classifyCodePoint(cp)).toBe(OTHER);
    for (const cp of [0x09, 0x20, 0xa0, 0x2009, 0x202f, 0x200b, 0xad, 0xfeff, 0x20e3, 0xfe0f, 0xe0020]) {
      expect(classifyCodePoint(cp)).toBe(SEPARATOR);
    }
  });
});
