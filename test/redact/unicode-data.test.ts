import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unicodeDataSource } from '../../scripts/generate-unicode-data.js';
import { DIGIT_RANGES, SEPARATOR_RANGES, UNICODE_VERSION } from '../../src/redact/unicode-data.js';
import { compareUnicodeVersions } from '../../src/redact/unicode.js';
import { scanClassRanges, unpackRanges, type CodePointRange } from '../../src/redact/unicode-ranges.js';

const REGENERATE = 'run `npx tsx scripts/generate-unicode-data.ts` with this Node';
const runtimeVersion = process.versions.unicode ?? '0';
const order = compareUnicodeVersions(runtimeVersion, UNICODE_VERSION);
const UNASSIGNED = /^\p{Cn}$/u;

function codePoints(ranges: readonly CodePointRange[]): Set<number> {
  const set = new Set<number>();
  for (const [first, last] of ranges) for (let cp = first; cp <= last; cp++) set.add(cp);
  return set;
}

const hex = (cps: Iterable<number>): string[] => [...cps].map((cp) => `U+${cp.toString(16).toUpperCase()}`);

describe(`the generated Unicode ranges (Unicode ${UNICODE_VERSION}) against this Node (Unicode ${runtimeVersion})`, () => {
  const scanned = scanClassRanges();
  const classes = [
    { name: 'digits', file: codePoints(unpackRanges(DIGIT_RANGES)), node: codePoints(scanned.digits) },
    { name: 'separators', file: codePoints(unpackRanges(SEPARATOR_RANGES)), node: codePoints(scanned.separators) },
  ];

  it('hold every digit and separator this Node knows (the unsafe direction: a Node with a newer Unicode)', () => {
    // Where this Node knows more, the engine scans at load and stays safe, but its import is slow
    // again: the file is behind and must be written anew.
    for (const { name, file, node } of classes) {
      expect(hex([...node].filter((cp) => !file.has(cp))), `${name} this Node has and the file lacks: ${REGENERATE}`).toEqual([]);
    }
    expect(order, `Unicode ${runtimeVersion} is newer than the file's: ${REGENERATE}`).toBeLessThanOrEqual(0);
  });

  it('hold nothing else, but code points this Node has unassigned when its Unicode is older', () => {
    for (const { name, file, node } of classes) {
      const extra = [...file].filter((cp) => !node.has(cp));
      if (order === 0) expect(hex(extra), name).toEqual([]);
      else expect(hex(extra.filter((cp) => !UNASSIGNED.test(String.fromCodePoint(cp)))), name).toEqual([]);
    }
  });

  it.skipIf(order !== 0)('are the generator’s output, to the character, on a Node of the file’s Unicode version', () => {
    expect(readFileSync(new URL('../../src/redact/unicode-data.ts', import.meta.url), 'utf8')).toBe(unicodeDataSource());
  });
});
