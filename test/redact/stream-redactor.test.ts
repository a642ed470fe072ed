import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamRedactor, redact } from '../../src/redact/index.js';
import { chatText, cutAt, rawCuts } from '../support/arbitraries.js';
import { referenceRedact } from '../support/reference.js';

describe('StreamRedactor write/take', () => {
  it('keeps what each write releases until it is taken', () => {
    const redactor = new StreamRedactor();
    redactor.write('ring 98 76');
    expect(redactor.take()).toBe('ring ');
    expect(redactor.take()).toBe('');
    redactor.write(' 54 32 nå');
    redactor.finish();
    expect(redactor.take()).toBe(' nå');
    expect(redactor.kinds).toEqual({ phone: 1 });
  });

  it('property: takes at any points add up to the one-shot output (and the reference’s)', () => {
    fc.assert(
      fc.property(chatText, rawCuts(8), fc.array(fc.boolean(), { maxLength: 9 }), (text, cuts, takes) => {
        const redactor = new StreamRedactor();
        let out = '';
        cutAt(text, cuts).forEach((chunk, index) => {
          redactor.write(chunk);
          if (takes[index] === true) out += redactor.take();
        });
        redactor.finish();
        out += redactor.take();
        expect(out).toBe(redact(text).text);
        expect(out).toBe(referenceRedact(text).text);
      }),
      { numRuns: 300 },
    );
  });
});
