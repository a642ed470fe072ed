/**
 * Allowed numbers: the organisation's own public numbers, which are kept when a combination's
 * digits are exactly an entry's digits. This module reads entries (folding every script's digits
 * to 0–9 and ignoring the punctuation people write numbers with) and compiles them into a digit
 * trie that the scanner walks without allocating.
 *
 * @module
 */
import { SEPARATOR, classifyCodePoint } from './unicode.js';

/**
 * Bounds of the `allow` policy setting.
 *
 * @example
 * ```ts
 * ALLOW_LIMITS.maxEntries; // 1000
 * ```
 */
export const ALLOW_LIMITS = { maxEntries: 1000, minDigits: 2, maxDigits: 64 } as const;

/** Written around numbers but neither digit nor separator: `+47 21 49 60 00`, `(0)`. */
const NUMBER_PUNCTUATION = new Set(['+', '(', ')']);
/** How much of a bad entry a problem shows. */
const SHOWN_ENTRY_LENGTH = 40;
const DIGIT_VALUES = 10;
/** Child slot value for "no child": the root is never anyone's child. */
const NO_CHILD = 0;

function showEntry(entry: string): string {
  return JSON.stringify(entry.length > SHOWN_ENTRY_LENGTH ? `${entry.slice(0, SHOWN_ENTRY_LENGTH)}…` : entry);
}

/**
 * The digits of an allow-list entry, folded to `0-9`, or a one-line problem naming the entry.
 * Separators (spaces, dots, dashes, invisible characters) and `+ ( )` are ignored; anything else
 * makes the entry no number.
 *
 * @example
 * ```ts
 * foldAllowEntry('+47 21 49 60 00'); // { digits: '4721496000' }
 * foldAllowEntry('7694.05.20300');   // { digits: '76940520300' }
 * foldAllowEntry('call us');         // { problem: '"call us" is not a number: …' }
 * ```
 */
export function foldAllowEntry(entry: string): { digits: string } | { problem: string } {
  let digits = '';
  for (const char of entry) {
    const cls = classifyCodePoint(char.codePointAt(0) ?? 0);
    if (cls < SEPARATOR) digits += String(cls);
    else if (cls !== SEPARATOR && !NUMBER_PUNCTUATION.has(char)) {
      return { problem: `${showEntry(entry)} is not a number: only digits, spaces, . , - / + ( ) may be written` };
    }
  }
  const { minDigits, maxDigits } = ALLOW_LIMITS;
  if (digits.length < minDigits || digits.length > maxDigits) {
    const count = `${digits.length} digit${digits.length === 1 ? '' : 's'}`;
    return { problem: `${showEntry(entry)} has ${count}; an allowed number has ${minDigits} to ${maxDigits}` };
  }
  return { digits };
}

/**
 * A compiled allow-list: a trie over digit values, as flat typed arrays.
 *
 * @example
 * ```ts
 * const list = compileAllowList(['4721496000']);
 * list.matches([4, 7, 2, 1, 4, 9, 6, 0, 0, 0], 10); // true
 * list.matches([4, 7, 2, 1, 4, 9, 6, 0, 0], 9);     // false: a digit less is another number
 * ```
 */
export interface AllowList {
  /** Digits of the longest entry: a longer combination can no longer be allowed. */
  readonly maxDigits: number;
  /** `true` when the first `count` values are exactly the digits of an entry. */
  matches(values: ArrayLike<number>, count: number): boolean;
}

class DigitTrie implements AllowList {
  readonly maxDigits: number;
  /** `children[node * 10 + digit]`: the child node, or `NO_CHILD`. */
  readonly #children: Uint32Array;
  readonly #isEntry: Uint8Array;

  constructor(entries: readonly string[]) {
    const nodes = 1 + entries.reduce((sum, entry) => sum + entry.length, 0);
    const children = new Uint32Array(nodes * DIGIT_VALUES);
    const isEntry = new Uint8Array(nodes);
    let used = 1;
    let longest = 0;
    for (const entry of entries) {
      let node = 0;
      for (let k = 0; k < entry.length; k++) {
        const slot = node * DIGIT_VALUES + (entry.charCodeAt(k) - 0x30);
        if (children[slot] === NO_CHILD) children[slot] = used++;
        node = children[slot] ?? NO_CHILD;
      }
      isEntry[node] = 1;
      longest = Math.max(longest, entry.length);
    }
    this.maxDigits = longest;
    this.#children = children.slice(0, used * DIGIT_VALUES);
    this.#isEntry = isEntry.slice(0, used);
  }

  matches(values: ArrayLike<number>, count: number): boolean {
    if (count > this.maxDigits) return false;
    let node = 0;
    for (let k = 0; k < count; k++) {
      node = this.#children[node * DIGIT_VALUES + (values[k] ?? 0)] ?? NO_CHILD;
      if (node === NO_CHILD) return false;
    }
    return this.#isEntry[node] === 1;
  }
}

/** One trie per list of entries (a policy's frozen array): a redactor per chat reply builds none. */
const compiled = new WeakMap<readonly string[], AllowList>();

/**
 * The trie of folded entries (as {@link foldAllowEntry} returns them), built once per array.
 */
export function compileAllowList(entries: readonly string[]): AllowList {
  let list = compiled.get(entries);
  if (list === undefined) {
    list = new DigitTrie(entries);
    compiled.set(entries, list);
  }
  return list;
}
