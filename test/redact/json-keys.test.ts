/**
 * KeyNames: the redacted keys of an object told apart when it closes, judged against a plain
 * reading of the rule (every key of the object known, each redacted key in turn the first of its
 * text, then its text with `~`, `~a`, `~b`, …, that no key of the object has and no redacted key
 * before it was given), for objects of few and of many keys, alike and mixed texts, nested.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyNames, keySuffix } from '../../src/redact/json-keys.js';

/** One member of an object: its key as written, and what redaction made of it (`null`: left alone). */
interface Member {
  key: string;
  redacted: string | null;
}

/** The rule, read plainly: the key each redacted member is written with, in order. */
function reference(members: readonly Member[]): string[] {
  const keys = new Set(members.map((member) => member.key));
  const written = new Set<string>();
  for (const { redacted } of members) {
    if (redacted === null) continue;
    let n = 0;
    const candidate = (): string => (n === 0 ? redacted : redacted + keySuffix(n));
    while (keys.has(candidate()) || written.has(candidate())) n += 1;
    written.add(candidate());
  }
  return [...written];
}

/** As the rewriter says: a redacted key that came from a string without escapes is written as it is. */
const isPlain = (text: string): boolean => JSON.stringify(text) === `"${text}"`;

/** Through KeyNames as the rewriter drives it: each key, each redacted key into a slot, then the close. */
function viaKeyNames(names: KeyNames, members: readonly Member[]): string[] {
  const out: string[] = [];
  const firstKey = names.keyCount;
  const firstPending = names.pendingCount;
  for (const { key, redacted } of members) {
    names.addKey(key);
    if (redacted !== null) {
      out.push('');
      names.addPending(redacted, out.length - 1, isPlain(redacted));
    }
  }
  names.close(firstKey, firstPending, out);
  expect(names.keyCount).toBe(firstKey);
  expect(names.pendingCount).toBe(firstPending);
  return out.map((quoted) => JSON.parse(quoted) as string);
}

const texts = ['x ', 'x ~', 'fnr ', '', '~', 'a\nb'];
const memberArb: fc.Arbitrary<Member> = fc.oneof(
  fc.record({ key: fc.constantFrom(...texts, 'x ~a', 'x ~b', 'fnr ~', 'fnr ~z', 'fnr ~aa', 'ok', '~~'), redacted: fc.constant(null) }),
  fc.record({ key: fc.string({ maxLength: 4 }).map((tail) => `k 1234567${tail}`), redacted: fc.constantFrom(...texts) }),
);

describe('keySuffix', () => {
  it('is ~, then ~ and letters, a different one for each try and no digit', () => {
    expect([1, 2, 3, 27, 28, 29, 703].map(keySuffix)).toEqual(['~', '~a', '~b', '~z', '~aa', '~ab', '~zz']);
    const many = Array.from({ length: 5_000 }, (_, k) => keySuffix(k + 1));
    expect(new Set(many).size).toBe(many.length);
    expect(many.every((suffix) => /^~[a-z]*$/.test(suffix))).toBe(true);
  });
});

describe('KeyNames', () => {
  it('tells a redacted key apart from keys that already end in the suffixes, later ones too', () => {
    const members: Member[] = [
      { key: 'x 1234567', redacted: 'x ' },
      { key: 'x ', redacted: null },
      { key: 'x ~', redacted: null },
      { key: 'x 7654321', redacted: 'x ' },
      { key: 'x ~a', redacted: null },
    ];
    expect(viaKeyNames(new KeyNames(), members)).toEqual(['x ~b', 'x ~c']);
  });

  it('gives keys that all redact alike, and that no key has, the suffixes in turn', () => {
    const members = Array.from({ length: 1_800 }, (_, k): Member => ({ key: `fnr ${1_000_000 + k}`, redacted: 'fnr ' }));
    const chosen = viaKeyNames(new KeyNames(), members);
    expect(chosen.slice(0, 4)).toEqual(['fnr ', 'fnr ~', 'fnr ~a', 'fnr ~b']);
    expect(chosen).toEqual(reference(members));
    expect(new Set(chosen).size).toBe(1_800);
  });

  it('chooses as the rule reads, in objects of few keys and of many (fast-check)', () => {
    const names = new KeyNames();
    fc.assert(
      fc.property(fc.array(memberArb, { maxLength: 40 }), (members) => {
        names.reset();
        expect(viaKeyNames(names, members)).toEqual(reference(members));
      }),
      { numRuns: 400 },
    );
  });

  it('decides each object of a nested line on its own, inner objects closing first', () => {
    fc.assert(
      fc.property(fc.array(fc.array(memberArb, { maxLength: 20 }), { minLength: 1, maxLength: 6 }), (objects) => {
        const names = new KeyNames();
        const chosen: string[][] = [];
        // Each object holds the next as the value of its last member: open them all, then close from the inside.
        const opened = objects.map((members) => {
          const firstKey = names.keyCount;
          const firstPending = names.pendingCount;
          const out: string[] = [];
          for (const { key, redacted } of members) {
            names.addKey(key);
            if (redacted !== null) {
              out.push('');
              names.addPending(redacted, out.length - 1, isPlain(redacted));
            }
          }
          return { firstKey, firstPending, out };
        });
        for (const { firstKey, firstPending, out } of opened.reverse()) {
          names.close(firstKey, firstPending, out);
          chosen.unshift(out.map((quoted) => JSON.parse(quoted) as string));
        }
        expect(chosen).toEqual(objects.map(reference));
        expect(names.keyCount).toBe(0);
        expect(names.pendingCount).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('writes a key that needs escaping as a JSON string', () => {
    const out = [''];
    const names = new KeyNames();
    names.addKey('a\n1234567');
    names.addPending('a\n', 0, false);
    names.close(0, 0, out);
    expect(out).toEqual(['"a\\n"']);
  });
});
