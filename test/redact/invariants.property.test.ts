import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamRedactor, createPolicy, redact } from '../../src/redact/index.js';
import { chatText, cutAt, denseText, digitFreeText, formattedNumber, policyArb, rawCuts, streamThrough } from '../support/arbitraries.js';
import { DEFAULTS, isSeparatorChar, longestCombination, referenceRedact } from '../support/reference.js';

const RUNS = { numRuns: 400 };

describe('redaction invariants (one-shot)', () => {
  it('agrees with the reference reading of the policy', () => {
    fc.assert(
      fc.property(chatText, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const expected = referenceRedact(text, policy);
        const result = redact(text, policy);
        expect(result.text).toBe(expected.text);
        expect(result.redactions).toBe(expected.spans.length);
      }),
      RUNS,
    );
  });

  it('agrees with the reference on dense mixes of digits, separators and scripts, streamed too', () => {
    fc.assert(
      fc.property(denseText, policyArb, rawCuts(6), (text, options, cuts) => {
        const policy = createPolicy(options);
        const expected = referenceRedact(text, policy).text;
        expect(redact(text, policy).text).toBe(expected);
        expect(streamThrough(new StreamRedactor(policy), cutAt(text, cuts))).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('1. no leak: no combination of minDigits or more digits survives', () => {
    fc.assert(
      fc.property(chatText, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const out = redact(text, policy).text;
        expect(longestCombination(out, policy.maxGap)).toBeLessThan(policy.minDigits);
      }),
      RUNS,
    );
  });

  it('1. no leak: a formatted number of 7+ digits never survives in any context', () => {
    fc.assert(
      fc.property(chatText, formattedNumber, chatText, (before, number, after) => {
        const out = redact(`${before} ${number} ${after}`).text;
        expect(longestCombination(out, DEFAULTS.maxGap)).toBeLessThan(DEFAULTS.minDigits);
      }),
      RUNS,
    );
  });

  it('2. no false positive: text without a sensitive combination comes back identical', () => {
    fc.assert(
      fc.property(digitFreeText, policyArb, (text, options) => {
        const result = redact(text, options);
        expect(result.text).toBe(text);
        expect(result.redactions).toBe(0);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(chatText, (text) => {
        fc.pre(longestCombination(text, DEFAULTS.maxGap) < DEFAULTS.minDigits);
        expect(redact(text).text).toBe(text);
      }),
      RUNS,
    );
  });

  it('3. idempotent: redacting the output again changes nothing', () => {
    fc.assert(
      fc.property(chatText, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const once = redact(text, policy);
        const twice = redact(once.text, policy);
        expect(twice.text).toBe(once.text);
        expect(twice.redactions).toBe(0);
      }),
      RUNS,
    );
  });

  it('4. only deletes: output is the input with disjoint digit-bounded spans replaced', () => {
    fc.assert(
      fc.property(chatText, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const { spans } = referenceRedact(text, policy);
        // spans are disjoint, ordered, start and end on a digit
        let previousEnd = 0;
        let rebuilt = '';
        for (const span of spans) {
          expect(span.start).toBeGreaterThanOrEqual(previousEnd);
          expect(String.fromCodePoint(text.codePointAt(span.start)!)).toMatch(/^\p{Nd}$/u);
          const last = text.slice(span.start, span.end);
          expect(Array.from(last).at(-1)).toMatch(/^\p{Nd}$/u);
          rebuilt += text.slice(previousEnd, span.start) + policy.replacement;
          previousEnd = span.end;
        }
        rebuilt += text.slice(previousEnd);
        expect(redact(text, policy).text).toBe(rebuilt);
      }),
      RUNS,
    );
  });

  it('counts by kind add up to the number of deletions', () => {
    fc.assert(
      fc.property(chatText, (text) => {
        const result = redact(text);
        const total = Object.values(result.kinds).reduce((a, b) => a + b, 0);
        expect(total).toBe(result.redactions);
      }),
      RUNS,
    );
  });
});

describe('redaction invariants (streaming)', () => {
  it('5. chunking does not matter: any split, including inside surrogate pairs', () => {
    fc.assert(
      fc.property(
        chatText,
        policyArb,
        rawCuts(12),
        (text, options, cuts) => {
          const policy = createPolicy(options);
          const redactor = new StreamRedactor(policy);
          const out = streamThrough(redactor, cutAt(text, cuts));
          const oneShot = redact(text, policy);
          expect(out).toBe(oneShot.text);
          expect(redactor.redactions).toBe(oneShot.redactions);
          expect(redactor.kinds).toEqual(oneShot.kinds);
        },
      ),
      RUNS,
    );
  });

  it('5. chunking does not matter: one code unit at a time', () => {
    fc.assert(
      fc.property(chatText, policyArb, (text, options) => {
        const redactor = new StreamRedactor(options);
        let out = '';
        for (let i = 0; i < text.length; i++) out += redactor.push(text[i]!);
        out += redactor.end();
        expect(out).toBe(redact(text, options).text);
      }),
      RUNS,
    );
  });

  it('6. bounded memory: hold-back never exceeds the policy bound, whatever the input', () => {
    const digitsAndGaps = fc
      .array(fc.oneof(formattedNumber, fc.constantFrom(' ', '  ', '.', '\u200b', '\u{1d7ce}')), {
        maxLength: 60,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(chatText, digitsAndGaps), policyArb, (text, options) => {
        const redactor = new StreamRedactor(options);
        for (let i = 0; i < text.length; i++) {
          redactor.push(text[i]!);
          expect(redactor.heldLength).toBeLessThanOrEqual(redactor.maxHeldLength);
        }
      }),
      RUNS,
    );
    // For the defaults the bound is a few dozen code units, far under 1 KiB.
    expect(new StreamRedactor().maxHeldLength * 2).toBeLessThan(1024);
    // Even a megabyte of digits is not held: once sensitive, only the trailing gap is.
    const redactor = new StreamRedactor();
    const out = redactor.push('1 '.repeat(500_000));
    expect(out).toBe('');
    expect(redactor.heldLength).toBe(1);
    expect(redactor.end()).toBe(' ');
  });

  it('7. prompt emission: only the pending combination and its gap are held back', () => {
    fc.assert(
      fc.property(chatText, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const redactor = new StreamRedactor(policy);
        let emitted = '';
        for (let i = 0; i < text.length; i++) {
          emitted += redactor.push(text[i]!);
          const seen = text.slice(0, i + 1);
          // What was emitted plus what end() would give is the redaction of what was seen ...
          const probe = new StreamRedactor(policy);
          const probeOut = probe.push(seen);
          expect(probeOut).toBe(emitted);
          expect(probeOut + probe.end()).toBe(redact(seen, policy).text);
          // ... and what is held is exactly the open combination's pending text.
          expect(redactor.heldLength).toBe(expectedHeld(seen, policy));
        }
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * Code units a prompt redactor must hold after seeing `seen`: a trailing high surrogate, plus,
 * when the text ends in an open combination (a digit followed by at most maxGap separators),
 * that combination from its first digit if it is still short, or only its trailing gap if it is
 * already sensitive.
 */
function expectedHeld(seen: string, policy: { minDigits: number; maxGap: number }): number {
  let text = seen;
  let held = 0;
  const lastUnit = text.charCodeAt(text.length - 1);
  if (lastUnit >= 0xd800 && lastUnit <= 0xdbff) {
    text = text.slice(0, -1);
    held = 1;
  }
  const chars = Array.from(text);
  let k = chars.length - 1;
  let gapUnits = 0;
  let gap = 0;
  while (k >= 0 && gap <= policy.maxGap && !/^\p{Nd}$/u.test(chars[k]!)) {
    if (!isSeparatorChar(chars[k]!)) return held;
    gap++;
    gapUnits += chars[k]!.length;
    k--;
  }
  if (k < 0 || gap > policy.maxGap) return held;
  // the open combination: walk back to its first digit
  let digits = 0;
  let units = gapUnits;
  let innerGap = 0;
  let innerUnits = 0;
  for (let j = k; j >= 0; j--) {
    const ch = chars[j]!;
    if (/^\p{Nd}$/u.test(ch)) {
      digits++;
      units += innerUnits + ch.length;
      innerGap = 0;
      innerUnits = 0;
    } else if (isSeparatorChar(ch) && innerGap < policy.maxGap) {
      innerGap++;
      innerUnits += ch.length;
    } else {
      break;
    }
  }
  return held + (digits >= policy.minDigits ? gapUnits : units);
}
