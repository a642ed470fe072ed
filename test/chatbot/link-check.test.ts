import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeLink } from '../../src/chatbot/link-check.js';
import { createPolicy } from '../../src/redact/index.js';
import { formattedNumber } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';

/** A link with what may follow its host: letters, separators, percent-escapes, a number now and then. */
const link = fc
  .array(fc.oneof(fc.constantFrom('faktura', 'side', '/', '?', '=', '&', '+', '%20', '%2D', '#', '&#57;', 'æ', '-', '.'), formattedNumber), { maxLength: 8 })
  .map((parts) => `https://bank.example/${parts.join('')}`);

describe('judgeLink', () => {
  it('property: a link judged before gets the verdict it gets judged anew (a policy of its own remembers nothing)', () => {
    const policy = createPolicy();
    fc.assert(
      fc.property(fc.array(link, { minLength: 1, maxLength: 6 }), (links) => {
        for (const url of [...links, ...links]) {
          expect(judgeLink(url, policy).href).toBe(judgeLink(url, createPolicy()).href);
        }
      }),
    );
  });

  it('property: a link passed, remembered or not, holds no number in any reading the reference judge knows', () => {
    const policy = createPolicy();
    fc.assert(
      fc.property(link, (url) => {
        for (const verdict of [judgeLink(url, policy), judgeLink(url, policy)]) {
          if (verdict.href === undefined) continue;
          expect(countLeaks(verdict.href)).toBe(0);
          expect(countLeaks(decodeURIComponent(verdict.href.replaceAll('+', ' ').replace(/%(?![\da-f]{2})/gi, '%25')))).toBe(0);
        }
      }),
    );
  });

  it('judges a dropped link again every time, with what was found (the caller counts each drop)', () => {
    const policy = createPolicy();
    const url = 'https://bank.example/?tlf=98%2076%2054%2032';
    const first = judgeLink(url, policy);
    const again = judgeLink(url, policy);
    expect(first.href).toBeUndefined();
    expect(again.href).toBeUndefined();
    expect(again.found?.redactions).toBe(1);
    expect(again).not.toBe(first);
  });

  it('remembers a passed link by the policy that judged it: another policy judges it by its own rules', () => {
    const url = 'https://bank.example/sak/12345';
    expect(judgeLink(url, createPolicy()).href).toBe(url);
    expect(judgeLink(url, createPolicy()).href).toBe(url);
    expect(judgeLink(url, createPolicy({ minDigits: 5 })).href).toBeUndefined();
  });

  it('stays right past its bound: the oldest links are forgotten and judged again', () => {
    const policy = createPolicy();
    const links = Array.from({ length: 600 }, (_, k) => `https://bank.example/${'abcdefghij'[k % 10]}/${'klmnopqrst'[Math.floor(k / 10) % 10]}/${'uvwxyzabcd'[Math.floor(k / 100)]}`);
    for (const url of [...links, ...links]) expect(judgeLink(url, policy).href).toBe(url);
  });
});
