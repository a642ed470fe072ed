/**
 * The WebAssembly byte finder against the regex finder it replaced (`support/byte-finder-oracle.ts`):
 * at every offset of any bytes, for any policy and any window size, both name the same
 * next candidate. Every skip of the finder is then exactly as safe as the regex's was, and the
 * scanner's own properties (byte-redactor, streams, invariants) run on top of it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createByteFinder } from '../../src/redact/byte-finder.js';
import { chatText, denseText, policyArb } from '../support/arbitraries.js';
import { oracleRegex, regexNext } from '../support/byte-finder-oracle.js';

/** Bytes that make candidates likely: digits of every script, separators, emoji, broken sequences. */
const bytesArb = fc.oneof(
  fc.oneof(chatText, denseText).map((text) => Buffer.from(text.toWellFormed(), 'utf8')),
  fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes)),
  fc
    .array(fc.constantFrom('1', '2', ' ', '.', '\u200b', '٣', '𝟒', '😀', 'æ', '\u00a0', 'x', '\n'), { maxLength: 80 })
    .map((parts) => Buffer.from(parts.join(''), 'utf8')),
  // Runs of digits with gaps of every length around maxGap: where A's bound decides.
  fc
    .array(fc.tuple(fc.constantFrom('1', '7', '٣'), fc.array(fc.constantFrom(' ', '-', '\u200b', 'æ', '😀', '\t'), { maxLength: 5 })), {
      maxLength: 12,
    })
    .map((runs) => Buffer.from(runs.map(([digit, gap]) => digit + gap.join('')).join(''), 'utf8')),
);

describe('createByteFinder', () => {
  it('property: names the regex finder’s next candidate from every offset, for any policy and window', () => {
    fc.assert(
      fc.property(bytesArb, policyArb, fc.integer({ min: 1, max: 64 }), (bytes, policy, windowBytes) => {
        const minDigits = policy.minDigits ?? 7;
        const maxGap = policy.maxGap ?? 3;
        const text = bytes.toString('latin1');
        const regex = oracleRegex(minDigits, maxGap);
        const finder = createByteFinder(minDigits, maxGap, windowBytes);
        finder.begin(text);
        for (let from = 0; from <= text.length; from++) {
          expect(finder.next(from), `from ${from}`).toBe(regexNext(regex, text, from));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('finds a candidate in a text far longer than its window, across every window boundary', () => {
    const filler = 'tekst æøå 😀 12 34 '.repeat(2000);
    const text = Buffer.from(`${filler}tlf 98 76 54 32 ${filler}٩١٢٣٤٥٦٧`, 'utf8').toString('latin1');
    const regex = oracleRegex(7, 3);
    const found: number[] = [];
    const finder = createByteFinder(7, 3, 1000);
    finder.begin(text);
    for (let at = finder.next(0); at >= 0; at = finder.next(at + 1)) found.push(at);
    const expected: number[] = [];
    for (let at = regexNext(regex, text, 0); at >= 0; at = regexNext(regex, text, at + 1)) expected.push(at);
    expect(found).toEqual(expected);
    expect(found[0]).toBe(text.indexOf('98 76'));
    expect(found).toContain(text.indexOf(Buffer.from('٩').toString('latin1')));
  });

  it('keeps each finder’s text apart when finders take turns with the one module', () => {
    const first = createByteFinder(7, 3);
    const second = createByteFinder(2, 0);
    const a = 'ingen tall her, så 98 76 54 32';
    const b = 'x 12 y 34';
    first.begin(a);
    second.begin(b);
    expect(first.next(0)).toBe(a.indexOf('98'));
    expect(second.next(0)).toBe(b.indexOf('12'));
    expect(first.next(a.indexOf('98') + 1)).toBe(a.indexOf('98') + 1);
    expect(first.next(a.indexOf('98') + 2)).toBe(-1);
    expect(second.next(b.indexOf('12') + 1)).toBe(b.indexOf('34'));
    expect(second.next(b.length)).toBe(-1);
    second.begin('');
    expect(second.next(0)).toBe(-1);
    // a new text of the same length, where the old window would find a candidate
    first.begin(a.replace(/\d/g, 'x'));
    expect(first.next(0)).toBe(-1);
  });

  it('costs the same per byte on repetitive text as on benign text (invariant 9)', () => {
    // Chunks of equal content are equal strings: the finder once compared them per candidate,
    // and 8 MiB of `\ufffd1` repeated took 95× as long as benign text.
    const finder = createByteFinder(7, 3);
    const chunk = () => Buffer.from('\ufffd1'.repeat(16 * 1024)).toString('latin1');
    const time = (texts: string[]): number => {
      const started = performance.now();
      for (const text of texts) {
        finder.begin(text);
        for (let at = finder.next(0); at >= 0; at = finder.next(at + 1));
      }
      return performance.now() - started;
    };
    const hostile = Array.from({ length: 8 }, chunk);
    const few = time(hostile.slice(0, 2));
    const many = time(hostile);
    // Four times the chunks: linear is ~4×; the comparison made it ~4× per chunk on top.
    expect(many / Math.max(few, 0.5)).toBeLessThan(12);
  });
});
