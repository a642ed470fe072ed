import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamRedactor, redact } from '../../src/redact/index.js';
import { chatText, cutAt, rawCuts } from '../support/arbitraries.js';
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
});
