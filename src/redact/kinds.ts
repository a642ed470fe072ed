/**
 * What a deleted number combination most likely was, for the `kind` label of the metrics.
 *
 * The classifier sees only the digit values (folded to 0–9) and how many there were; it never
 * sees, keeps or returns the digits themselves beyond the call. The one other thing it reads is
 * the clock, for national ids born in the 2000s: a birth date after today is no national id.
 *
 * @module
 */

/**
 * The kinds of deleted combinations, in the order they are tried.
 *
 * @example
 * ```ts
 * const { kinds } = redact('kort 4111 1111 1111 1111');
 * for (const kind of KINDS) console.log(kind, kinds[kind] ?? 0); // payment_card 1, the rest 0
 * ```
 */
export const KINDS = ['national_id', 'bank_account', 'payment_card', 'org_number', 'date', 'phone', 'other'] as const;

/**
 * One of {@link KINDS}.
 *
 * @example
 * ```ts
 * const kind: Kind = 'phone';
 * ```
 */
export type Kind = (typeof KINDS)[number];

/**
 * Counts of deletions by kind; kinds with no deletion are absent.
 *
 * @example
 * ```ts
 * const counts: KindCounts = redact('fnr 01019012345, tlf 98765432').kinds; // e.g. { phone: 1, other: 1 }
 * ```
 */
export type KindCounts = Partial<Record<Kind, number>>;

/** A streaming classifier needs at most this many leading digits (the longest payment card). */
export const CLASSIFY_DIGITS = 19;

const NATIONAL_ID_LENGTH = 11;
const PHONE_LENGTH = 8;
const PHONE_WITH_COUNTRY_LENGTH = 10;
const PHONE_WITH_PREFIX_LENGTH = 12;
const CARD_MIN_LENGTH = 13;
const CARD_MAX_LENGTH = 19;
const ORG_NUMBER_LENGTH = 9;
/** Weights of a Brønnøysund organisation number's check digit over its first eight digits. */
const ORG_NUMBER_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;
const DATE_LENGTH = 8;
/** Years a `date` kind may have. */
const DATE_YEARS = [1900, 2099] as const;
const MOD11 = 11;
/** Weights of the first (K1) and second (K2) fødselsnummer check digits. */
const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
/** Weights of K2 of a fødselsnummer, and of a Norwegian bank account's check digit. */
const MOD11_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
/** D-numbers add 40 to the day, H-numbers 40 to the month. */
const D_H_OFFSET = 40;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const FEBRUARY = 2;
const LEAP_FEBRUARY_DAYS = 29;
const MONTHS = 12;
/** Digit positions (0-based) of the birth date's day, month and year, and of the individual number. */
const DAY_AT = 0;
const MONTH_AT = 2;
const YEAR_AT = 4;
const INDIVIDUAL_AT = 6;

/**
 * The national registry's individual number (digits 7–9) → century rules: an individual-number
 * range and a two-digit-year range, and the century they give. A pair in no row is no national id.
 */
const CENTURY_RULES = [
  { individual: [0, 499], year: [0, 99], century: 1900 },
  { individual: [500, 749], year: [54, 99], century: 1800 },
  { individual: [500, 999], year: [0, 39], century: 2000 },
  { individual: [900, 999], year: [40, 99], century: 1900 },
] as const;
const NO_CENTURY = -1;
/** The only century whose dates can lie in the future; the clock is read for it alone. */
const CURRENT_CENTURY = 2000;
/**
 * UTC+14 (the Line Islands) is the first time zone to reach a date. A birth date is in the
 * future only while it is still to come there, so a child born today in Norway is never taken
 * for unborn, whatever the server's time zone.
 */
const EARLIEST_ZONE_AHEAD_MS = 14 * 60 * 60 * 1000;

function weightedSum(digits: ArrayLike<number>, weights: readonly number[]): number {
  let sum = 0;
  for (let k = 0; k < weights.length; k++) sum += (digits[k] ?? 0) * (weights[k] ?? 0);
  return sum;
}

/** Mod-11 check digit of a fødselsnummer: (11 − S mod 11) mod 11, or -1 where it would be 10. */
function nationalIdCheck(sum: number): number {
  const check = (MOD11 - (sum % MOD11)) % MOD11;
  return check === 10 ? -1 : check;
}

function twoDigits(digits: ArrayLike<number>, at: number): number {
  return (digits[at] ?? 0) * 10 + (digits[at + 1] ?? 0);
}

/** The century of the birth year, or {@link NO_CENTURY} for a pair the registry never issues. */
function centuryOf(individual: number, shortYear: number): number {
  // Indexed reads, not destructuring: array destructuring runs the iterator protocol per row.
  for (let k = 0; k < CENTURY_RULES.length; k++) {
    const rule = CENTURY_RULES[k]!;
    if (individual >= rule.individual[0] && individual <= rule.individual[1] && shortYear >= rule.year[0] && shortYear <= rule.year[1]) {
      return rule.century;
    }
  }
  return NO_CENTURY;
}

