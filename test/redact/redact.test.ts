import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamRedactor, createPolicy, redact } from '../../src/redact/index.js';
import { chatText, digitFreeText, hostileText, policyArb } from '../support/arbitraries.js';
import { referenceRedact } from '../support/reference.js';

/** Text a message may be: chat with numbers, digit-free chat, and hostile text (lone surrogates, every script). */
const anyMessage = fc.oneof(chatText, digitFreeText, hostileText);

/** What a fresh streaming redactor makes of `text` in one push: the full path, without the one-shot check. */
function streamed(text: string, policy: ReturnType<typeof createPolicy>) {
  const redactor = new StreamRedactor(policy);
  const out = redactor.push(text) + redactor.end();
  const { redactions, kinds, allowed, kept, keptClasses } = redactor;
  return { text: out, redactions, kinds, allowed, kept, keptClasses };
}

describe('redact', () => {
  it('property: gives the reference output and counts, with or without the one-shot check passing', () => {
    fc.assert(
      fc.property(anyMessage, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const result = redact(text, policy);
        const expected = referenceRedact(text, policy);
        expect(result.text).toBe(expected.text);
        expect(result.redactions).toBe(expected.spans.length);
        expect(result.text.isWellFormed()).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('property: a result is the streaming redactor’s result, key for key and in the same order', () => {
    fc.assert(
      fc.property(anyMessage, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const result = redact(text, policy);
        expect(Object.keys(result)).toEqual(['text', 'redactions', 'kinds', 'allowed', 'kept', 'keptClasses']);
        expect(result).toEqual(streamed(text, policy));
      }),
      { numRuns: 400 },
    );
  });

  it('returns text with nothing to delete and no surrogate as it is, nothing counted', () => {
    const text = 'Hei, jeg har 3 spørsmål om regningen fra 12.03 — kan dere ringe?';
    const result = redact(text);
    expect(result).toEqual({ text, redactions: 0, kinds: {}, allowed: 0, kept: 0, keptClasses: {} });
    expect(Object.isFrozen(result.kinds) && Object.isFrozen(result.keptClasses)).toBe(true);
  });

  it('still makes text with a lone surrogate and no digit well-formed', () => {
    expect(redact('a\ud83db\ude00').text).toBe('a\ufffdb\ufffd'); // halves of 😀, no digit candidates
    expect(redact('emoji 😀 stays').text).toBe('emoji 😀 stays');
  });

  it('goes on from where the check first matched: a surrogate, a lone one, or a number', () => {
    expect(redact('😀 ring 98 76 54 32 😀')).toMatchObject({ text: '😀 ring  😀', redactions: 1, kinds: { phone: 1 } });
    expect(redact('\ud83d ring 98765432 \ude00').text).toBe('\ufffd ring  \ufffd');
    expect(redact('ring 98765432 \ud835').text).toBe('ring  \ufffd');
    expect(redact('kl 12 😀 og 3 4 5 6 7 8 9').text).toBe('kl 12 😀 og ');
    expect(redact('𝟏𝟐𝟑𝟒𝟓𝟔𝟕 ok')).toMatchObject({ text: ' ok', redactions: 1 });
    // The check's first alternative reads ９ (a digit past Latin-1) as a gap: its match of
    // '11９😀1' ends on the last 1, but the combination to delete is the 11９ it began with.
    expect(redact('11９😀1', createPolicy({ minDigits: 3, maxGap: 2 })).text).toBe('😀1');
    expect(redact('12 😀 34 😀 56')).toEqual({ text: '12 😀 34 😀 56', redactions: 0, kinds: {}, allowed: 0, kept: 0, keptClasses: {} });
  });

  it('counts a deletion after a message that passed the check', () => {
    expect(redact('no number here').redactions).toBe(0);
    expect(redact('ring 98 76 54 32').redactions).toBe(1);
    expect(redact('ring 98 76 54 32').kinds).toEqual({ phone: 1 });
    expect(redact('no number here').kinds).toEqual({});
  });

  it('keeps and counts numbers on purpose after the check, and counts nothing kept before it', () => {
    const policy = createPolicy({ allow: ['7694.05.20300'], keepTimestamps: true });
    expect(redact('Betal til 7694.05.20300', policy)).toMatchObject({ text: 'Betal til 7694.05.20300', redactions: 0, allowed: 1 });
    expect(redact('at 2024-03-05 10:11:12 ok', policy)).toMatchObject({ text: 'at 2024-03-05 10:11:12 ok', allowed: 1 });
    expect(redact('Betal til konto', policy)).toMatchObject({ redactions: 0, allowed: 0, kept: 0 });
  });

  it('checks each policy by its own minDigits and maxGap', () => {
    const short = createPolicy({ minDigits: 3, maxGap: 0 });
    expect(redact('room 123 and 4 5 6', short).text).toBe('room  and 4 5 6');
    expect(redact('room 123 and 4 5 6').text).toBe('room 123 and 4 5 6');
  });
});
