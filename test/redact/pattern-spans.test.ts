/**
 * The look-ahead of kept patterns (`pattern-spans.ts`): how far `release` lets the scanner read,
 * for text of every width of character, in both codecs. What it leaves unreleased is part of the
 * bounded hold-back (SPEC §1, invariant 6), so it must never pass `lookAhead - 1` units.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Codec } from '../../src/redact/codec.js';
import { DATE_TIME_PATTERN } from '../../src/redact/date-times.js';
import { keptClassPatterns } from '../../src/redact/kept-classes.js';
import { PatternSpans } from '../../src/redact/pattern-spans.js';
import { utf16 } from '../../src/redact/utf16-codec.js';
import { utf8 } from '../../src/redact/utf8-codec.js';

const CODECS: ReadonlyArray<[string, Codec, (text: string) => string]> = [
  ['UTF-16', utf16, (text) => text],
  ['UTF-8', utf8, (text) => Buffer.from(text, 'utf8').toString('latin1')],
];
/** Characters of one to four UTF-8 bytes and one or two UTF-16 units: digits, separators, date-time marks. */
const character = fc.constantFrom('0', '7', ' ', '-', ':', 'T', '.', 'a', '\u00a0', '٣', '５', '€', '𝟎', '𐒩', '\u{e0020}', '\n');
const text = fc.array(character, { minLength: 12, maxLength: 80 }).map((characters) => characters.join(''));

/** Release a whole text as one push: what is left must fit the look-ahead and begin a code point. */
function expectReleaseBounded(codec: Codec, units: string, maxGap: number, keep: boolean): void {
  const patterns = [DATE_TIME_PATTERN, ...(keep ? keptClassPatterns(codec, ['amounts', 'future_dates']) : [])];
  const spans = new PatternSpans(codec, maxGap, patterns);
  const released = spans.release(units, 0, units.length, false);
  expect(units.length - released).toBeLessThanOrEqual(spans.lookAhead - 1);
  expect(codec.codePointStart(units, released)).toBe(released);
}

describe('PatternSpans.release', () => {
  it('UTF-8: 27 × U+1D7CE with maxGap 0 leaves 40 bytes of a 43-byte look-ahead, not 44 (CI, through the ByteRedactor)', () => {
    const units = Buffer.from('𝟎'.repeat(27), 'utf8').toString('latin1');
    expectReleaseBounded(utf8, units, 0, false);
    expect(new PatternSpans(utf8, 0, [DATE_TIME_PATTERN]).release(units, 0, units.length, false)).toBe(68);
  });

  for (const [name, codec, encode] of CODECS) {
    it(`${name}: leaves at most lookAhead - 1 units, from a whole code point on, whatever the text`, () => {
      fc.assert(
        fc.property(text, fc.integer({ min: 0, max: 3 }), fc.boolean(), (sample, maxGap, keep) => {
          expectReleaseBounded(codec, encode(sample), maxGap, keep);
        }),
        { numRuns: 500 },
      );
    });
  }
});