/** Gregorian leap years: every fourth, but of the century years only those divisible by 400. */
function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(month: number, year: number): number {
  return month === FEBRUARY && isLeapYear(year) ? LEAP_FEBRUARY_DAYS : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** "Now" is the clock when the combination is classified. */
function isInFuture(year: number, month: number, day: number): boolean {
  return Date.UTC(year, month - 1, day) > Date.now() + EARLIEST_ZONE_AHEAD_MS;
}

/**
 * `true` when digits 1–9 hold a real birth date: day and month (one of them + 40 for D- and
 * H-numbers), a century the individual number allows, a day that exists in that year's month,
 * and not in the future.
 */
function hasRealBirthDate(digits: ArrayLike<number>): boolean {
  let day = twoDigits(digits, DAY_AT);
  let month = twoDigits(digits, MONTH_AT);
  const isDNumber = day > D_H_OFFSET;
  const isHNumber = month > D_H_OFFSET;
  if (isDNumber && isHNumber) return false;
  if (isDNumber) day -= D_H_OFFSET;
  if (isHNumber) month -= D_H_OFFSET;
  if (month < 1 || month > MONTHS || day < 1) return false;
  const shortYear = twoDigits(digits, YEAR_AT);
  const individual = twoDigits(digits, INDIVIDUAL_AT) * 10 + (digits[INDIVIDUAL_AT + 2] ?? 0);
  const century = centuryOf(individual, shortYear);
  if (century === NO_CENTURY || day > daysInMonth(month, century + shortYear)) return false;
  return century !== CURRENT_CENTURY || !isInFuture(century + shortYear, month, day);
}

/**
 * `true` for a valid Norwegian fødselsnummer, D-number or H-number: a real birth date and both
 * mod-11 check digits right.
 *
 * @param digits - the 11 digit values, each 0–9
 * @param count - how many digits the combination had
 * @example
 * ```ts
 * isNationalId([0, 1, 0, 1, 9, 0, 1, 2, 3, 4, 5], 11); // false: its check digits are wrong
 * ```
 */
export function isNationalId(digits: ArrayLike<number>, count: number): boolean {
  if (count !== NATIONAL_ID_LENGTH || !hasRealBirthDate(digits)) return false;
  const k1 = nationalIdCheck(weightedSum(digits, K1_WEIGHTS));
  if (k1 < 0 || k1 !== digits[9]) return false;
  const k2 = nationalIdCheck(weightedSum(digits, MOD11_WEIGHTS));
  return k2 >= 0 && k2 === digits[10];
}

/** `true` for an 11-digit Norwegian bank account number with a right mod-11 check digit. */
export function isBankAccount(digits: ArrayLike<number>, count: number): boolean {
  if (count !== NATIONAL_ID_LENGTH) return false;
  const remainder = weightedSum(digits, MOD11_WEIGHTS) % MOD11;
  if (remainder === 1) return false; // the check digit would be 10: no such account
  const check = remainder === 0 ? 0 : MOD11 - remainder;
  return check === digits[10];
}

/** `true` when the digits pass the Luhn check (payment cards). */
export function isLuhnValid(digits: ArrayLike<number>, count: number): boolean {
  let sum = 0;
  for (let k = count - 1, double = false; k >= 0; k--, double = !double) {
    let value = digits[k] ?? 0;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return sum % 10 === 0;
}

/**
 * `true` for a Brønnøysund organisation number: 9 digits starting 8 or 9, the last the MOD11
 * check of the first eight (K = 11 − S mod 11, 11 → 0, 10 = no number).
 *
 * @example
 * ```ts
 * isOrgNumber([9, 2, 3, 6, 0, 9, 0, 1, 6], 9); // true
 * ```
 */
export function isOrgNumber(digits: ArrayLike<number>, count: number): boolean {
  if (count !== ORG_NUMBER_LENGTH || (digits[0] ?? 0) < 8) return false;
  const check = MOD11 - (weightedSum(digits, ORG_NUMBER_WEIGHTS) % MOD11);
  return check !== 10 && check % MOD11 === digits[ORG_NUMBER_LENGTH - 1];
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= DATE_YEARS[0] && year <= DATE_YEARS[1] && month >= 1 && month <= MONTHS && day >= 1 && day <= daysInMonth(month, year);
}

/**
 * `true` for 8 digits that read as a date that exists, day-month-year (`24122025`) or
 * year-month-day (`20251224`), years 1900–2099: `24.12.2025` is counted as a date, never a phone.
 */
function isDate(digits: ArrayLike<number>, count: number): boolean {
  if (count !== DATE_LENGTH) return false;
  const yearLast = twoDigits(digits, 4) * 100 + twoDigits(digits, 6);
  if (isRealDate(yearLast, twoDigits(digits, 2), twoDigits(digits, 0))) return true;
  return isRealDate(twoDigits(digits, 0) * 100 + twoDigits(digits, 2), twoDigits(digits, 4), twoDigits(digits, 6));
}

function isPhone(digits: ArrayLike<number>, count: number): boolean {
  const first = digits[0] ?? 0;
  if (count === PHONE_LENGTH) return first >= 2;
  if (count === PHONE_WITH_COUNTRY_LENGTH) return first === 4 && digits[1] === 7;
  if (count === PHONE_WITH_PREFIX_LENGTH) {
    return first === 0 && digits[1] === 0 && digits[2] === 4 && digits[3] === 7;
  }
  return false;
}

/**
 * Classify a deleted combination by its digits.
 *
 * @param digits - the values of its first digits (at least `min(count, 19)` of them), each 0–9
 * @param count - how many digits the combination had in all
 * @example
 * ```ts
 * classifyDigits([9, 8, 7, 6, 5, 4, 3, 2], 8); // 'phone'
 * ```
 */
export function classifyDigits(digits: ArrayLike<number>, count: number): Kind {
  if (isNationalId(digits, count)) return 'national_id';
  if (isBankAccount(digits, count)) return 'bank_account';
  if (count >= CARD_MIN_LENGTH && count <= CARD_MAX_LENGTH && isLuhnValid(digits, count)) {
    return 'payment_card';
  }
  if (isOrgNumber(digits, count)) return 'org_number';
  if (isDate(digits, count)) return 'date';
  if (isPhone(digits, count)) return 'phone';
  return 'other';
}
