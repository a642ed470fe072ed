import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/chatbot/html-text.js';
import { formattedNumber } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';

describe('htmlToText', () => {
  it('gives the text a reader sees: entities decoded, tags gone, no markup left', () => {
    expect(htmlToText('<p>Ring 21 <b>49</b> 60&nbsp;00</p>')).toBe('Ring 21 49 60\u00a000');
    expect(htmlToText('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
    expect(htmlToText('<h2>Faktura</h2><ul><li>én</li><li>to</li></ul>')).toBe('Faktura\n\n * én\n * to');
    expect(htmlToText('<a href="https://bank.example/?konto=76940520300">Se kontoen</a>')).toBe('Se kontoen');
    expect(htmlToText('<script>var kid = "12345678901";</script><style>p{}</style><img src="x.png" alt="kvittering">ok')).toBe('ok');
  });

  it('never wraps a line, so a long number is never cut in two at a line break', () => {
    const text = htmlToText(`<p>${'ord '.repeat(40)}9876 5432 1098 og mer ${'tekst '.repeat(40)}</p>`);
    expect(text).not.toContain('\n');
    expect(referenceRedact(text).spans).toHaveLength(1);
  });

  it('property: a number split across inline tags and entities is still one number after conversion', () => {
    const inline = fc.constantFrom('<b>', '</b>', '<span>', '</span>', '<em>', '</em>', '');
    fc.assert(
      fc.property(formattedNumber, fc.array(inline, { maxLength: 30 }), (number, tags) => {
        const chars = Array.from(number);
        const html = chars.map((ch, k) => (ch === ' ' ? '&#32;' : ch === '\u00a0' ? '&nbsp;' : ch) + (tags[k] ?? '')).join('');
        const text = htmlToText(`<p>Tlf ${html} takk</p>`);
        expect(countLeaks(text)).toBeGreaterThanOrEqual(countLeaks(`Tlf ${number} takk`) > 0 ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
