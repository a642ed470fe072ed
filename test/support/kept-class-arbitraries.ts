/**
 * fast-check generators for the kept classes (`keep`): a bank's chat of amounts in every way the
 * grammar allows (and some it does not), dates past and future, organisation numbers valid and a
 * digit off — and national ids, bank accounts and cards dressed up as each of those, which must
 * still be deleted. Check digits are computed here from the SPEC's rules; all numbers are made up.
 */
import fc from 'fast-check';
import { chatText } from './arbitraries.js';

const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const weighted = (digits: readonly number[], weights: readonly number[]): number => weights.reduce((sum, w, k) => sum + w * digits[k]!, 0);
const randomDigits = (length: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length });

/** A fødselsnummer (or D-number) with both check digits right; its birth date is real and past. */
export const nationalId: fc.Arbitrary<string> = fc
  .record({ day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }), year: fc.integer({ min: 40, max: 99 }), individual: fc.integer({ min: 0, max: 499 }), dNumber: fc.boolean() })
  .map(({ day, month, year, individual, dNumber }) => Array.from(`${pad(day + (dNumber ? 40 : 0), 2)}${pad(month, 2)}${pad(year, 2)}${pad(individual, 3)}`, Number))
  .filter((base) => {
    const k1 = (11 - (weighted(base, [3, 7, 6, 1, 8, 9, 4, 5, 2]) % 11)) % 11;
    if (k1 === 10) return false;
    const k2 = (11 - (weighted([...base, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
    return k2 !== 10;
  })
  .map((base) => {
    const k1 = (11 - (weighted(base, [3, 7, 6, 1, 8, 9, 4, 5, 2]) % 11)) % 11;
    const k2 = (11 - (weighted([...base, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
    return [...base, k1, k2].join('');
  });

/** A Norwegian bank account number with a right check digit. */
export const bankAccount: fc.Arbitrary<string> = randomDigits(10)
  .filter((base) => weighted(base, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11 !== 1)
  .map((base) => {
    const remainder = weighted(base, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    return [...base, remainder === 0 ? 0 : 11 - remainder].join('');
  });

/** A Luhn-valid card number of 13–17 digits (the longest an amount holds). */
export const paymentCard: fc.Arbitrary<string> = fc.integer({ min: 12, max: 16 }).chain(randomDigits).map((base) => {
  let sum = 0;
  [...base].reverse().forEach((value, k) => {
    const doubled = k % 2 === 0 ? value * 2 : value;
    sum += doubled > 9 ? doubled - 9 : doubled;
  });
  return [...base, (10 - (sum % 10)) % 10].join('');
});

/** A Brønnøysund organisation number, valid or a digit off. */
export const orgNumberish: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(8, 9), randomDigits(7), fc.boolean())
  .filter(([first, rest]) => 11 - (weighted([first, ...rest], [3, 2, 7, 6, 5, 4, 3, 2]) % 11) !== 10)
  .map(([first, rest, off]) => {
    const check = (11 - (weighted([first, ...rest], [3, 2, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
    return `${first}${rest.join('')}${off ? (check + 1) % 10 : check}`;
  });

const GROUP_MARKS = [' ', '\u00a0', '\u2009', '\u202f', '.', ','] as const;
const CURRENCIES = ['kr', 'kr.', 'NOK', 'EUR', 'USD', 'SEK', 'DKK', 'GBP', '€', '$', '£', 'Kr', 'kroner'] as const;

/** `digits` written as money: groups of three from the right, a decimal part or not, a currency mark before, after, `,-` or none. */
export const asAmount = (digits: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .record({
      digits,
      mark: fc.constantFrom(...GROUP_MARKS),
      decimals: fc.constantFrom(0, 0, 2, 1),
      decimalMark: fc.constantFrom('right', 'wrong'),
      currency: fc.constantFrom(...CURRENCIES),
      place: fc.constantFrom('before', 'after', 'dash', 'none', 'after-tight', 'before-wide'),
    })
    .map(({ digits: all, mark, decimals, decimalMark, currency, place }) => {
      const whole = decimals > 0 && all.length > decimals ? all.slice(0, -decimals) : all;
      const fraction = whole === all ? '' : all.slice(-decimals);
      const groups: string[] = [];
      for (let end = whole.length; end > 0; end -= 3) groups.unshift(whole.slice(Math.max(0, end - 3), end));
      const right = mark === '.' ? ',' : mark === ',' ? '.' : ',';
      const number = groups.join(mark) + (fraction === '' ? '' : (decimalMark === 'right' ? right : mark) + fraction);
      if (place === 'before') return `${currency} ${number}`;
      if (place === 'before-wide') return `${currency}  ${number}`;
      if (place === 'after') return `${number} ${currency}`;
      if (place === 'after-tight') return `${number}${currency}`;
      if (place === 'dash') return `${number},-`;
      return number;
    });

const DATE_FORMATS = ['dd.mm.yyyy', 'd.m.yyyy', 'dd/mm/yyyy', 'yyyy-mm-dd', 'yyyy.mm.dd', 'dd-mm-yyyy', 'ddmmyyyy'] as const;

/** A date, past or future, real or not (31 April, 29 February), in the kept formats and some others. */
export const dateish: fc.Arbitrary<string> = fc
  .record({ year: fc.integer({ min: 1950, max: 2150 }), month: fc.integer({ min: 1, max: 13 }), day: fc.integer({ min: 1, max: 31 }), format: fc.constantFrom(...DATE_FORMATS) })
  .map(({ year, month, day, format }) =>
    format
      .replace('yyyy', pad(year, 4))
      .replace('dd', pad(day, 2))
      .replace('mm', pad(month, 2))
      .replace('d', String(day))
      .replace('m', String(month)),
  );

/** A number that is no identifier: 4 to 17 digits, and the identifiers that must never pass for one. */
const amountDigits = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[1-9][0-9]{3,16}$/) },
  { weight: 1, arbitrary: nationalId },
  { weight: 1, arbitrary: bankAccount },
  { weight: 1, arbitrary: paymentCard },
  { weight: 1, arbitrary: orgNumberish },
);

/** One piece of a bank's chat with the kept classes in it. */
export const keptClassPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: asAmount(amountDigits) },
  { weight: 3, arbitrary: dateish },
  { weight: 2, arbitrary: fc.oneof(orgNumberish, nationalId, bankAccount).chain((digits) => fc.constantFrom(digits, `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`)) },
  { weight: 2, arbitrary: chatText },
);

/** A bank's chat: kept-class pieces joined by what people put between them, digits too. */
export const bankChat: fc.Arbitrary<string> = fc
  .array(fc.tuple(keptClassPiece, fc.constantFrom(' ', ', ', '', ' og ', '\n', ' 12 ', '.')), { maxLength: 8 })
  .map((parts) => parts.map(([piece, joiner]) => piece + joiner).join(''));

/** A non-empty set of kept classes. */
export const keepArb = fc.subarray(['amounts', 'future_dates', 'org_numbers'] as const, { minLength: 1 });
