/**
 * fast-check generators of realistic chat material: words in Norwegian and English, numbers in
 * every format the policy covers, digits of many scripts, every kind of separator, invisible and
 * bidi characters, line breaks, emoji. All numbers are generated: none is a real person's.
 */
import fc from 'fast-check';

/** Zero digits of scripts the widget may see (each begins a run of ten). */
export const DIGIT_ZEROS = [
  0x30, // ASCII
  0xff10, // full-width
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic
  0x0966, // Devanagari
  0x09e6, // Bengali
  0x0e50, // Thai
  0x1d7ce, // mathematical bold
  0x1d7ec, // mathematical monospace (astral)
  0x104a0, // Osmanya (astral)
] as const;

/** Every kind of separator of SPEC §1, compatibility forms and Arabic separators included. */
export const SEPARATORS = [
  ' ', '\t', '.', ',', '-', '/', '\u00a0', '\u2009', '\u202f', '\u2010', '\u2013', '\u2014',
  '\u2212', '\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\ufeff', '\u200e', '\u202a',
  '\u2066', '\ufe0f', '\u20e3', '\u0301', '\u{e0020}', '\u{1d165}',
  '\uff0c', '\uff0d', '\uff0e', '\uff0f', '\ufe50', '\ufe52', '\ufe58', '\ufe63', '\u2024',
  '\u060c', '\u066b', '\u066c', '\u066d', '\u3000', '\u061c',
  // The rest whose NFKC is a base separator (SPEC §1 read literally): vertical and sub/superscript forms.
  '\ufe10', '\ufe31', '\ufe32', '\u207b', '\u208b', '\uff9e', '\uff9f',
] as const;

export const LINE_BREAKS = ['\n', '\r\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'] as const;

const WORDS = [
  'hei', 'jeg', 'lurer', 'på', 'om', 'kan', 'få', 'utsettelse', 'betalingen', 'min', 'takk',
  'kontonummer', 'fødselsnummer', 'ring', 'meg', 'kr', 'faktura', 'hello', 'I', 'would', 'like',
  'to', 'pay', 'my', 'invoice', 'please', 'call', 'me', 'on', 'Ærlig', 'Øyvind', 'Åse', 'مرحبا',
  'Привет', '你好', '😀', '📞', '“takk”', '€', 'x', '#', '+', '(', ')', ':',
] as const;

export const digitOf = (zero: number, value: number): string => String.fromCodePoint(zero + value);

/** A digit of any listed script. */
export const digitChar = fc
  .tuple(fc.constantFrom(...DIGIT_ZEROS), fc.integer({ min: 0, max: 9 }))
  .map(([zero, value]) => digitOf(zero, value));

export const separatorChar = fc.constantFrom(...SEPARATORS);

/** A run of `0..maxRun` separators. */
export const gap = (maxRun: number): fc.Arbitrary<string> =>
  fc.array(separatorChar, { maxLength: maxRun }).map((s) => s.join(''));

/**
 * A number as people write it: digits of one script (sometimes mixed), in groups joined by gaps
 * that are mostly within the default limit and sometimes past it.
 */
export const formattedNumber = fc
  .record({
    zero: fc.constantFrom(...DIGIT_ZEROS),
    mixed: fc.boolean(),
    groups: fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }), {
      minLength: 1,
      maxLength: 6,
    }),
    gaps: fc.array(gap(4), { minLength: 6, maxLength: 6 }),
    scripts: fc.array(fc.constantFrom(...DIGIT_ZEROS), { minLength: 40, maxLength: 40 }),
  })
  .map(({ zero, mixed, groups, gaps, scripts }) => {
    let k = 0;
    return groups
      .map((group, g) => {
        const digits = group.map((v) => digitOf(mixed ? scripts[k++ % scripts.length]! : zero, v)).join('');
        return g === 0 ? digits : gaps[g - 1]! + digits;
      })
      .join('');
  });

