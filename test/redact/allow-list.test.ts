/**
 * Allowed numbers: an entry's digits, folded from any script and any punctuation, name exactly
 * one number — a digit off, a digit more or less, or more digits joined on, and it is deleted.
 * Judged by the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAllowList, foldAllowEntry } from '../../src/redact/allow-list.js';
import { StreamRedactor, createPolicy, redact } from '../../src/redact/index.js';
import { DIGIT_ZEROS, digitOf, streamThrough } from '../support/arbitraries.js';
import { referenceRedact, unkeptCombinations } from '../support/reference.js';

const HELP_BOT = createPolicy({ allow: ['+47 21 49 60 00', '21 49 60 00', '7694.05.20300'] });

describe('allowed numbers: the help bot of the issue', () => {
  it.each([
    ['Account number: 7694.05.20300', 'Account number: 7694.05.20300'],
    ['Kundeservice: +47 21 49 60 00.', 'Kundeservice: +47 21 49 60 00.'],
    ['ring 21 49 60 00', 'ring 21 49 60 00'],
    ['konto 7694 05 20300 eller 76940520300', 'konto 7694 05 20300 eller 76940520300'],
    ['٢١ ٤٩ ٦٠ ٠٠ (Arabic-Indic)', '٢١ ٤٩ ٦٠ ٠٠ (Arabic-Indic)'],
    ['ring 21 49 60 00 12', 'ring '],
    ['ring 21 49 60 01', 'ring '],
    ['ring 1 49 60 00', 'ring '],
    ['konto 7694.05.203001', 'konto '],
    ['fnr 010190 12345, konto 7694.05.20300', 'fnr , konto 7694.05.20300'],
  ])('%s', (input, output) => {
    const result = redact(input, HELP_BOT);
    expect(result.text).toBe(output);
    expect(referenceRedact(input, { ...HELP_BOT }).text).toBe(output);
    expect(result.allowed + result.redactions).toBeGreaterThan(0);
  });

  it('counts what it keeps, and a stream split anywhere keeps the same', () => {
    const text = 'Betal til 7694.05.20300, ring +47 21 49 60 00 eller 21 49 60 00 12.';
    expect(redact(text, HELP_BOT)).toMatchObject({ redactions: 1, allowed: 2 });
    for (let cut = 0; cut <= text.length; cut++) {
      const stream = new StreamRedactor(HELP_BOT);
      expect(streamThrough(stream, [text.slice(0, cut), text.slice(cut)])).toBe(redact(text, HELP_BOT).text);
      expect(stream.allowed).toBe(2);
    }
  });

  it('an entry shorter than minDigits changes nothing', () => {
    expect(redact('kode 1234 og 1234567', { allow: ['1234'] })).toMatchObject({ text: 'kode 1234 og ', allowed: 0 });
  });
});

describe('allowed numbers: the trie', () => {
  it('folds entries and matches exactly their digits', () => {
    expect(foldAllowEntry('+47 (0)21-49\u00a060\u200b00')).toEqual({ digits: '47021496000' });
    const entries = Object.freeze(['21496000', '4721496000']);
    const list = compileAllowList(entries);
    expect(compileAllowList(entries)).toBe(list); // compiled once per policy
    expect(list.maxDigits).toBe(10);
    expect(list.matches([2, 1, 4, 9, 6, 0, 0, 0], 8)).toBe(true);
    expect(list.matches([2, 1, 4, 9, 6, 0, 0], 7)).toBe(false);
    expect(list.matches([2, 1, 4, 9, 6, 0, 0, 0, 0], 9)).toBe(false);
  });

  it('property: with any list, a number one digit off, one digit more or less, is deleted; the number itself kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[0-9]{7,20}$/), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.constantFrom(...DIGIT_ZEROS),
        fc.constantFrom(' ', '.', '-', '', '\u00a0'),
        (entries, pick, zero, joiner) => {
          const policy = createPolicy({ allow: entries });
          const entry = entries[pick % entries.length]!;
          const write = (digits: string): string => Array.from(digits, (d, k) => (k % 3 === 2 ? joiner : '') + digitOf(zero, Number(d))).join('');
          const at = pick % entry.length;
          const misses = [
            entry.slice(0, at) + String((Number(entry[at]) + 1 + (pick % 9)) % 10) + entry.slice(at + 1),
            `${entry}${pick % 10}`,
            `${pick % 10}${entry}`,
            entry.slice(1),
            entry.slice(0, -1),
          ].filter((miss) => !entries.includes(miss) && miss.length >= 7);
          expect(redact(`a ${write(entry)} b`, policy)).toMatchObject({ text: `a ${write(entry)} b`, allowed: 1 });
          for (const miss of misses) expect(redact(`a ${write(miss)} b`, policy).text).toBe('a  b');
          const all = `${write(entry)} x ${misses.map(write).join(' x ')}`;
          expect(unkeptCombinations(redact(all, policy).text, { ...policy })).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
