/**
 * Kept classes (`keep`): amounts, future dates and organisation numbers are kept verbatim, a
 * national id, bank account or card never is however it is dressed, and every way of redacting
 * agrees — one-shot, string stream and byte stream, split anywhere — with a bounded hold-back.
 * Judged by the independent reference (`test/support/reference.ts`).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ByteRedactor, StreamRedactor, createPolicy, redact, type PolicyOptions } from '../../src/redact/index.js';
import { chatText, cutAt, policyArb, rawCuts } from '../support/arbitraries.js';
import { expectChunkingAgrees } from '../support/chunking.js';
import { asAmount, bankAccount, bankChat, dateish, keepArb, nationalId, paymentCard } from '../support/kept-class-arbitraries.js';
import { findCombinations, isNationalIdOrAccountOrCard, referenceRedact } from '../support/reference.js';

/** Properties stop after this long under load, whatever number of runs they were given. */
const TIME_LIMIT = { interruptAfterTimeLimit: 8_000 };
const ALL = { keep: ['amounts', 'future_dates', 'org_numbers'] } as const;

const textAndPolicy = fc
  .tuple(fc.oneof({ weight: 4, arbitrary: bankChat }, { weight: 1, arbitrary: chatText }), policyArb, keepArb, fc.boolean())
  .map(([text, base, keep, keepTimestamps]) => ({ text, options: { ...base, keep, keepTimestamps } as PolicyOptions }));

