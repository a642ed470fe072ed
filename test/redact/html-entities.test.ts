import { readFileSync } from 'node:fs';
import { parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import { LEGACY_SEPARATOR_REFERENCES, SEPARATOR_REFERENCES, referencedCodePoint } from '../../src/redact/html-entities.js';
import { isDigitChar, isSeparatorChar } from '../support/reference.js';

/** Every named reference of the WHATWG list (without `&` and `;`). */
const NAMES = readFileSync(new URL('../fixtures/html-entity-names.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

/** What parse5, the standard's parser, makes of some text. */
function decoded(text: string): string {
  const fragment = parseFragment(text);
  const node = fragment.childNodes[0];
  return node !== undefined && 'value' in node ? String(node.value) : '';
}

const isReadAsSpaceOrNumber = (char: string): boolean => isDigitChar(char) || isSeparatorChar(char) || /^[\t\n\f\r ]$/.test(char);

describe('separator references', () => {
  it('holds every named reference whose characters are all digits, separators or white space, as parse5 decodes them', () => {
    expect(NAMES.length).toBeGreaterThan(2000);
    const expected = Object.fromEntries(
      NAMES.map((name) => [name, decoded(`&${name};`)] as const).filter(([, value]) => value !== '' && Array.from(value).every(isReadAsSpaceOrNumber)),
    );
    expect(SEPARATOR_REFERENCES).toEqual(expected);
  });

  it('reads the legacy names without `;` as parse5 does', () => {
    for (const name of LEGACY_SEPARATOR_REFERENCES) expect(decoded(`1&${name}2`)).toBe(`1${SEPARATOR_REFERENCES[name]}2`);
  });
});

describe('referencedCodePoint', () => {
  it('gives what parse5 gives for every value class: 0, C1, surrogates, noncharacters, past U+10FFFF', () => {
    const values = [0, 9, 0x37, 0x7f, ...Array.from({ length: 32 }, (_, k) => 0x80 + k), 0xa0, 0xd800, 0xdfff, 0xfffe, 0x1d7ce, 0x10ffff, 0x110000];
    for (const value of values) {
      expect(String.fromCodePoint(referencedCodePoint(value)), `&#x${value.toString(16)};`).toBe(decoded(`&#x${value.toString(16)};`));
    }
  });
});
