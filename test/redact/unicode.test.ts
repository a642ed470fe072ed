import { afterEach, describe, expect, it, vi } from 'vitest';
import { ByteRedactor, redact } from '../../src/redact/index.js';
import { UNICODE_VERSION } from '../../src/redact/unicode-data.js';
import {
  BMP,
  HIGH_SURROGATE,
  NON_ASCII_DIGITS,
  OTHER,
  SEPARATOR,
  buildPlanes,
  classifyCodePoint,
  compareUnicodeVersions,
  mayKnowNewerUnicode,
} from '../../src/redact/unicode.js';

import { isDigitChar, isSeparatorChar } from '../support/reference.js';

describe('character tables', () => {
  it('agree with the SPEC’s classes, compatibility forms (NFKC) included, for every code point', () => {
    // On a Node older than the generated ranges' Unicode the tables hold that Unicode's digits and
    // separators too (`unicode-data.test.ts` checks they lie where this Node has nothing assigned).
    const older = compareUnicodeVersions(process.versions.unicode ?? '0', UNICODE_VERSION) < 0;
    let mismatches = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const cls = classifyCodePoint(cp);
      const expected = isDigitChar(ch) ? 'digit' : isSeparatorChar(ch) ? 'sep' : 'other';
      const actual = cls < SEPARATOR ? 'digit' : cls === SEPARATOR ? 'sep' : 'other';
      if (expected !== actual && !(older && expected === 'other' && /^\p{Cn}$/u.test(ch))) mismatches++;
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

describe('where the tables come from', () => {
  it('orders Unicode versions by their numbers', () => {
    expect(compareUnicodeVersions('17.0', '17.0')).toBe(0);
    expect(compareUnicodeVersions('15.1', '17.0')).toBeLessThan(0);
    expect(compareUnicodeVersions('17.1', '17.0')).toBeGreaterThan(0);
    expect(compareUnicodeVersions('9.0', '10.0')).toBeLessThan(0);
    expect(compareUnicodeVersions('17', '17.0')).toBe(0);
    expect(compareUnicodeVersions('17.0.1', '17.0')).toBeGreaterThan(0);
  });

  it('scans the running engine only where it may know a newer Unicode than the generated ranges', () => {
    expect(mayKnowNewerUnicode('17.0', '17.0')).toBe(false);
    expect(mayKnowNewerUnicode('15.1', '17.0')).toBe(false);
    expect(mayKnowNewerUnicode('17.1', '17.0')).toBe(true);
    expect(mayKnowNewerUnicode('18.0', '17.0')).toBe(true);
    for (const unknown of [undefined, '', 'seventeen', 17, null]) expect(mayKnowNewerUnicode(unknown, '17.0'), String(unknown)).toBe(true);
  });

  it('a Node of the generated ranges’ Unicode (Node 20.20, Node 26) loads them without a scan', () => {
    expect(mayKnowNewerUnicode(process.versions.unicode), `Node ${process.version}, Unicode ${process.versions.unicode}`).toBe(false);
  });

  it('join two sources’ classes: every digit and separator of either, a digit where one says digit', () => {
    const generated = { digits: [[0x30, 0x39]] as const, separators: [[0x20, 0x20], [0x2010, 0x2015]] as const };
    const newer = { digits: [[0x1e5f1, 0x1e5fa], [0x2010, 0x2019]] as const, separators: [[0xe0001, 0xe0001], [0x20, 0x21]] as const };
    const planes = buildPlanes([generated, newer]);
    const classOf = (cp: number): number | undefined => planes[cp >>> 16]?.[cp & 0xffff];
    expect([0x30, 0x35, 0x39].map(classOf)).toEqual([0, 5, 9]);
    expect([0x1e5f1, 0x1e5fa].map(classOf)).toEqual([0, 9]);
    expect([0x2010, 0x2015, 0x2019].map(classOf)).toEqual([0, 5, 9]);
    expect([0x20, 0x21, 0xe0001].map(classOf)).toEqual([SEPARATOR, SEPARATOR, SEPARATOR]);
    expect([0x22, 0x41, 0xe0002, 0x1e5fb].map(classOf)).toEqual([OTHER, OTHER, OTHER, OTHER]);
    expect([classOf(0xd800), classOf(0xdbff), classOf(0xdc00)]).toEqual([HIGH_SURROGATE, HIGH_SURROGATE, OTHER]);
    expect(planes.map((plane, k) => (plane === undefined ? undefined : k)).filter((k) => k !== undefined)).toEqual([0, 1, 14]);
  });

  describe('on an engine that reports a newer Unicode, or none (a browser)', () => {
    const reported = Object.getOwnPropertyDescriptor(process.versions, 'unicode')!;
    afterEach(() => {
      Object.defineProperty(process.versions, 'unicode', reported);
      vi.doUnmock('../../src/redact/unicode-ranges.js');
      vi.resetModules();
    });

    it.each([['99.0'], [undefined]])('scans it at load and adds what it knows (Unicode %s): the same tables here', async (version) => {
      Object.defineProperty(process.versions, 'unicode', { ...reported, value: version });
      const scans = vi.fn();
      vi.doMock('../../src/redact/unicode-ranges.js', async (importOriginal) => {
        const original = await importOriginal<typeof import('../../src/redact/unicode-ranges.js')>();
        return { ...original, scanClassRanges: () => (scans(), original.scanClassRanges()) };
      });
      vi.resetModules();
      const scanned = await import('../../src/redact/unicode.js');
      expect(scans).toHaveBeenCalledTimes(1);
      expect(scanned.BMP).not.toBe(BMP);
      expect(scanned.BMP).toEqual(BMP);
      expect(scanned.NON_ASCII_DIGITS).toEqual(NON_ASCII_DIGITS);
      for (const cp of [0x1d7ce, 0x1e5f1, 0x1fbf9, 0xe0020, 0xe01ef, 0x10d40, 0x1f600]) expect(scanned.classifyCodePoint(cp)).toBe(classifyCodePoint(cp));
    });
  });
});
