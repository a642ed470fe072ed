import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkdownMarks } from '../../src/chatbot/markdown-marks.js';
import { cutAt, formattedNumber, rawCuts } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';

function reduce(chunks: readonly string[]): string {
  const marks = new MarkdownMarks();
  return chunks.map((chunk) => marks.write(chunk)).join('') + marks.end();
}

describe('MarkdownMarks', () => {
  it('drops emphasis and code marks that touch a digit, and nothing else', () => {
    expect(reduce(['Ring 21 **49** 60 00'])).toBe('Ring 21 49 60 00');
    expect(reduce(['`98765432` eller _22 33_ 44 55 eller ~~12~~345678'])).toBe('98765432 eller 22 33 44 55 eller 12345678');
    expect(reduce(['**Viktig:** regn ut 5 * 3, se *fotnote* og `kode`'])).toBe('**Viktig:** regn ut 5 * 3, se *fotnote* og `kode`');
    expect(reduce(['slutt på **12**'])).toBe('slutt på 12');
    expect(reduce(['slutt **'])).toBe('slutt **');
    expect(reduce(['en strek: ' + '*'.repeat(40) + ' 12'])).toBe('en strek: ' + '*'.repeat(40) + ' 12');
  });

  it('property: the same text for every chunking', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 *_~`]{0,40}$/), rawCuts(6), (text, cuts) => {
        expect(reduce(cutAt(text, cuts))).toBe(reduce([text]));
      }),
      { numRuns: 500 },
    );
  });

  it('property: marks written against a number’s digits change nothing the policy sees', () => {
    const mark = fc.constantFrom('**', '*', '_', '__', '`', '~~', '');
    fc.assert(
      fc.property(formattedNumber, fc.array(mark, { maxLength: 40 }), rawCuts(5), (number, marks, cuts) => {
        const wrapped = Array.from(number)
          .map((char, index) => (/\p{Nd}/u.test(char) ? (marks[index] ?? '') + char : char))
          .join('');
        const plain = `Tlf ${number} nå`;
        expect(reduce(cutAt(`Tlf ${wrapped}${marks.at(-1) ?? ''} nå`, cuts))).toBe(plain);
        expect(countLeaks(reduce([`Tlf ${wrapped} nå`]))).toBe(countLeaks(plain));
      }),
      { numRuns: 300 },
    );
  });
});
