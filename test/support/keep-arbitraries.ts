/**
 * fast-check generators for what a policy keeps on purpose: allow-lists made from the numbers of
 * a text (exact, rewritten, a digit off, a digit more or less), date-times of every recognised
 * format with fields in and out of range, and log-like text that joins digits to them. All
 * numbers are generated.
 */
import fc from 'fast-check';
import { DIGIT_ZEROS, chatText, digitOf, formattedNumber, separatorChar } from './arbitraries.js';
import { digitsOf, findCombinations } from './reference.js';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** Mostly in range, sometimes just past it (month 13, day 32, hour 24, minute 60, second 61). */
const field = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: max + 2 }) });

const time = fc
  .tuple(field(0, 23), field(0, 59), field(0, 60))
  .map(([h, m, s]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`);

const fraction = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('.', ','), fc.integer({ min: 1, max: 12 }), fc.nat()).map(([mark, n, seed]) =>
    mark + String(seed).padStart(n, '7').slice(0, n),
  ),
);

const offset = fc.oneof(
  fc.constantFrom('', 'Z', 'z', '+01:00', '-05:00', '+0530', '-0500', '-08', ' +0000', ' -0700', '+24:00', '-05:61', '+1'),
);

/** ISO 8601 / RFC 3339 with a time, and year-first slashes; sometimes with mixed date separators. */
const isoDateTime = fc
  .record({
    year: fc.integer({ min: 1850, max: 2099 }),
    month: field(1, 12),
    day: field(1, 31),
    separators: fc.constantFrom(['-', '-'], ['/', '/'], ['-', '/']),
    between: fc.constantFrom('T', 't', ' ', '  ', '_'),
    time,
    fraction,
    offset,
  })
  .map(
    (d) =>
      `${pad(d.year, 4)}${d.separators[0]}${pad(d.month, 2)}${d.separators[1]}${pad(d.day, 2)}${d.between}${d.time}${d.fraction}${d.offset}`,
  );

const syslogDateTime = fc
  .tuple(fc.constantFrom(...MONTH_NAMES, 'Dez'), field(1, 31), fc.boolean(), time)
  .map(([month, day, padded, t]) => `${month} ${padded && day < 10 ? ` ${day}` : pad(day, 2)} ${t}`);

const commonLogDateTime = fc
  .tuple(field(1, 31), fc.constantFrom(...MONTH_NAMES), fc.integer({ min: 1990, max: 2099 }), time, fc.constantFrom('', ' +0000', ' -0500', ' +2500'))
  .map(([day, month, year, t, zone]) => `${pad(day, 2)}/${month}/${year}:${t}${zone}`);

/** Not complete date-times: bare dates, dates with the time to the minute. */
const notDateTime = fc.oneof(
  fc.tuple(fc.integer({ min: 1900, max: 2030 }), field(1, 12), field(1, 31)).map(([y, m, d]) => `${y}-${pad(m, 2)}-${pad(d, 2)}`),
  fc.tuple(field(1, 31), field(1, 12), fc.integer({ min: 1900, max: 2030 })).map(([d, m, y]) => `${pad(d, 2)}.${pad(m, 2)}.${y}`),
  fc.tuple(fc.integer({ min: 1900, max: 2030 }), field(1, 12), field(1, 31), field(0, 23)).map(
    ([y, m, d, h]) => `${y}-${pad(m, 2)}-${pad(d, 2)} ${pad(h, 2)}:30`,
  ),
);

/** A date-time of any recognised format, or something close to one. */
export const dateTimeish = fc.oneof(
  { weight: 4, arbitrary: isoDateTime },
  { weight: 2, arbitrary: syslogDateTime },
  { weight: 2, arbitrary: commonLogDateTime },
  { weight: 2, arbitrary: notDateTime },
);

/** Text of log lines: chat pieces, numbers and date-times, sometimes joined to each other by a separator. */
export const logText = fc
  .array(
    fc.tuple(
      fc.oneof({ weight: 3, arbitrary: dateTimeish }, { weight: 2, arbitrary: formattedNumber }, { weight: 2, arbitrary: chatText }),
      fc.oneof(fc.constantFrom(' ', '', '\n', ' | ', '"'), separatorChar),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.map(([piece, joiner]) => piece + joiner).join(''));

/** Write `digits` (0–9 as a string) in another script and with other punctuation, as a person might. */
const rewrite = (digits: string, zero: number, joiner: string): string =>
  Array.from(digits, (d, k) => (k > 0 && k % 2 === 0 ? joiner : '') + digitOf(zero, Number(d))).join('');

/** Change a number's digits a little: one digit off, one more, one less. */
const nearMiss = (digits: string, pick: number): string => {
  const at = pick % digits.length;
  const variants = [
    digits.slice(0, at) + String((Number(digits[at]) + 1) % 10) + digits.slice(at + 1),
    `${digits}${pick % 10}`,
    `${pick % 10}${digits}`,
    digits.slice(1),
    digits.slice(0, -1),
  ];
  return variants[pick % variants.length]!;
};

/**
 * An allow-list for `text`: some of its numbers as they are, rewritten, or a little off (so that
 * the near misses must be deleted), and unrelated numbers. Entries have 2 to 64 digits (a number of the text has at most 63, so a digit more still fits).
 */
export const allowListFor = (text: string, maxGap: number): fc.Arbitrary<string[]> => {
  const numbers = findCombinations(text, maxGap)
    .map((span) => span.digits.join(''))
    .filter((digits) => digits.length >= 2 && digits.length < 64);
  const fromText = numbers.length === 0 ? fc.constant<string[]>([]) : fc.array(fc.constantFrom(...numbers), { maxLength: 4 });
  return fc
    .tuple(fromText, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), fc.array(fc.stringMatching(/^[0-9]{2,20}$/), { maxLength: 2 }))
    .chain(([chosen, picks, unrelated]) =>
      fc
        .tuple(fc.constantFrom(...DIGIT_ZEROS), fc.constantFrom(' ', '.', '-', '', '\u00a0'))
        .map(([zero, joiner]) => [
          ...chosen.map((digits, k) => {
            const pick = picks[k] ?? 0;
            if (pick % 3 === 0) return rewrite(digits, zero, joiner);
            if (pick % 3 === 1) return nearMiss(digits, pick).padEnd(2, '0');
            return digits;
          }),
          ...unrelated,
        ]),
    );
};

/** The digit strings of an allow-list, as the policy folds them. */
export const allowedDigits = (entries: readonly string[]): Set<string> => new Set(entries.map(digitsOf));
