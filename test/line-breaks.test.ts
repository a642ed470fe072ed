import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBreakNormalizer, normalizeLineBreaks } from '../src/line-breaks.js';
import { redact } from '../src/redact/index.js';
import { LINE_BREAKS, chatText, cutAt, rawCuts } from './support/arbitraries.js';
import { countLeaks } from './support/leak-judge.js';
import { findCombinations } from './support/reference.js';

/** Written apart from the module: every break one `\n`, a `\r\n` pair one too. */
function expectedOf(text: string): string {
  let out = '';
  for (let k = 0; k < text.length; k += 1) {
    const ch = text[k]!;
    if (ch === '\r' && text[k + 1] === '\n') continue;
    out += ['\r', '\v', '\f', '\u0085', '\u2028', '\u2029'].includes(ch) ? '\n' : ch;
  }
  return out;
}

/** Text rich in line breaks, `\r\n` pairs and lone `\r` and `\n` included. */
const breakyText = fc
  .array(fc.oneof(fc.constantFrom(...LINE_BREAKS, '98', '76', 'x', ' ', '\r\r', '\n\r'), chatText), { maxLength: 20 })
  .map((parts) => parts.join(''));

describe('normalizeLineBreaks', () => {
  it('writes each line break as one \\n', () => {
    expect(normalizeLineBreaks('98\r76\r54\r32')).toBe('98\n76\n54\n32');
    expect(normalizeLineBreaks('a\r\nb\vc\fd\u0085e\u2028f\u2029g\nh')).toBe('a\nb\nc\nd\ne\nf\ng\nh');
    expect(normalizeLineBreaks('\r\r\n\n\r')).toBe('\n\n\n\n');
    expect(normalizeLineBreaks('\n\r')).toBe('\n\n');
  });

  it('returns text without other breaks as it is', () => {
    const text = 'hei\nto linjer\tog en tab';
    expect(normalizeLineBreaks(text)).toBe(text);
    expect(normalizeLineBreaks('')).toBe('');
  });

  it('agrees with a plain reading on any text', () => {
    fc.assert(
      fc.property(breakyText, (text) => {
        expect(normalizeLineBreaks(text)).toBe(expectedOf(text));
      }),
    );
  });

  it('never changes what redaction finds: the same combinations, before or after', () => {
    fc.assert(
      fc.property(breakyText, (text) => {
        const digitsOf = (value: string): number[][] => findCombinations(value, 3).map((span) => span.digits);
        expect(digitsOf(normalizeLineBreaks(text))).toEqual(digitsOf(text));
      }),
    );
  });

  it('is done before redaction: a deletion can put a \r next to a \n that were two breaks', () => {
    const text = 'a\r0000000\nb';
    expect(redact(normalizeLineBreaks(text)).text).toBe('a\n\nb');
    // Normalised after, the two breaks the user wrote would have become one.
    expect(normalizeLineBreaks(redact(text).text)).toBe('a\nb');
  });

  it('keeps 98\\r76\\r54\\r32 as four short numbers: nothing to delete, and none joined', () => {
    const text = normalizeLineBreaks('98\r76\u202854\u202932');
    expect(text).toBe('98\n76\n54\n32');
    expect(countLeaks(text)).toBe(0);
    expect(countLeaks(text.replaceAll('\n', ''))).toBe(1);
  });
});

describe('LineBreakNormalizer', () => {
  it('joins a \\r at the end of one piece and a \\n at the start of the next into one break', () => {
    const lines = new LineBreakNormalizer();
    expect(lines.write('98\r')).toBe('98\n');
    expect(lines.write('\n76')).toBe('76');
    expect(lines.write('\r')).toBe('\n');
    expect(lines.write('')).toBe('');
    expect(lines.write('\n')).toBe('');
    expect(lines.write('\n')).toBe('\n');
  });

  it('gives the one-shot result at every split point', () => {
    const text = 'a\r\nb\r\r\nc\n\rd\r';
    for (let at = 0; at <= text.length; at += 1) {
      for (let second = at; second <= text.length; second += 1) {
        const lines = new LineBreakNormalizer();
        const pieces = [text.slice(0, at), text.slice(at, second), text.slice(second)];
        expect(pieces.map((piece) => lines.write(piece)).join(''), JSON.stringify(pieces)).toBe(normalizeLineBreaks(text));
      }
    }
  });

  it('gives the one-shot result however the text is cut', () => {
    fc.assert(
      fc.property(breakyText, rawCuts(12), (text, cuts) => {
        const lines = new LineBreakNormalizer();
        expect(cutAt(text, cuts).map((piece) => lines.write(piece)).join('')).toBe(normalizeLineBreaks(text));
      }),
    );
  });

  it('holds nothing back: after each piece, what came out is the one-shot result of all that went in', () => {
    fc.assert(
      fc.property(breakyText, rawCuts(12), (text, cuts) => {
        const lines = new LineBreakNormalizer();
        let read = '';
        let written = '';
        for (const piece of cutAt(text, cuts)) {
          read += piece;
          written += lines.write(piece);
          expect(written).toBe(normalizeLineBreaks(read));
        }
      }),
    );
  });
});