/** Any single piece of chat text. */
export const chatPiece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: formattedNumber },
  { weight: 2, arbitrary: separatorChar },
  { weight: 1, arbitrary: fc.constantFrom(...LINE_BREAKS) },
  { weight: 1, arbitrary: digitChar },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) }, // lone surrogates too
);

/** A chat message or transcript: pieces joined by spaces or nothing. */
export const chatText = fc
  .array(fc.tuple(chatPiece, fc.constantFrom(' ', '', ' ', '\n')), { maxLength: 40 })
  .map((parts) => parts.map(([piece, joiner]) => piece + joiner).join(''));

/** Text with no digit at all (so nothing may change). */
export const digitFreeText = chatText.map((text) =>
  Array.from(text)
    .filter((ch) => !/\p{Nd}/u.test(ch))
    .join(''),
);

/** A valid policy. */
export const policyArb = fc.record({
  minDigits: fc.integer({ min: 2, max: 20 }),
  maxGap: fc.integer({ min: 0, max: 8 }),
  replacement: fc.constantFrom('', '***', '[fjernet]', ' ', '-', '\u200b', '🔒'),
});

/** Arbitrary cut points: any natural numbers, taken modulo the length of what is cut. */
export const rawCuts = (maxLength = 10): fc.Arbitrary<number[]> => fc.array(fc.nat(), { maxLength });

/**
 * Cut `value` (a string, or bytes) at the given points, each taken modulo `length + 1`: chunks
 * in order, empty ones included, inside surrogate pairs and UTF-8 sequences too.
 */
export function cutAt<T extends { slice(start: number, end?: number): T; length: number }>(
  value: T,
  cuts: readonly number[],
): T[] {
  const points = [...new Set(cuts.map((c) => c % (value.length + 1)))].sort((a, b) => a - b);
  const chunks: T[] = [];
  let at = 0;
  for (const point of [...points, value.length]) {
    chunks.push(value.slice(at, point));
    at = point;
  }
  return chunks;
}

/** Push every chunk through a string redactor and end it: the whole output. */
export function streamThrough(redactor: { push(chunk: string): string; end(): string }, chunks: readonly string[]): string {
  return chunks.map((chunk) => redactor.push(chunk)).join('') + redactor.end();
}

/**
 * Dense adversarial text: digits of several scripts packed among Latin-1 and other separators,
 * letters of scripts near the digit blocks, emoji, line breaks and lone surrogates — where the
 * scanner's fast paths meet its exact walk.
 */
export const denseText = fc
  .array(
    fc.constantFrom(
      '1', '2', '7', '0', '٣', '９', '\u{1d7d9}', '\u{104a3}', ' ', '.', '-', '\u00a0', '\u00ad', '\u200b',
      '\u2009', '\u0301', '\u{e0020}', 'a', 'क', 'ก', '😀', '\n', '€', '\ud835', '\udfce',
    ),
    { maxLength: 60 },
  )
  .map((chars) => chars.join(''));

/** The zero of every script's run of ten digits (General Category `Nd`), astral ones included. */
export const EVERY_DIGIT_ZERO: readonly number[] = (() => {
  const zeros: number[] = [];
  const isDigit = (cp: number): boolean => /^\p{Nd}$/u.test(String.fromCodePoint(cp));
  for (let cp = 0; cp < 0x20000; cp++) if (isDigit(cp) && !isDigit(cp - 1)) for (let z = cp; isDigit(z); z += 10) zeros.push(z);
  return zeros;
})();

/** A digit of any script Unicode has. */
export const anyScriptDigit = fc
  .tuple(fc.constantFrom(...EVERY_DIGIT_ZERO), fc.integer({ min: 0, max: 9 }))
  .map(([zero, value]) => digitOf(zero, value));

/** Halves of astral digits and letters, alone: what a lone surrogate attack is built from. */
export const SURROGATE_HALVES = ['\ud835', '\udfce', '\udfcf', '\udfd7', '\ud801', '\udca0', '\ud83d', '\ude00'] as const;

