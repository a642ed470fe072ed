/**
 * The UTF-16 codec's change check and where its first match began (`findChangeStart`), against
 * the match that `exec` reports.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChangeCheck, findChangeStart } from '../../src/redact/utf16-codec.js';
import { chatText, hostileText } from '../support/arbitraries.js';

/** The index `exec` reports for the check's first match, or -1. */
function execIndex(check: RegExp, text: string): number {
  check.lastIndex = 0;
  return check.exec(text)?.index ?? -1;
}

describe('findChangeStart', () => {
  it('finds the start of the first match from its end', () => {
    const check = createChangeCheck(7, 3, 'g');
    for (const text of ['ring 98 76 54 32', 'a 1 2 3 45 6789', 'x ١٢٣٤٥٦٧', 'ok 😀 1234567', 'tlf 98\u2009765\u00a0432', '12\ud835\udfcf34567']) {
      check.lastIndex = 0;
      expect(check.test(text)).toBe(true);
      expect(findChangeStart(text, check.lastIndex, 7)).toBe(execIndex(check, text));
    }
  });

  it('property: agrees with exec for every policy shape and any text', () => {
    const checks = new Map<string, RegExp>();
    fc.assert(
      fc.property(fc.oneof(chatText, hostileText), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 8 }), (text, minDigits, maxGap) => {
        const key = `${minDigits}/${maxGap}`;
        const check = checks.get(key) ?? createChangeCheck(minDigits, maxGap, 'g');
        checks.set(key, check);
        const index = execIndex(check, text);
        check.lastIndex = 0;
        expect(check.test(text)).toBe(index >= 0);
        if (index >= 0) expect(findChangeStart(text, check.lastIndex, minDigits)).toBe(index);
      }),
      { numRuns: 400 },
    );
  });
});
