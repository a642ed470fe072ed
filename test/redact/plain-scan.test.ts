/**
 * The one-shot reader of plain policies against the scanner it stands in for: the same output and
 * the same counts, for any text and any plain policy (the scanner itself is held to the reference
 * by `invariants.property.test.ts` and `redact.test.ts`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlainScan, isPlainPolicy } from '../../src/redact/plain-scan.js';
import { createPolicy } from '../../src/redact/policy.js';
import { RedactionCounts } from '../../src/redact/redaction-counts.js';
import { TextScanner } from '../../src/redact/text-scanner.js';
import { utf16 } from '../../src/redact/utf16-codec.js';
import { chatText, hostileText, policyArb } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';

/** What the plain reader makes of a text, from the finder's first match as `redact()` gives it. */
function plainRedact(text: string, policy: ReturnType<typeof createPolicy>) {
  const counts = new RedactionCounts();
  const finder = utf16.createFinder(policy.minDigits, policy.maxGap);
  finder.begin(text);
  const first = finder.next(0);
  const out = first < 0 ? text : new PlainScan(policy, counts).redact(text, first);
  return { text: out, redactions: counts.redactions, kinds: counts.kinds };
}

function scannerRedact(text: string, policy: ReturnType<typeof createPolicy>) {
  const scanner = new TextScanner(policy);
  const out = scanner.redactWhole(text);
  return { text: out, redactions: scanner.counts.redactions, kinds: scanner.counts.kinds };
}

describe('PlainScan', () => {
  it('deletes each combination, keeps its trailing gap, and counts it by kind', () => {
    const policy = createPolicy({ replacement: '[x]' });
    expect(plainRedact('ring 98 76 54 32 eller 4111 1111 1111 1111, kl 16', policy)).toEqual({
      text: 'ring [x] eller [x], kl 16',
      redactions: 2,
      kinds: { phone: 1, payment_card: 1 },
    });
    expect(plainRedact('สวัสดี ๙๘๗๖๕๔๓๒ ครับ', createPolicy({}))).toEqual({ text: 'สวัสดี  ครับ', redactions: 1, kinds: { phone: 1 } });
    expect(plainRedact('12 34 56    7 89', createPolicy({}))).toEqual({ text: '12 34 56    7 89', redactions: 0, kinds: {} });
  });

  it('property: gives the scanner’s output and counts for any well-formed text and plain policy', () => {
    fc.assert(
      fc.property(fc.oneof(chatText, hostileText.map((text) => text.toWellFormed())), policyArb, (text, options) => {
        const policy = createPolicy(options);
        expect(plainRedact(text, policy)).toEqual(scannerRedact(text, policy));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: leaves no combination the reference finds, for any well-formed text and plain policy', () => {
    fc.assert(
      fc.property(fc.oneof(chatText, hostileText.map((text) => text.toWellFormed())), policyArb, (text, options) => {
        const policy = createPolicy(options);
        const { minDigits, maxGap, replacement } = policy;
        expect(countLeaks(plainRedact(text, policy).text, { minDigits, maxGap, replacement })).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('is used only for policies that keep nothing on purpose', () => {
    expect(isPlainPolicy(createPolicy({ minDigits: 8, replacement: '*' }))).toBe(true);
    expect(isPlainPolicy(createPolicy({ allow: ['98765432'] }))).toBe(false);
    expect(isPlainPolicy(createPolicy({ keep: ['amounts'] }))).toBe(false);
    expect(isPlainPolicy(createPolicy({ keepTimestamps: true }))).toBe(false);
  });
});
