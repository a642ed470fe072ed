/**
 * The inputs of `npm run bench:hostile` (invariant 9): benign text as SPEC §1 defines it — chat as
 * a bank's customers write it, with amounts, dates and formatted phone, account and national id
 * numbers in most lines — and each hostile family, cut to the same size. All numbers synthetic.
 *
 * @module
 */
import { createRandom, sensitiveNumber } from '../corpus.js';

/** @template T @param {() => number} random @param {readonly T[]} items @returns {T} */
const pick = (random, items) => /** @type {T} */ (items[Math.floor(random() * items.length)]);
/** @param {() => number} random @param {number} min @param {number} max inclusive */
const between = (random, min, max) => min + Math.floor(random() * (max - min + 1));

/** @type {ReadonlyArray<(random: () => number) => string>} */
const BANK_LINES = [
  (r) => `Jeg skylder ${between(r, 1, 9)} ${String(between(r, 0, 999)).padStart(3, '0')} ${String(between(r, 0, 999)).padStart(3, '0')},00 kr, kan jeg dele det opp?`,
  (r) => `Forfall ${String(between(r, 1, 28)).padStart(2, '0')}.${String(between(r, 1, 12)).padStart(2, '0')}.${between(r, 2027, 2030)}, men lønna kommer først den ${between(r, 15, 25)}.`,
  (r) => `Fødselsnummeret mitt er ${sensitiveNumber(r)}, kan dere sjekke saken?`,
  (r) => `Kontonummer ${sensitiveNumber(r)}, beløpet er ${between(r, 100, 9999)} kr.`,
  (r) => `Ring meg på ${sensitiveNumber(r)} etter kl ${between(r, 15, 20)}.00`,
  (r) => `Jeg betalte ${between(r, 1, 20)} ${String(between(r, 0, 999)).padStart(3, '0')} kr den ${between(r, 1, 28)}.${between(r, 1, 12)}. Hvorfor står det ubetalt?`,
  (r) => `Kortet mitt ${sensitiveNumber(r)} ble avvist i går.`,
  (r) => `Saksnummer ${between(r, 10000, 99999)}, avdrag ${between(r, 500, 5000)} kr i måneden fra ${String(between(r, 1, 28)).padStart(2, '0')}.${String(between(r, 1, 12)).padStart(2, '0')}.${between(r, 2027, 2030)}.`,
  () => 'Hei, jeg fikk et inkassovarsel og forstår ikke hva det gjelder.',
  () => 'Takk for hjelpen, ha en fin dag!',
];

/**
 * Benign text of at least `bytes` UTF-8 bytes: lines of a bank's chat, most with a number.
 * @param {number} bytes
 * @returns {string}
 */
export function benignText(bytes) {
  const random = createRandom(0xb4_2c);
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const line = pick(random, BANK_LINES)(random);
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `unit` repeated to at least `bytes` UTF-8 bytes, as one line per `lineBytes` (0: one line).
 * @param {string} unit @param {number} bytes @param {number} [lineBytes]
 */
function repeatTo(unit, bytes, lineBytes = 0) {
  const unitBytes = Buffer.byteLength(unit);
  if (lineBytes === 0) return unit.repeat(Math.ceil(bytes / unitBytes));
  const line = unit.repeat(Math.max(1, Math.floor(lineBytes / unitBytes)));
  return `${line}\n`.repeat(Math.ceil(bytes / (Buffer.byteLength(line) + 1)));
}

/**
 * Periods of 1–8 code units that are the scanner's worst: each begins a candidate for the finders
 * (an ASCII digit followed by what the finders' coarse gap admits, a digit of another script, an
 * astral digit) and ends it at once, or keeps a combination open just short of `minDigits`.
 */
const PERIODS = [
  '1', // k = 1: one digit run
  '1\ufffd', // k = 2: a candidate per digit for the finders, no combination
  '\u0661a', // k = 2: an Arabic-Indic digit, a candidate for every finder
  '12\u00a0', // k = 3
  '𝟏𝟐x', // k = 5 (UTF-16 units): astral digits
  '123456a', // k = 7: one digit short of a combination
  '1 2 3 a', // k = 7: digits and separators, six short
  '123 456\n', // k = 8: two groups and a line break
];

/**
 * The hostile text families, each to at least `bytes` UTF-8 bytes.
 * @param {number} bytes
 * @returns {Array<{ family: string, text: string }>}
 */
export function hostileTexts(bytes) {
  return [
    { family: 'digit run (ASCII)', text: repeatTo('1', bytes, 4096) },
    { family: 'digit run (Arabic-Indic)', text: repeatTo('\u0661', bytes, 4096) },
    ...PERIODS.map((unit) => ({ family: `period ${unit.length}: ${JSON.stringify(unit)}`, text: repeatTo(unit, bytes, 4096) })),
    { family: 'lone surrogates around digits', text: repeatTo('\ud835' + '1234567' + '\udfcf', bytes, 4096) },
    { family: 'lone surrogates alone', text: repeatTo('\ud835a', bytes, 4096) },
    { family: 'long line (benign, no line break)', text: benignText(bytes).replaceAll('\n', ' ') },
  ];
}

/**
 * The hostile JSON-lines families (the CLI's --json and the stream route's format=json), each to
 * at least `bytes` bytes, and benign JSON lines of a bank's chat log of the same size.
 * @param {number} bytes
 * @returns {{ benign: string, families: Array<{ family: string, text: string }> }}
 */
export function hostileJsonLines(bytes) {
  // The chat's lines as pino lines until they are as large as a family (the text's lines in JSON
  // grow to about twice their size: all of them would make benign twice a family's size).
  const benignLines = [];
  let benignBytes = 0;
  for (const msg of benignText(bytes).split('\n')) {
    if (benignBytes >= bytes) break;
    if (msg === '') continue;
    const line = JSON.stringify({ level: 30, time: 1796111050864 + benignLines.length, msg, user: { id: 4798765432 + benignLines.length } });
    benignLines.push(line);
    benignBytes += Buffer.byteLength(line) + 1;
  }
  const benign = benignLines.join('\n');
  /** One line of `count` keys that all redact to `"fnr "`. */
  const collidingLine = (count) => `{${Array.from({ length: count }, (_, k) => `"fnr ${1_000_000 + k}":${k % 10}`).join(',')}}`;
  const colliding = Array.from({ length: Math.max(1, Math.ceil(bytes / (28 * 1024))) }, () => collidingLine(1_800)).join('\n');
  const depth = 60;
  const nestedLine = `${'{"98765432":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return {
    benign: `${benign}\n`,
    families: [
      { family: 'colliding keys (28 KB lines)', text: `${colliding}\n` },
      { family: 'deep nesting (60 levels, keys redacted)', text: repeatTo(nestedLine, bytes, nestedLine.length) },
      { family: 'deep nesting (1 MiB of [)', text: `${'['.repeat(bytes)}\n` },
      { family: 'lone surrogate escapes', text: repeatTo(String.raw`{"m":"\ud835` + '1234567' + String.raw`\udfcf"}`, bytes, 40) },
    ],
  };
}
