import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HtmlTextStream } from '../../src/chatbot/html-text-stream.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';
import { chatText, cutAt, formattedNumber, rawCuts } from '../support/arbitraries.js';

/** The text of `chunks` written one by one, as each write and the end released it. */
function reduce(chunks: readonly string[]): string[] {
  const stream = new HtmlTextStream();
  const released = chunks.map((chunk) => stream.write(chunk));
  released.push(stream.end());
  return released;
}

const whole = (chunks: readonly string[]): string => reduce(chunks).join('');

describe('HtmlTextStream', () => {
  it('makes one number of digits split across tags, entities and writes', () => {
    expect(reduce(['Ring 21 <b>4', '9</b> 60&nb', 'sp;00 nå'])).toEqual(['Ring 21 4', '9', ' 60\u00a000 nå', '']);
    expect(referenceRedact(whole(['Ring 21 <b>4', '9</b> 60&nb', 'sp;00 nå'])).text).toBe('Ring  nå');
  });

  it('decodes named, decimal and hexadecimal entities, also when they are split', () => {
    expect(whole(['Konto &#55;', '&#x36;94.05&period;20300 &amp; mer'])).toBe('Konto 7694.05.20300 & mer');
  });

  it('passes plain text through untouched, line breaks, spaces, lone < and & included', () => {
    const text = 'Hei!\n\n  To  mellomrom\r\n5 < 6 & AT&T, 3>2 — og 😀';
    expect(whole([text])).toBe(text);
  });

  it('keeps a tag that is no HTML element as it was written: Markdown autolinks and mail addresses', () => {
    const text = 'Se <https://example.no/hjelp?side=to> eller skriv til <kundeservice@example.no>.';
    expect(whole([text])).toBe(text);
    expect(whole(['Se <https://exa', 'mple.no/a> nå'])).toBe('Se <https://example.no/a> nå');
  });

  it('drops the content of script, style, title and a reasoning model’s think block', () => {
    expect(whole(['<think>Brukeren vil ha 12345678</think>Svar', '<script>alert(1)</script><style>p{}</style><title>T</title> her'])).toBe('Svar her');
  });

  it('puts block elements on lines of their own and spaces table cells apart', () => {
    expect(whole(['<p>Første</p><p>andre<br>linje</p><ul><li>a</li><li>b</li></ul>'])).toBe('Første\nandre\nlinje\na\nb\n\n');
    expect(whole(['<table><tr><td>Navn</td><td>Ola</td></tr></table>'])).toBe('Navn Ola \n\n');
  });

  it('holds a tag back until it is complete, and drops one the reply never finished', () => {
    expect(reduce(['Hei <str', 'ong>der</strong>'])).toEqual(['Hei ', 'der', '']);
    expect(reduce(['Slutt <b class="x'])).toEqual(['Slutt ', '']);
    // A stray `</ ` opens a bogus comment: nothing of it is text, however the reply was split.
    expect(whole(['Ja </ hei'])).toBe('Ja ');
    expect(whole(['Ja <', '/ hei'])).toBe('Ja ');
    expect(whole(['Ja </', ' hei <'])).toBe('Ja ');
    expect(whole(['Slutt <'])).toBe('Slutt <');
  });

  it('gives the same text however the reply is split (property)', () => {
    // Whole tags, and the pieces of tags, comments, declarations and entities that a reply may stop in.
    const markup = fc.constantFrom(
      '<b>', '</b>', '<p>', '</p>', '<br/>', '&nbsp;', '&#50;', '&amp;', '<https://example.no>', '<think>x</think>', '<script>', '</script>',
      '<title>', '</title', '<', '&', '</', '</ ', '<!--', '-->', '<!', '<?', '>', '<x', '"', "'", '=', '&#', '&#x', ';',
    );
    const reply = fc.array(fc.oneof(chatText, formattedNumber, markup, markup), { maxLength: 14 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(reply, rawCuts(12), (text, cuts) => {
        expect(whole(cutAt(text, cuts))).toBe(whole([text]));
      }),
      { numRuns: 1_000 },
    );
  });

  it('changes nothing in text without < and & (property)', () => {
    fc.assert(
      fc.property(chatText.filter((text) => !/[<&]/.test(text)), rawCuts(6), (text, cuts) => {
        expect(whole(cutAt(text, cuts))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no sensitive combination once redacted, whatever tags split a number (property)', () => {
    const tags = fc.constantFrom('<b>', '</b>', '<i>', '</i>', '<span class="n">', '</span>', '&nbsp;', '&#8203;', '');
    const splitNumber = fc.tuple(formattedNumber, fc.array(fc.tuple(fc.nat(), tags), { maxLength: 4 })).map(([number, inserts]) => {
      const points = Array.from(number);
      for (const [at, tag] of inserts) points.splice(at % (points.length + 1), 0, tag);
      return points.join('');
    });
    fc.assert(
      fc.property(splitNumber, rawCuts(6), (html, cuts) => {
        const shown = referenceRedact(whole(cutAt(html, cuts))).text;
        expect(countLeaks(shown)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
