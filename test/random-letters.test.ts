import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_LETTERS, randomLetters } from '../src/random-letters.js';

describe('randomLetters', () => {
  it('property: letters only, of the length asked for', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), (count) => {
        expect(randomLetters(count)).toMatch(new RegExp(`^[a-z]{${count}}$`));
      }),
    );
    expect(new Set(Array.from({ length: 1000 }, () => randomLetters(12))).size).toBe(1000);
  });

  it('makes each letter about equally likely (no modulo bias toward the first letters)', () => {
    const draws = randomLetters(260_000);
    const counts = new Map<string, number>();
    for (const letter of draws) counts.set(letter, (counts.get(letter) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe(ID_LETTERS);
    // 10,000 expected each; a byte taken modulo 26 would give a–v about 10,160 and w–z about 9,140.
    const chiSquare = [...counts.values()].reduce((sum, count) => sum + (count - 10_000) ** 2 / 10_000, 0);
    // 25 degrees of freedom: above 60 one run in about 10,000; the biased draw scores some 350.
    expect(chiSquare).toBeLessThan(60);
  });

  it('runs in a browser as in Node: it imports nothing', () => {
    const source = readFileSync(new URL('../src/random-letters.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import /m);
  });
});
