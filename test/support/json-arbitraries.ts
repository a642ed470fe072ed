/**
 * fast-check generators of JSON log lines written the many ways JSON can be written: numbers as
 * integers, decimals and exponents, strings with escapes for digits and separators (`\u0031`,
 * `\t`), white space anywhere, keys that redact to the same text, the usual time-stamp fields.
 */
import fc from 'fast-check';
import { chatText, formattedNumber } from './arbitraries.js';
import { dateTimeish, logText } from './keep-arbitraries.js';

/** A number's source text: integers, decimals, exponents, negative, long and short. */
export const numberText = fc.oneof(
  fc.integer({ min: -999, max: 99_999 }).map(String),
  fc.bigInt({ min: 1_000_000n, max: 99_999_999_999_999n }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^[0-9]{1,10}$/), fc.integer({ min: 0, max: 20 })).map(
    ([a, b, e]) => `${a}.${b}e${e}`,
  ),
  fc.tuple(fc.integer({ min: -9999, max: 9999 }), fc.stringMatching(/^[0-9]{1,8}$/)).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom('0', '-0', '0.5', '1E3', '1e-7', '1796111050864', '1796111050.864', '4798765432', '1.23456789e9'),
);

/** Write a string as a JSON string, escaping some characters that need no escape (digits too). */
const writeString = (text: string, escapes: readonly boolean[]): string => {
  const body = Array.from(text, (ch, k) => {
    if (escapes[k % escapes.length] !== true || ch.length > 1) return JSON.stringify(ch).slice(1, -1);
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${body.join('')}"`;
};

const stringValue = fc.oneof(chatText, logText, formattedNumber, dateTimeish, fc.string({ maxLength: 6 }));

const KEYS = ['msg', 'level', 'time', 'ts', 'timestamp', '@timestamp', 'req', 'headers', 'x-request-id', 'user', 'id', 'fnr ', 'a.b', '0', '1'];
const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('fnr ', 'tlf ', ''), formattedNumber).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
);

const space = fc.constantFrom('', '', '', ' ', '  ', '\t', '\r');
const escapes = fc.array(fc.boolean(), { minLength: 1, maxLength: 7 });

/** A JSON text as written (no line break inside), from `depth` levels of nesting at the most. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(stringValue, escapes).map(([text, marks]) => writeString(text, marks)),
    numberText,
    fc.constantFrom('true', 'false', 'null'),
    fc
      .array(fc.tuple(space, tie('value'), space), { maxLength: 4 })
      .map((items) => `[${items.map(([a, v, b]) => a + v + b).join(',')}]`),
    fc
      .uniqueArray(fc.tuple(key, escapes, space, tie('value'), space), { maxLength: 5, selector: ([k]) => k })
      .map((entries) => `{${entries.map(([k, marks, a, v, b]) => `${a}${writeString(k, marks)}${b}:${a}${v}${b}`).join(',')}}`),
  ),
})).value;

/** A JSON log line: mostly an object, with white space around it. */
export const jsonLine = fc.tuple(space, jsonText, space).map(([a, text, b]) => a + text + b);

/** Keep-field paths for generated lines: the defaults, nested ones, wildcards, or none. */
export const keepFieldsArb = fc.oneof(
  fc.constant(['time', 'timestamp', '@timestamp', 'ts']),
  fc.constant<string[]>([]),
  fc.array(fc.constantFrom('time', 'ts', 'req.headers.x-request-id', 'req.*', '*.id', 'user', '0', 'a.b', '*'), { maxLength: 3 }),
);
