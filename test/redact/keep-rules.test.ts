/**
 * The shared "keep exactly what is named" mechanism, through every way of redacting: allowed
 * numbers and date-times are kept only when named exactly, the one-shot, string-stream and
 * byte-stream paths agree for every chunking, and the hold-back stays within its bound. Judged by
 * the independent reference (`test/support/reference.ts`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRedactor, StreamRedactor, createPolicy, redact, type PolicyOptions } from '../../src/redact/index.js';
import { chatText, cutAt, denseText, policyArb, rawCuts } from '../support/arbitraries.js';
import { expectChunkingAgrees } from '../support/chunking.js';
import { allowListFor, logText } from '../support/keep-arbitraries.js';
import { referenceRedact, unkeptCombinations } from '../support/reference.js';

const TIME_LIMIT = { interruptAfterTimeLimit: 8_000 };

/** Text, and a policy whose allow-list is made from the text's own numbers. */
const textAndPolicy = fc
  .tuple(fc.oneof(chatText, logText, denseText), policyArb, fc.boolean())
  .chain(([text, base, keepTimestamps]) =>
    allowListFor(text, base.maxGap).map((allow) => ({ text, options: { ...base, allow, keepTimestamps } as PolicyOptions })),
  );

/** Push `text` one unit at a time as a string and one byte at a time as UTF-8: nothing held passes the bound. */
function expectHeldWithinBound(text: string, options: PolicyOptions): void {
  const stream = new StreamRedactor(options);
  const bytes = new ByteRedactor(options);
  for (const unit of cutAt(text, Array.from({ length: text.length }, (_, k) => k))) {
    stream.push(unit);
    expect(stream.heldLength).toBeLessThanOrEqual(stream.maxHeldLength);
  }
  for (const byte of Buffer.from(text.toWellFormed(), 'utf8')) {
    bytes.push(Buffer.from([byte]));
    expect(bytes.heldLength).toBeLessThanOrEqual(bytes.maxHeldLength);
  }
}

describe('keeping exactly what is named', () => {
  it('agrees with the reference: output, deletions and kept numbers', () => {
    fc.assert(
      fc.property(textAndPolicy, ({ text, options }) => {
        const policy = createPolicy(options);
        const expected = referenceRedact(text, { ...policy, allow: options.allow });
        const result = redact(text, policy);
        expect(result.text).toBe(expected.text);
        expect(result.redactions).toBe(expected.spans.length);
        expect(result.allowed).toBe(expected.kept.length);
      }),
      { numRuns: 1500, ...TIME_LIMIT },
    );
  });

  it('1. no leak: the output holds no sensitive combination that is not kept on purpose', () => {
    fc.assert(
      fc.property(textAndPolicy, ({ text, options }) => {
        const policy = createPolicy(options);
        const out = redact(text, policy).text;
        expect(unkeptCombinations(out, { ...policy, allow: options.allow })).toEqual([]);
      }),
      { numRuns: 800, ...TIME_LIMIT },
    );
  });

  it('5. chunking does not matter: strings and bytes split anywhere equal the one-shot result', () => {
    fc.assert(
      fc.property(textAndPolicy, rawCuts(8), ({ text, options }, cuts) => {
        expectChunkingAgrees(text, createPolicy(options), cuts, (counted) => [counted.redactions, counted.allowed]);
      }),
      { numRuns: 1000, ...TIME_LIMIT },
    );
  });

  it('6. bounded memory: what is held never passes maxHeldLength, one unit at a time', () => {
    fc.assert(
      fc.property(textAndPolicy, ({ text, options }) => expectHeldWithinBound(text, options)),
      { numRuns: 200, ...TIME_LIMIT },
    );
  });

  it('6. bounded memory: a date-time look-ahead that ends inside a 4-byte character holds no more than its bound', () => {
    // Found by CI (seed 160583751): a combination one digit short of deletion, the look-ahead
    // behind it ending inside a 4-byte character, and the next character's first 3 bytes split
    // off — 107 bytes held of 105, because the release point was rounded down to a code point.
    const text = '𝟎'.repeat(16) + '\n－ ۹۲๘৭४𝟏𐒧𐒩𝟲৮๑\u{e0020}৩๒٤𐒩6５9𝟰 ';
    const options = { minDigits: 8, maxGap: 0, replacement: '***', allow: ['324965946', '0487888073', '6155646869401'], keepTimestamps: true };
    expectHeldWithinBound(text, options);
    expect(new ByteRedactor(options).maxHeldLength).toBe(105);
  });
});
