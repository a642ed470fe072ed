import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLANES_WITH_CLASSES, packRanges, scanClassRanges, unpackRanges, type CodePointRange } from '../../src/redact/unicode-ranges.js';
import { isDigitChar, isSeparatorChar } from '../support/reference.js';

/** Ascending, disjoint, not touching (maximal): what the scan and the packing promise. */
function expectMaximal(ranges: readonly CodePointRange[]): void {
  for (const [k, [first, last]] of ranges.entries()) {
    expect(first).toBeLessThanOrEqual(last);
    if (k > 0) expect(first, `range ${k}`).toBeGreaterThan(ranges[k - 1]![1] + 1);
  }
}

const scanned = scanClassRanges();
const isSurrogate = (cp: number): boolean => cp >= 0xd800 && cp <= 0xdfff;

describe('scanClassRanges', () => {
  it('gives maximal ranges of runs of ten digits and of separators, none of them a surrogate', () => {
    expectMaximal(scanned.digits);
    expectMaximal(scanned.separators);
    for (const [first, last] of scanned.digits) {
      expect((last - first + 1) % 10, `U+${first.toString(16)}`).toBe(0);
      expect(isDigitChar(String.fromCodePoint(first - 1)), `U+${first.toString(16)} begins its run`).toBe(false);
    }
    for (const [first, last] of [...scanned.digits, ...scanned.separators]) {
      expect(isSurrogate(first) || isSurrogate(last) || (first < 0xd800 && last > 0xdfff)).toBe(false);
      expect((PLANES_WITH_CLASSES as readonly number[]).includes(first >>> 16)).toBe(true);
    }
  });

  it('holds exactly the reference’s digits and separators of the planes it scans', () => {
    const inRanges = (ranges: readonly CodePointRange[]): Set<number> => {
      const set = new Set<number>();
      for (const [first, last] of ranges) for (let cp = first; cp <= last; cp++) set.add(cp);
      return set;
    };
    const digits = inRanges(scanned.digits);
    const separators = inRanges(scanned.separators);
    const wrong: string[] = [];
    for (const plane of PLANES_WITH_CLASSES) {
      for (let cp = plane * 0x10000; cp < (plane + 1) * 0x10000; cp++) {
        if (isSurrogate(cp)) continue;
        const ch = String.fromCodePoint(cp);
        if (digits.has(cp) !== isDigitChar(ch) || separators.has(cp) !== (!isDigitChar(ch) && isSeparatorChar(ch))) wrong.push(`U+${cp.toString(16)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(digits.has(0x41) || separators.has(0x41), 'the stand-in for surrogates is no class').toBe(false);
    expect(separators.has(0x20)).toBe(true);
  });
});

describe('packRanges / unpackRanges', () => {
  /** Ascending, disjoint, non-touching ranges anywhere in Unicode. */
  const rangesArbitrary = fc
    .uniqueArray(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 40 })
    .map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const ranges: Array<[number, number]> = [];
      for (let k = 0; k + 1 < sorted.length; k += 2) {
        const [first, last] = [sorted[k]!, sorted[k + 1]!];
        const previous = ranges[ranges.length - 1];
        if (previous === undefined || first > previous[1] + 1) ranges.push([first, last]);
      }
      return ranges;
    });

  it('unpacks what it packed', () => {
    fc.assert(
      fc.property(rangesArbitrary, (ranges) => {
        expect(unpackRanges(packRanges(ranges))).toEqual(ranges);
      }),
    );
  });

  it('packs a range as its distance from the end of the one before and its length', () => {
    expect(packRanges([[9, 9], [32, 32], [0x2010, 0x2015]])).toEqual([9, 1, 22, 1, 0x2010 - 33, 6]);
    expect(unpackRanges([48, 10, 1574, 10])).toEqual([[48, 57], [1632, 1641]]);
    expect(unpackRanges(packRanges(scanned.separators))).toEqual(scanned.separators);
  });
});
