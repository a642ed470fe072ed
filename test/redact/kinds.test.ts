import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyDigits, redact } from '../../src/redact/index.js';
import { isBankAccount, isLuhnValid, isNationalId } from '../../src/redact/kinds.js';

/* Synthetic numbers only: check digits are computed here, from made-up dates and serials. */

const digitsOf = (s: string): number[] => Array.from(s, Number);

function mod11(digits: number[], weights: number[]): number {
  const sum = weights.reduce((acc, w, k) => acc + w * digits[k]!, 0);
  return (11 - (sum % 11)) % 11;
}

/** A fødselsnummer with valid check digits, or undefined when the serial gives a 10. */
function makeNationalId(day: number, month: number, year: number, serial: number): string | undefined {
  const base = digitsOf(
    `${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).padStart(2, '0')}${String(serial).padStart(3, '0')}`,
  );
  const k1 = mod11(base, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
  if (k1 === 10) return undefined;
  const k2 = mod11([...base, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  if (k2 === 10) return undefined;
  return [...base, k1, k2].join('');
}

function makeAccount(first10: string): string | undefined {
  const d = digitsOf(first10);
  const sum = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2].reduce((acc, w, k) => acc + w * d[k]!, 0);
  const r = sum % 11;
  if (r === 1) return undefined;
  return first10 + String(r === 0 ? 0 : 11 - r);
}

function makeLuhn(body: string): string {
  for (let check = 0; check <= 9; check++) {
    const candidate = body + check;
    if (isLuhnValid(digitsOf(candidate), candidate.length)) return candidate;
  }
  throw new Error('unreachable');
}

const kindOf = (s: string) => classifyDigits(digitsOf(s), s.length);

/** A valid synthetic national id for the date, trying serials until the checks work. */
function someNationalId(day: number, month: number, year: number): string {
  for (let serial = 100; serial < 1000; serial++) {
    const id = makeNationalId(day, month, year, serial);
    if (id !== undefined) return id;
  }
  throw new Error('no serial');
}

describe('kinds', () => {
  it('recognises national ids, D-numbers and H-numbers with both check digits', () => {
    const plain = someNationalId(17, 5, 88);
    const dNumber = someNationalId(17 + 40, 5, 88);
    const hNumber = someNationalId(17, 5 + 40, 88);
    for (const id of [plain, dNumber, hNumber]) expect(kindOf(id)).toBe('national_id');
    // a wrong K2 or K1 breaks it
    const wrongK2 = plain.slice(0, 10) + String((Number(plain[10]) + 1) % 10);
    expect(isNationalId(digitsOf(wrongK2), 11)).toBe(false);
    const wrongK1 = plain.slice(0, 9) + String((Number(plain[9]) + 1) % 10) + plain[10];
    expect(isNationalId(digitsOf(wrongK1), 11)).toBe(false);
  });

  it('rejects impossible dates even with right check digits', () => {
    for (const [day, month, year] of [
      [32, 1, 90],
      [31, 4, 90],
      [30, 2, 88],
      [29, 2, 89],
      [0, 5, 90],
      [10, 13, 90],
      [10 + 40, 5 + 40, 90], // D and H at once
    ] as const) {
      for (let serial = 100; serial < 200; serial++) {
        const id = makeNationalId(day, month, year, serial);
        if (id !== undefined) expect(isNationalId(digitsOf(id), 11)).toBe(false);
      }
    }
    expect(isNationalId(digitsOf(someNationalId(29, 2, 88)), 11)).toBe(true);
  });

  it('property: every generated valid national id is classified national_id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom(0, 40),
        (day, month, year, serial, dOffset) => {
          const id = makeNationalId(day + dOffset, month, year, serial);
          fc.pre(id !== undefined);
          expect(kindOf(id!)).toBe('national_id');
        },
      ),
    );
  });

  it('recognises bank accounts (mod 11) that are not national ids', () => {
    const account = makeAccount('9999123456')!; // month 99: never a date
    expect(account).toBeDefined();
    expect(kindOf(account)).toBe('bank_account');
    const wrong = account.slice(0, 10) + String((Number(account[10]) + 1) % 10);
    expect(isBankAccount(digitsOf(wrong), 11)).toBe(false);
    expect(kindOf(wrong)).toBe('other');
    fc.assert(
      fc.property(fc.stringMatching(/^9[0-9]{9}$/), (first10) => {
        const acc = makeAccount(first10);
        fc.pre(acc !== undefined);
        expect(kindOf(acc!)).toBe('bank_account');
      }),
    );
  });

  it('recognises payment cards by Luhn for 13 to 19 digits', () => {
    for (const length of [13, 15, 16, 19]) {
      const card = makeLuhn('4'.padEnd(length - 1, '1'));
      expect(kindOf(card)).toBe('payment_card');
      const broken = card.slice(0, -1) + String((Number(card.at(-1)) + 1) % 10);
      expect(kindOf(broken)).not.toBe('payment_card');
    }
    expect(kindOf(makeLuhn('4'.padEnd(19, '1')))).toBe('other'); // 20 digits
    expect(kindOf(makeLuhn('4'.padEnd(11, '1')))).not.toBe('payment_card'); // 12 digits
  });

  it('recognises phone numbers: 8 digits from 2-9, 47 + 8, 0047 + 8', () => {
    expect(kindOf('98765432')).toBe('phone');
    expect(kindOf('21496000')).toBe('phone');
    expect(kindOf('12345678')).toBe('other');
    expect(kindOf('4798765432')).toBe('phone');
    expect(kindOf('004798765432')).toBe('phone');
    expect(kindOf('004698765432')).toBe('other');
    expect(kindOf('1234567')).toBe('other');
  });

  it('classifies digits of any script by their value', () => {
    expect(redact('ring ٩٨٧٦٥٤٣٢ nå').kinds).toEqual({ phone: 1 });
    expect(redact('tlf ９８ ７６ ５４ ３２').kinds).toEqual({ phone: 1 });
    const id = someNationalId(3, 11, 75);
    const spaced = `${id.slice(0, 6)} ${id.slice(6)}`;
    expect(redact(`fnr ${spaced}`).kinds).toEqual({ national_id: 1 });
    const mathBold = Array.from(id, (d) => String.fromCodePoint(0x1d7ce + Number(d))).join('\u200b');
    expect(redact(mathBold).kinds).toEqual({ national_id: 1 });
  });

  it('combinations longer than 19 digits are other, whatever their prefix', () => {
    const card = makeLuhn('4'.padEnd(15, '1'));
    expect(redact(card + '0000').kinds).toEqual({ other: 1 });
  });
});
