/**
 * The tokens of a JSON text (RFC 8259), read in place: where each string, number or literal
 * ends, or -1 where the text is no valid token. Each step is a `charCodeAt` loop or an
 * `indexOf`; nothing is allocated unless a string holds escapes.
 *
 * @module
 */

export const QUOTE = 0x22;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LITERALS = ['true', 'false', 'null'] as const;
/** What a string may not hold raw (RFC 8259 §7): control characters. */
const CONTROL = /[\u0000-\u001f]/g;

/** Index of the first character at or after `at` that is not JSON white space. */
export function skipSpace(text: string, at: number): number {
  let k = at;
  for (let c = text.charCodeAt(k); c === SPACE || c === TAB || c === LINE_FEED || c === CARRIAGE_RETURN; c = text.charCodeAt(++k));
  return k;
}

const isDigit = (code: number): boolean => code >= DIGIT_ZERO && code <= DIGIT_NINE;

/** `true` when the character code can begin a number. */
export function isNumberStart(code: number): boolean {
  return code === MINUS || isDigit(code);
}

/** Index past the digits from `at`, or -1 when there is none and `required`. */
function digitsEnd(text: string, at: number, required: boolean): number {
  let k = at;
  while (isDigit(text.charCodeAt(k))) k++;
  return required && k === at ? -1 : k;
}

/** Index just past the number at `at` (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), or -1. */
export function numberEnd(text: string, at: number): number {
  let k = text.charCodeAt(at) === MINUS ? at + 1 : at;
  k = text.charCodeAt(k) === DIGIT_ZERO ? k + 1 : digitsEnd(text, k, true);
  if (k !== -1 && text.charCodeAt(k) === DOT) k = digitsEnd(text, k + 1, true);
  const exponent = k === -1 ? 0 : text.charCodeAt(k);
  if (exponent === LOWER_E || exponent === UPPER_E) {
    const sign = text.charCodeAt(k + 1);
    k = digitsEnd(text, sign === PLUS || sign === MINUS ? k + 2 : k + 1, true);
  }
  return k;
}

/** Index just past `true`, `false` or `null` at `at`, or -1. */
export function literalEnd(text: string, at: number): number {
  for (const literal of LITERALS) if (text.startsWith(literal, at)) return at + literal.length;
  return -1;
}

/** Escapes a string may hold before {@link StringReader.decode} hands it to `JSON.parse`. */
const FEW_ESCAPES = 4;
const LOWER_U = 0x75;
/** The unit of each one-letter escape (RFC 8259 §7) by the letter's code, -1 for none. */
const ESCAPED = new Int32Array(0x80).fill(-1);
for (const [letter, unit] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09]] as const) {
  ESCAPED[letter.charCodeAt(0)] = unit;
}
/** The value of each hexadecimal digit by its code, -1 for none. */
const HEX = new Int32Array(0x80).fill(-1);
for (let k = 0; k < 16; k++) HEX['0123456789abcdef'.charCodeAt(k)] = HEX['0123456789ABCDEF'.charCodeAt(k)] = k;

/** The code unit of the four hexadecimal digits at `at` (`\uXXXX`), or -1. */
function hexUnit(text: string, at: number): number {
  let unit = 0;
  for (let k = at; k < at + 4; k++) {
    const code = text.charCodeAt(k);
    const digit = code < HEX.length ? HEX[code]! : -1;
    if (digit < 0) return -1;
    unit = (unit << 4) | digit;
  }
  return unit;
}

/** The string a JSON string token holds, or `undefined` when it is none. */
function parseString(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}

/**
 * Reads the string tokens of one text in order, knowing where its next backslash and next
 * control character are, so that telling whether a token holds either costs nothing per token.
 */
export class StringReader {
  #text = '';
  #backslash = -1;
  #control = -1;

  constructor(text = '') {
    this.read(text);
  }

  /** Read the tokens of `text` from now on: one reader serves every line of a stream. */
  read(text: string): void {
    this.#text = text;
    this.#backslash = text.indexOf('\\');
    this.#control = this.#nextControl(0);
  }

  #nextControl(from: number): number {
    CONTROL.lastIndex = from;
    // `test` allocates no match; a match is one unit, so it ends just past where it is.
    return CONTROL.test(this.#text) ? CONTROL.lastIndex - 1 : -1;
  }

  /** Index just past the string whose `"` is at `at`, or -1 when it is not closed. */
  end(at: number): number {
    const text = this.#text;
    let close = text.indexOf('"', at + 1);
    while (close !== -1) {
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return close + 1;
      close = text.indexOf('"', close + 1);
    }
    return -1;
  }

  /** `true` when the token `[from, to)` holds a backslash. Asked in order of `from`. */
  hasEscape(from: number, to: number): boolean {
    if (this.#backslash !== -1 && this.#backslash < from) this.#backslash = this.#text.indexOf('\\', from);
    return this.#backslash !== -1 && this.#backslash < to;
  }

  /** `true` when the token `[from, to)` holds a raw control character. Asked in order of `from`. */
  hasControl(from: number, to: number): boolean {
    if (this.#control !== -1 && this.#control < from) this.#control = this.#nextControl(from);
    return this.#control !== -1 && this.#control < to;
  }

  /**
   * The string of the token `[from, to)`, escapes decoded; `undefined` for a bad escape. A few
   * escapes are decoded here, more by `JSON.parse` (lone surrogate escapes, two a string, decoded
   * and checked `isWellFormed` in a loop: 139 → 66 ns a string on Node 26, 96 → 73 on Node 20; a
   * string of escapes only is 2.5× faster parsed). `JSON.parse` was 15% of `--json`'s time on the
   * lone surrogate escapes family (in-process `--cpu-prof`, Node 26).
   */
  decode(from: number, to: number, escaped: boolean): string | undefined {
    const text = this.#text;
    if (!escaped) return text.slice(from + 1, to - 1);
    const end = to - 1;
    let out = '';
    let run = from + 1;
    let escapes = 0;
    for (let k = text.indexOf('\\', run); k !== -1 && k < end; k = text.indexOf('\\', run)) {
      if (++escapes > FEW_ESCAPES) return parseString(text.slice(from, to));
      const letter = text.charCodeAt(k + 1);
      const unit = letter === LOWER_U ? hexUnit(text, k + 2) : letter < ESCAPED.length ? ESCAPED[letter]! : -1;
      if (unit < 0) return undefined;
      out += text.slice(run, k) + String.fromCharCode(unit);
      run = letter === LOWER_U ? k + 6 : k + 2;
    }
    return out + text.slice(run, end);
  }
}