/**
 * Hostile text: digit runs of every script, every separator, lone surrogate halves placed to join
 * across a deleted number, combining marks and variation selectors after digits, bidi controls,
 * line breaks — the material of the smuggling attacks of issue 19.
 */
export const hostileText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...SURROGATE_HALVES) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }).map((n) => '1234567890'.slice(0, n)) },
      { weight: 3, arbitrary: anyScriptDigit },
      { weight: 3, arbitrary: separatorChar },
      { weight: 1, arbitrary: fc.constantFrom(...LINE_BREAKS) },
      { weight: 1, arbitrary: fc.constantFrom('a', 'ب', '😀', '\u202e', '\u2067', '\ufe0e', '\u20e3', '\u0308', '\ufffd') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    ),
    { maxLength: 50 },
  )
  .map((parts) => parts.join(''));

/**
 * Text a stream's pass-over may return as it is: letters, emoji, spaces, a short number that ends
 * inside it.
 */
export const quietText = fc
  .array(fc.constantFrom('hei', 'ring', ' ', 'Ærlig', '😀', '📞', 'Привет', '\n', '€', 'x', '12', '345 ', '6.', ':'), { maxLength: 6 })
  .map((parts) => parts.join(''));

/** Bytes that are not UTF-8: stray continuation bytes, lead bytes without their tail, overlongs, surrogates. */
const ILL_FORMED_BYTES = [
  [0x80], [0xbf], [0xc0, 0xaf], [0xc1], [0xd9], [0xa1], [0xe0, 0x80, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0xb5],
  [0xed, 0xbf, 0x8f], [0xf0, 0x9d], [0xf0, 0x9d, 0x9f], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xfe], [0xff],
] as const;

/** Hostile bytes: the UTF-8 of hostile text with ill-formed sequences among it. */
export const hostileBytes = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: hostileText.map((text) => Buffer.from(text, 'utf8')) },
      { weight: 2, arbitrary: fc.constantFrom(...ILL_FORMED_BYTES).map((bytes) => Buffer.from(bytes)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }).map((bytes) => Buffer.from(bytes)) },
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));

/** One ill-formed UTF-8 sequence. */
export const illFormedBytes = fc.constantFrom(...ILL_FORMED_BYTES).map((bytes) => Buffer.from(bytes));

const utf8Of = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * Byte chunks for the byte path's pass-over: quiet text (which it may return as it is) between
 * chunks it must not — digits of every script, separators that join a number across chunks,
 * ill-formed sequences, hostile bytes — as UTF-8.
 */
export const streamedByteChunk = fc.oneof(
  { weight: 4, arbitrary: quietText.map(utf8Of) },
  { weight: 2, arbitrary: anyScriptDigit.map(utf8Of) },
  { weight: 2, arbitrary: fc.array(anyScriptDigit, { minLength: 1, maxLength: 6 }).map((digits) => utf8Of(digits.join(''))) },
  { weight: 2, arbitrary: separatorChar.map(utf8Of) },
  { weight: 2, arbitrary: illFormedBytes },
  { weight: 1, arbitrary: fc.tuple(quietText, anyScriptDigit).map(([quiet, digit]) => utf8Of(quiet + digit)) },
  { weight: 1, arbitrary: fc.tuple(anyScriptDigit, quietText).map(([digit, quiet]) => utf8Of(digit + quiet)) },
  // ASCII digits and a gap that may go on in the next chunk: no finder candidate, an open tail.
  {
    weight: 2,
    arbitrary: fc
      .tuple(quietText, fc.integer({ min: 1, max: 6 }), fc.array(separatorChar, { minLength: 1, maxLength: 4 }))
      .map(([quiet, digits, separators]) => utf8Of(quiet + '1234567890'.slice(0, digits) + separators.join(''))),
  },
  { weight: 2, arbitrary: hostileBytes },
);