describe('kept classes: what is kept', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the invoice sentence of issue 23 but what could identify a person', () => {
    vi.useFakeTimers({ now: Date.UTC(2025, 11, 20, 12) });
    const text = 'Fakturaen datert 24.12.2025 på 12 500 kr, forfall 2026-01-15, org.nr 923 609 016, fnr 150765 00565';
    expect(redact(text, ALL)).toMatchObject({
      text: 'Fakturaen datert 24.12.2025 på 12 500 kr, forfall 2026-01-15, org.nr 923 609 016, fnr ',
      kept: 3,
      keptClasses: { future_dates: 2, org_numbers: 1 },
      kinds: { national_id: 1 },
    });
    expect(redact(text).kinds).toEqual({ date: 2, org_number: 1, national_id: 1 });
  });

  it.each([
    ['1 250 000,00 kr', true],
    ['kr 1 250 000', true],
    ['NOK 1.250.000,00', true],
    ['1\u00a0250\u00a0000 NOK', true],
    ['1\u2009250\u2009000 EUR', true],
    ['1\u202f250\u202f000 €', true],
    ['$1,250,000.00', true],
    ['£1,250,000', true],
    ['1.250.000,-', true],
    ['1 250 000,- kr', true],
    ['1 250 000 kr.', true],
    ['1 250 000kr', true],
    ['1 250 000  kr', false], // two spaces before the mark
    ['1 250.000 kr', false], // two group marks
    ['1250000 kr', false], // no groups
    ['1 250 000', false], // no currency mark
    ['1 2500 000 kr', false],
    ['1 250 000,5 kr', false], // one decimal
    ['1 250 000 000 000 000 kr', false], // 16 digits: longer than any amount kept
    ['١ ٢٥٠ ٠٠٠ kr', false], // digits of another script
  ])('amounts: %s → kept %s', (amount, kept) => {
    const text = `Jeg skylder ${amount} i dag`;
    expect(redact(text, { keep: ['amounts'] }).text).toBe(kept ? text : referenceRedact(text, { minDigits: 7, maxGap: 3, replacement: '' }).text);
    expect(redact(text, { keep: ['amounts'] }).kept).toBe(kept ? 1 : 0);
  });

  // One mark, one amount (kept-classes.ts): a mark between two numbers is the one before's.
  it.each([
    ['01 014 000 042,- kr 1 000', '01 014 000 042,- kr 1 '],
    ['800 000 009,- kr 801 001 009', '800 000 009,- kr   '],
    ['1 000 kr 2 000', '1 000 kr 2 '],
    ['1 000,- kr. 2 000', '1 000,- kr. 2 '],
    ['1 000 kr 2 000,-', '1 000 kr 2 000,-'],
    ['kr 1 000 kr 2 000', 'kr 1 000 kr 2 000'],
  ])('a currency mark between two amounts (maxGap 0, minDigits 2) is the one before\'s: %s → %s', (text, expected) => {
    const policy = createPolicy({ minDigits: 2, maxGap: 0, keep: ['amounts'] });
    expect(redact(text, policy).text).toBe(expected);
    expect(referenceRedact(text, policy).text).toBe(expected);
  });

  it('one mark, one amount with the defaults: 1 250,- kr 2 000 000 keeps the first and deletes the second', () => {
    expect(redact('1 250,- kr 2 000 000 i dag', { keep: ['amounts'] })).toMatchObject({ text: '1 250,- kr  i dag', kept: 0, redactions: 1 });
    expect(redact('12 500,- kr 2 000 000 i dag', { keep: ['amounts'] })).toMatchObject({ text: '12 500,- kr  i dag', redactions: 1 });
    expect(redact('1 250 000,- kr 2 000 000,- i dag', { keep: ['amounts'] })).toMatchObject({ text: '1 250 000,- kr 2 000 000,- i dag', kept: 2 });
  });

  it('future dates: after today in UTC+14, the first zone to start a day; today and past are deleted', () => {
    // 10:30 UTC on 14 Jan 2027 is already 15 Jan in UTC+14: the 15th is "today" somewhere.
    vi.useFakeTimers({ now: Date.UTC(2027, 0, 14, 10, 30) });
    const keep = { keep: ['future_dates'] } as const;
    expect(redact('forfall 15.01.2027', keep).text).toBe('forfall ');
    expect(redact('forfall 16.01.2027', keep).text).toBe('forfall 16.01.2027');
    vi.setSystemTime(Date.UTC(2027, 0, 14, 9, 59));
    expect(redact('forfall 15.01.2027', keep).text).toBe('forfall 15.01.2027');
    for (const form of ['16.1.2027', '16/01/2027', '2027-01-16']) expect(redact(`due ${form}.`, keep).text).toBe(`due ${form}.`);
    for (const form of ['2027.01.16', '16-01-2027', '16012027', '29.02.2027', '31.04.2027']) expect(redact(`due ${form}.`, keep).text).toBe('due .');
    expect(redact('29.02.2028', keep).kept).toBe(1);
  });

  it('org numbers: valid MOD11 kept however written; a digit off, or joined to more digits, deleted', () => {
    const keep = { keep: ['org_numbers'] } as const;
    expect(redact('org.nr 923 609 016 og 923609016 og 923.609.016', keep)).toMatchObject({ kept: 3, redactions: 0 });
    expect(redact('org.nr 923 609 017', keep).text).toBe('org.nr ');
    expect(redact('org.nr 923 609 016 12', keep).text).toBe('org.nr ');
    expect(redact('org.nr 823 609 016', keep).redactions).toBe(1);
  });

  it('never keeps a national id, bank account or card, in every form the amount grammar allows', () => {
    const identifier = fc.oneof(nationalId, bankAccount, paymentCard);
    fc.assert(
      fc.property(identifier.chain((digits) => asAmount(fc.constant(digits)).map((amount) => ({ digits, amount }))), ({ digits, amount }) => {
        expect(isNationalIdOrAccountOrCard(digits)).toBe(true);
        const out = redact(`beløp ${amount} takk`, ALL);
        expect(out.kept).toBe(0);
        for (const combination of findCombinations(out.text, 3)) expect(combination.digits.join('')).not.toBe(digits);
      }),
      { numRuns: 1500, ...TIME_LIMIT },
    );
  });

  it('never keeps a date that is today or past somewhere (a birth date)', () => {
    fc.assert(
      fc.property(dateish, (date) => {
        const result = redact(`født ${date}`, { keep: ['future_dates'] });
        if (result.kept > 0) expect(referenceRedact(`født ${date}`, { minDigits: 7, maxGap: 3, replacement: '', keep: ['future_dates'] }).kept).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('kept classes: every way of redacting agrees with the reference', () => {
  it('one-shot: output, deletions and kept numbers by class', () => {
    fc.assert(
      fc.property(textAndPolicy, ({ text, options }) => {
        const policy = createPolicy(options);
        const expected = referenceRedact(text, policy);
        const result = redact(text, policy);
        expect(result.text).toBe(expected.text);
        expect(result.redactions).toBe(expected.spans.length);
        const byClass: Record<string, number> = {};
        for (const span of expected.kept) if (span.keptAs !== 'allowed') byClass[span.keptAs!] = (byClass[span.keptAs!] ?? 0) + 1;
        expect(result.keptClasses).toEqual(byClass);
        expect(result.kept + result.allowed).toBe(expected.kept.length);
      }),
      { numRuns: 1500, ...TIME_LIMIT },
    );
  });

  it('5. chunking does not matter: strings and bytes split anywhere equal the one-shot result', () => {
    fc.assert(
      fc.property(textAndPolicy, rawCuts(8), ({ text, options }, cuts) => {
        expectChunkingAgrees(text, createPolicy(options), cuts, (counted) => [counted.redactions, counted.kept, counted.keptClasses]);
      }),
      { numRuns: 1000, ...TIME_LIMIT },
    );
  });

  it('6, 7. bounded hold-back and prompt emission: one unit at a time, never more held than the bound', () => {
    let most = 0;
    fc.assert(
      fc.property(textAndPolicy, ({ text, options }) => {
        const stream = new StreamRedactor(options);
        let out = '';
        for (const unit of cutAt(text, [...text].map((_, k) => k))) {
          out += stream.push(unit);
          expect(stream.heldLength).toBeLessThanOrEqual(stream.maxHeldLength);
          most = Math.max(most, stream.heldLength);
        }
        expect(out + stream.end()).toBe(redact(text, options).text);
      }),
      { numRuns: 200, ...TIME_LIMIT },
    );
    expect(most).toBeGreaterThan(0);
  });

  it('7. prompt emission with keep: text without a digit passes as it comes, never held for the patterns\' look-ahead', () => {
    fc.assert(
      fc.property(textAndPolicy, ({ text, options }) => {
        const plain = text.replace(/\p{Nd}/gu, 'x');
        const stream = new StreamRedactor(options);
        let out = '';
        for (let i = 0; i < plain.length; i++) {
          out += stream.push(plain[i]!);
          // Only the high half of a surrogate pair waits for its other half.
          expect(stream.heldLength).toBe(/[\ud800-\udbff]$/.test(plain.slice(0, i + 1)) ? 1 : 0);
        }
        expect(out + stream.end()).toBe(plain.toWellFormed());
      }),
      { numRuns: 300, ...TIME_LIMIT },
    );
    // A currency mark before an amount is passed on before the amount is known; the amount still is kept.
    const stream = new StreamRedactor(ALL);
    const out = ['Betal ', 'kr', ' ', '1 250', ' 000', ',00 i dag'].map((piece) => stream.push(piece));
    expect(out.slice(0, 3)).toEqual(['Betal ', 'kr', ' ']);
    expect(out.join('') + stream.end()).toBe('Betal kr 1 250 000,00 i dag');
    expect(stream.keptClasses).toEqual({ amounts: 1 });
  });

  it('bounds the hold-back by the policy: 176 UTF-16 units and 334 bytes with every class kept, 49 and 99 without', () => {
    expect(new StreamRedactor(ALL).maxHeldLength).toBe(176);
    expect(new ByteRedactor(ALL).maxHeldLength).toBe(334);
    expect(new StreamRedactor().maxHeldLength).toBe(49);
    expect(new ByteRedactor().maxHeldLength).toBe(99);
  });
});
