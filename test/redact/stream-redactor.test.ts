import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamRedactor, redact } from '../../src/redact/index.js';
import {
  SURROGATE_HALVES,
  anyScriptDigit,
  chatText,
  cutAt,
  hostileText,
  policyArb,
  quietText,
  rawCuts,
  separatorChar,
} from '../support/arbitraries.js';
import { referenceRedact } from '../support/reference.js';

/** Every property name of a redactor and its prototypes up to Object: what a user can reach. */
function surfaceOf(value: object): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(value) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') names.add(name);
  }
  for (const name of Object.keys(value)) names.add(name);
  return [...names].sort();
}

describe('StreamRedactor', () => {
  it('has what the README documents and nothing of the scanner it wraps', () => {
    const redactor = new StreamRedactor();
    expect(surfaceOf(redactor)).toEqual(['allowed', 'end', 'heldLength', 'kept', 'keptClasses', 'kinds', 'maxHeldLength', 'push', 'redactions']);
    // @ts-expect-error -- the one-shot path is the engine's own
    expect(redactor.redactWhole).toBeUndefined();
    // @ts-expect-error -- counts are reset by nobody outside the engine
    expect(redactor.resetCounts).toBeUndefined();
    // @ts-expect-error -- a date-time's look-ahead is part of heldLength
    expect(redactor.pendingLength).toBeUndefined();
  });

  it('ends with a last chunk: what was held and the chunk come out in one piece', () => {
    const redactor = new StreamRedactor();
    expect(redactor.push('ring 98 76')).toBe('ring ');
    expect(redactor.push('')).toBe('');
    expect(redactor.end(' 54 32 nå')).toBe(' nå');
    expect(redactor.kinds).toEqual({ phone: 1 });
    expect(redactor.end('\ud835')).toBe('\ufffd'); // a lone surrogate at the very end, well-formed
  });

  it('property: outputs taken at any points, the last chunk through end, add up to the one-shot output (and the reference’s)', () => {
    fc.assert(
      fc.property(chatText, rawCuts(8), fc.boolean(), (text, cuts, endWithChunk) => {
        const redactor = new StreamRedactor();
        const chunks = cutAt(text, cuts);
        const last = endWithChunk ? (chunks.pop() ?? '') : '';
        let out = '';
        for (const chunk of chunks) out += redactor.push(chunk);
        out += redactor.end(last);
        expect(out).toBe(redact(text).text);
        expect(out).toBe(referenceRedact(text).text);
        expect(redactor.redactions).toBe(redact(text).redactions);
      }),
      { numRuns: 300 },
    );
  });

  /**
   * Chunks that the pass-over may return as they are (letters, emoji, spaces, a short number that
   * ends inside the chunk) between chunks that it must not: digits of every script, separators
   * that join a number across chunks, halves of surrogate pairs, hostile text.
   */
  const streamedChunk = fc.oneof(
    { weight: 4, arbitrary: quietText },
    { weight: 2, arbitrary: anyScriptDigit },
    { weight: 2, arbitrary: fc.array(anyScriptDigit, { minLength: 1, maxLength: 6 }).map((digits) => digits.join('')) },
    { weight: 2, arbitrary: separatorChar },
    { weight: 2, arbitrary: fc.constantFrom(...SURROGATE_HALVES) },
    { weight: 1, arbitrary: fc.tuple(quietText, anyScriptDigit).map(([quiet, digit]) => quiet + digit) },
    { weight: 1, arbitrary: fc.tuple(anyScriptDigit, quietText).map(([digit, quiet]) => digit + quiet) },
    { weight: 2, arbitrary: hostileText },
  );

  it('property: a chunk passed over as it is never hides a digit, a joining separator or half a pair; streamed, the reference’s output and redact()’s counts', () => {
    fc.assert(
      fc.property(fc.array(streamedChunk, { maxLength: 24 }), fc.option(policyArb, { nil: undefined }), (chunks, policy) => {
        const redactor = new StreamRedactor(policy);
        const text = chunks.join('');
        let out = '';
        for (const chunk of chunks) {
          const nothingHeld = redactor.heldLength === 0;
          const pushed = redactor.push(chunk);
          out += pushed;
          if (nothingHeld && pushed === chunk && redactor.heldLength === 0) {
            // Passed as it is: the chunk is its own redaction and ends every combination in it.
            expect(referenceRedact(chunk, policy).text).toBe(chunk);
          }
          expect(redactor.heldLength).toBeLessThanOrEqual(redactor.maxHeldLength);
        }
        out += redactor.end();
        expect(out).toBe(referenceRedact(text, policy).text);
        const oneShot = redact(text, policy);
        expect(out).toBe(oneShot.text);
        expect(redactor.redactions).toBe(oneShot.redactions);
        expect(redactor.kinds).toEqual(oneShot.kinds);
      }),
      { numRuns: 400 },
    );
  });
});
