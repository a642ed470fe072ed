import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyDigits, redact } from '../../src/redact/index.js';
import { isBankAccount, isLuhnValid, isNationalId } from '../../src/redact/kinds.js';

/*
 * Synthetic numbers only: dates and individual numbers are made up here and the check digits
 * computed here. The expected verdicts come from this file's own reading of the rules (SPEC §1
 * *Kinds*), with JavaScript's calendar as the judge of which dates exist.
 */

const digitsOf = (s: string): number[] => Array.from(s, Number);
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const kindOf = (s: string) => classifyDigits(digitsOf(s), s.length);

function mod11(digits: number[], weights: number[]): number {
  const sum = weights.reduce((acc, w, k) => acc + w * digits[k]!, 0);
  return (11 - (sum % 11)) % 11;
}

/** The 11 digits for the written day, month, two-digit year and individual number, or undefined when a check digit would be 10. */
function withCheckDigits(day: number, month: number, shortYear: number, individual: number): string | undefined {
  const base = digitsOf(`${pad(day, 2)}${pad(month, 2)}${pad(shortYear, 2)}${pad(individual, 3)}`);
  const k1 = mod11(base, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
  if (k1 === 10) return undefined;
  const k2 = mod11([...base, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  if (k2 === 10) return undefined;
  return [...base, k1, k2].join('');
}

/** The full birth year by the registry's table, or undefined for a pair it never issues. */
function expectedYear(individual: number, shortYear: number): number | undefined {
  if (individual <= 499) return 1900 + shortYear;
  if (shortYear <= 39) return 2000 + shortYear; // 500–999
  if (individual >= 900) return 1900 + shortYear; // 40–99
  if (individual <= 749 && shortYear >= 54) return 1800 + shortYear;
  return undefined;
}

/** Whether the date is on the calendar, asked of JavaScript's own Date. */
function isOnCalendar(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Later than today's date where the day starts first (UTC+14), the clock being `now`. */
function isAfterToday(year: number, month: number, day: number, now: number): boolean {
  const today = new Date(now + 14 * 3_600_000);
  const key = (y: number, m: number, d: number) => y * 10_000 + m * 100 + d;
  return key(year, month, day) > key(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate());
}

/** This file's verdict on written day and month (D/H offsets included), year and individual number. */
function expectNationalId(day: number, month: number, shortYear: number, individual: number, now: number): boolean {
  if (day > 40 && month > 40) return false;
  const realDay = day > 40 ? day - 40 : day;
  const realMonth = month > 40 ? month - 40 : month;
  const year = expectedYear(individual, shortYear);
  if (year === undefined || realMonth < 1 || realMonth > 12 || realDay < 1) return false;
  return isOnCalendar(year, realMonth, realDay) && !isAfterToday(year, realMonth, realDay, now);
}

/** A valid id for the individual number and year, on the first day of `month` whose check digits work. */
function someNationalId(month: number, shortYear: number, individual: number, dayOffset = 0): string {
  for (let day = 1; day <= 28; day++) {
    const id = withCheckDigits(day + dayOffset, month, shortYear, individual);
    if (id !== undefined) return id;
  }
  throw new Error(`no day of month ${month} gives check digits for ${individual}/${shortYear}`);
}

/** The first id for the date whose individual number in `range` gives working check digits. */
function firstValid(day: number, month: number, shortYear: number, range: readonly [number, number]): string {
  for (let individual = range[0]; individual <= range[1]; individual++) {
    const id = withCheckDigits(day, month, shortYear, individual);
    if (id !== undefined) return id;
  }
  throw new Error(`no individual number in ${range.join('–')} gives check digits for ${day}.${month}.${shortYear}`);
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

/** A fixed clock for the tests that depend on "today". */
const NOW = Date.parse('2026-12-01T08:00:00Z');

afterEach(() => {
  vi.useRealTimers();
});

describe('national ids: check digits', () => {
  it('recognises fødselsnummer, D-number and H-number; a wrong K1 or K2 breaks each', () => {
    for (const id of [someNationalId(5, 88, 123), someNationalId(5, 88, 123, 40), someNationalId(45, 88, 123)]) {
      expect(kindOf(id)).toBe('national_id');
      const wrongK2 = id.slice(0, 10) + String((Number(id[10]) + 1) % 10);
      const wrongK1 = id.slice(0, 9) + String((Number(id[9]) + 1) % 10) + id[10];
      expect(isNationalId(digitsOf(wrongK2), 11)).toBe(false);
      expect(isNationalId(digitsOf(wrongK1), 11)).toBe(false);
    }
  });
});

describe('national ids: the individual number gives the century', () => {
  const individuals = [0, 1, 250, 499, 500, 501, 600, 749, 750, 800, 899, 900, 901, 999];
  const shortYears = [0, 1, 20, 39, 40, 41, 53, 54, 55, 70, 99];

  it('every boundary pair of individual number and year is a national id exactly when the table gives it a century', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const verdicts = new Map<string, boolean>();
    for (const individual of individuals) {
      for (const shortYear of shortYears) {
        // 15 June exists in every year; the day moves only to find working check digits.
        const id = someNationalId(6, shortYear, individual);
        const expected = expectedYear(individual, shortYear) !== undefined && expectedYear(individual, shortYear)! <= 2026;
        expect(isNationalId(digitsOf(id), 11), `individual ${individual}, year ${shortYear}`).toBe(expected);
        verdicts.set(`${individual}/${shortYear}`, expected);
      }
    }
    // The table, spelled out at its edges.
    expect(verdicts.get('499/53')).toBe(true); // 1953
    expect(verdicts.get('500/53')).toBe(false); // 500–749 needs 54–99 (1854–1899) or 00–39
    expect(verdicts.get('500/54')).toBe(true); // 1854
    expect(verdicts.get('749/99')).toBe(true); // 1899
    expect(verdicts.get('750/54')).toBe(false); // 750–899 only for 2000–2039
    expect(verdicts.get('899/40')).toBe(false);
    expect(verdicts.get('899/20')).toBe(true); // 2020
    expect(verdicts.get('900/40')).toBe(true); // 1940
    expect(verdicts.get('999/39')).toBe(false); // 2039: not born yet
    expect(verdicts.get('999/20')).toBe(true); // 2020
    expect(verdicts.get('0/0')).toBe(true); // 1900
  });

  it('property: any written date, D/H offset, year and individual number is judged as the rules say', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 13 }),
        fc.constantFrom(0, 40),
        fc.constantFrom(0, 0, 40),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999 }),
        (day, month, dayOffset, monthOffset, shortYear, individual) => {
          const id = withCheckDigits(day + dayOffset, month + monthOffset, shortYear, individual);
          fc.pre(id !== undefined);
          const expected = expectNationalId(day + dayOffset, month + monthOffset, shortYear, individual, NOW);
          expect(isNationalId(digitsOf(id!), 11)).toBe(expected);
          if (expected) expect(kindOf(id!)).toBe('national_id');
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('property: every real past date of every century makes a national id with each individual number the table allows', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const ranges = [
      { years: [1854, 1899], individuals: [500, 749] },
      { years: [1900, 1999], individuals: [0, 499] },
      { years: [1940, 1999], individuals: [900, 999] },
      { years: [2000, 2025], individuals: [500, 999] },
    ] as const;
    const birth = fc
      .constantFrom(...ranges)
      .chain(({ years, individuals }) =>
        fc.tuple(
          fc.date({ min: new Date(Date.UTC(years[0], 0, 1)), max: new Date(Date.UTC(years[1], 11, 31)), noInvalidDate: true }),
          fc.integer({ min: individuals[0], max: individuals[1] }),
          fc.constantFrom('fødselsnummer', 'D-number', 'H-number'),
        ),
      );
    fc.assert(
      fc.property(birth, ([date, individual, form]) => {
        const day = date.getUTCDate() + (form === 'D-number' ? 40 : 0);
        const month = date.getUTCMonth() + 1 + (form === 'H-number' ? 40 : 0);
        const id = withCheckDigits(day, month, date.getUTCFullYear() % 100, individual);
        fc.pre(id !== undefined);
        expect(kindOf(id!)).toBe('national_id');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('national ids: real dates only', () => {
  it('29 February only in leap years of the century the individual number gives', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const cases: Array<[shortYear: number, individuals: readonly [number, number], leap: boolean, year: string]> = [
      [0, [0, 499], false, '1900: a century year not divisible by 400'],
      [0, [500, 999], true, '2000: divisible by 400'],
      [96, [0, 499], true, '1996'],
      [96, [900, 999], true, '1996'],
      [96, [500, 749], true, '1896'],
      [0, [500, 749], true, '2000 again: 500–749 with 00–39 is the 2000s'],
      [56, [500, 749], true, '1856'],
      [24, [750, 999], true, '2024'],
      [97, [0, 499], false, '1997'],
      [23, [500, 999], false, '2023'],
    ];
    for (const [shortYear, range, leap, year] of cases) {
      for (const form of [0, 40]) {
        const id = firstValid(29 + form, 2, shortYear, range);
        expect(isNationalId(digitsOf(id), 11), `29.02 of ${year}, ${form === 0 ? 'fødselsnummer' : 'D-number'} ${id.slice(6, 9)}`).toBe(leap);
        const dayBefore = firstValid(28 + form, 2, shortYear, range);
        expect(isNationalId(digitsOf(dayBefore), 11), `28.02 of ${year}`).toBe(true);
      }
    }
  });

  it('rejects days and months that do not exist, also as D- and H-numbers, and D and H together', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    for (const [day, month] of [
      [32, 1],
      [31, 4],
      [30, 2],
      [0, 5],
      [10, 13],
      [10, 0],
      [40, 5], // not a D-number: day 40
      [72, 1], // D-number of day 32
      [71, 4], // D-number of 31 April
      [10, 53], // H-number of month 13
      [10, 40], // not an H-number: month 40
      [50, 45], // D and H at once
    ] as const) {
      for (let individual = 100; individual < 160; individual++) {
        const id = withCheckDigits(day, month, 90, individual);
        if (id !== undefined) expect(isNationalId(digitsOf(id), 11), `${day}.${month}.90`).toBe(false);
      }
    }
    // The largest real values of each form.
    expect(kindOf(firstValid(31, 12, 90, [0, 499]))).toBe('national_id');
    expect(kindOf(firstValid(71, 1, 90, [0, 499]))).toBe('national_id'); // 31 January, D-number
    expect(kindOf(firstValid(30, 52, 90, [0, 499]))).toBe('national_id'); // 30 December, H-number
    expect(kindOf(firstValid(41, 1, 90, [0, 499]))).toBe('national_id'); // 1 January, D-number
  });
});

describe('national ids: no birth date in the future', () => {
  /** An id born on the date with an individual number of the 2000s (500–999). */
  const bornOn = (day: number, month: number, shortYear: number, dayOffset = 0): string =>
    firstValid(day + dayOffset, month, shortYear, [500, 999]);

  it('today counts and tomorrow does not, today being the date where the day starts first (UTC+14)', () => {
    // 09:59 UTC is 23:59 in UTC+14: 1 December there still.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-01T09:59:59Z') });
    expect(kindOf(bornOn(1, 12, 26))).toBe('national_id');
    expect(isNationalId(digitsOf(bornOn(2, 12, 26)), 11)).toBe(false);
    expect(isNationalId(digitsOf(bornOn(2, 12, 26, 40)), 11)).toBe(false); // as a D-number too
    expect(isNationalId(digitsOf(bornOn(1, 1, 27)), 11)).toBe(false);
    // A second later it is 2 December in UTC+14.
    vi.setSystemTime(Date.parse('2026-12-01T10:00:00Z'));
    expect(kindOf(bornOn(2, 12, 26))).toBe('national_id');
    expect(isNationalId(digitsOf(bornOn(3, 12, 26)), 11)).toBe(false);
  });

  it('the clock is read when the number is classified: the same digits become a national id once the date has come', () => {
    const id = bornOn(15, 3, 30);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2030-03-14T00:00:00Z') });
    expect(kindOf(id)).not.toBe('national_id');
    vi.setSystemTime(Date.parse('2030-03-15T00:00:00Z'));
    expect(kindOf(id)).toBe('national_id');
  });

  it('with the real clock, a birth year of 2039 is in the future and one of 2001 is not', () => {
    expect(isNationalId(digitsOf(bornOn(1, 6, 39)), 11)).toBe(false);
    expect(isNationalId(digitsOf(bornOn(1, 6, 1)), 11)).toBe(true);
  });
});

describe('the other kinds', () => {
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

  it('an 11-digit number with right check digits but no real birth date is a bank account', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const unissued = someNationalId(6, 45, 800); // 800 with year 45: no century
    expect(isNationalId(digitsOf(unissued), 11)).toBe(false);
    expect(kindOf(unissued)).toBe('bank_account'); // K2 is the account's mod-11 check
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
});

describe('classification in the engine', () => {
  it('classifies digits of any script by their value', () => {
    expect(redact('ring ٩٨٧٦٥٤٣٢ nå').kinds).toEqual({ phone: 1 });
    expect(redact('tlf ９８ ７６ ５４ ３２').kinds).toEqual({ phone: 1 });
    const id = someNationalId(11, 75, 123);
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
