/**
 * The UTF-16 codec's change check and where its first match began (`findChangeStart`), against
 * the match that `exec` reports; where a text first needs the scan (`findChange`), against the
 * reference redaction of the tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPolicy, redact } from '../../src/redact/index.js';
import { createChangeCheck, findChange, findChangeStart } from '../../src/redact/utf16-codec.js';
import { LINE_BREAKS, SURROGATE_HALVES, anyScriptDigit, chatText, hostileText, policyArb, separatorChar } from '../support/arbitraries.js';
import { referenceRedact } from '../support/reference.js';

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

/**
 * Astral code points of every class, each high surrogate shared by an emoji and something that
 * is not one: U+1FBF0–9 (segmented digits, Nd) sit under D83E with 🤔 and 🧾; U+1D7CE (a
 * mathematical digit) and U+1D165 (a combining mark: a separator) under D834/D835; tags and
 * variation selectors (separators) under DB40.
 */
const ASTRAL = ['😀', '🤔', '🧾', '🏳', '\u{1fbf0}', '\u{1fbf9}', '\u{1d7ce}', '\u{1d7d9}', '\u{104a3}', '\u{1d165}', '\u{e0020}', '\u{e0100}', '\u{1d400}'] as const;

/** Text where surrogate pairs, lone halves, digits of every script and separators meet. */
const astralText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...ASTRAL) },
      { weight: 1, arbitrary: fc.constantFrom(...SURROGATE_HALVES) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }).map((n) => '9876543210'.slice(0, n)) },
      { weight: 2, arbitrary: anyScriptDigit },
      { weight: 3, arbitrary: separatorChar },
      { weight: 1, arbitrary: fc.constantFrom(...LINE_BREAKS, 'a', 'ok ', 'ب', '\ufffd') },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

/** `findChange` as `redact()` calls it: after the check's first `test`. */
function findChangeIn(text: string, check: RegExp, minDigits: number): number {
  check.lastIndex = 0;
  return check.test(text) ? findChange(text, check, minDigits) : -1;
}

describe('findChange', () => {
  it('passes over emoji and stops at a digit, a separator pair or a lone surrogate', () => {
    const check = createChangeCheck(7, 3, 'g');
    expect(findChangeIn('ok 😀 takk 🤔🧾', check, 7)).toBe(-1);
    expect(findChangeIn('😀 ring 98 76 54 32', check, 7)).toBe(8);
    expect(findChangeIn('🤔 \u{1fbf0}', check, 7)).toBe(3);
    expect(findChangeIn('😀 \u{e0020}', check, 7)).toBe(3);
    expect(findChangeIn('😀 \ud83d x', check, 7)).toBe(3);
    expect(findChangeIn('😀\ude00', check, 7)).toBe(2);
  });

  it('property: text it passes is well-formed and its own reference redaction; any text comes out as the reference', () => {
    const checks = new Map<string, RegExp>();
    fc.assert(
      fc.property(fc.oneof(astralText, hostileText, chatText), policyArb, (text, options) => {
        const key = `${options.minDigits}/${options.maxGap}`;
        const check = checks.get(key) ?? createChangeCheck(options.minDigits, options.maxGap, 'g');
        checks.set(key, check);
        const policy = createPolicy(options);
        const expected = referenceRedact(text, policy);
        if (findChangeIn(text, check, options.minDigits) < 0) {
          expect(text.isWellFormed()).toBe(true);
          expect(expected.text).toBe(text);
        }
        const result = redact(text, policy);
        expect(result.text).toBe(expected.text);
        expect(result.redactions).toBe(expected.spans.length);
      }),
      { numRuns: 1500 },
    );
  });
});
