import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownToText } from '../../src/chatbot/markdown-text.js';
import { formattedNumber } from '../support/arbitraries.js';
import { longestCombination } from '../support/reference.js';

describe('markdownToText', () => {
  it('drops emphasis, code marks and link targets, and decodes entities', () => {
    expect(markdownToText('Ring **21 49** 60 00')).toBe('Ring 21 49 60 00');
    expect(markdownToText('Konto `7694`.05.~~20300~~ og [nettbanken](https://bank.example/7694052030)')).toBe('Konto 7694.05.20300 og nettbanken');
    expect(markdownToText('a &amp; b <b>c</b>')).toBe('a & b c');
    expect(markdownToText('# Tittel\n\nlinje en\nlinje to')).toBe('Tittel\n\nlinje en\nlinje to');
  });

  it('keeps every digit of a number wrapped in emphasis, so the redactor sees the number whole (property)', () => {
    fc.assert(
      fc.property(formattedNumber, fc.constantFrom('**', '*', '_', '__', '`', '~~'), (number, mark) => {
        const digits = (text: string) => longestCombination(text, 3);
        const shown = markdownToText(`Nummer: ${mark}${number}${mark} takk`);
        expect(digits(shown)).toBeGreaterThanOrEqual(digits(number));
      }),
      { numRuns: 300 },
    );
  });
});
