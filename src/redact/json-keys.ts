/**
 * Telling apart the redacted keys of one JSON line's objects (see `json-line.ts`): a redacted key
 * that another key of its object already has gets the first of {@link keySuffix}'s suffixes that
 * no key of the object has.
 *
 * Every key of an object must be known to choose, later keys too. They are known when the object
 * closes: the rewriter hands over each key as it reads it and each redacted key as a slot of its
 * output, and the slots are filled when the object closes. Keys and slots are kept on two stacks
 * (an object's entries above its parent's, dropped when it closes), so a line costs its length
 * once whatever its nesting — as reading every object's keys ahead in one pass did, which
 * allocated a Set for every object of every line with a redacted key (a Set of keys, of written
 * keys and a Map of tries: 20% of `--json`'s time on deep nesting, 26% on colliding keys, Node 26).
 * An object of a few keys is decided by comparing them, without a Set. `redact --json`, CPU,
 * this change against the build before it (bench/micro/json-hostile.js, medians of 7
 * interleaved rounds, load ~12): colliding keys 427 → 276 ms on Node 26, 458 → 355 on Node 20;
 * deep nesting 376 → 271, 459 → 329 (lone surrogate escapes and the start-up counted in too).
 *
 * @module
 */

/** What a redacted key that another key of its object already has is told apart with. */
export const KEY_SUFFIX = '~';
const LETTERS = 26;
const LETTER_A = 0x61;
/** Objects of up to this many keys are decided by comparing keys, not through Sets. */
const FEW_KEYS = 16;
/** The suffixes made so far, by `n`, up to {@link KEPT_SUFFIXES}: a line of colliding keys asks for each in turn. */
const suffixes: string[] = [''];
const KEPT_SUFFIXES = 4096;

/**
 * The suffix of the `n`th try to tell a redacted key apart (n ≥ 1): `~`, `~a`, … `~z`, `~aa`, …
 * — no digit, a different one for every `n`, and O(log n) long, so that many keys that redact
 * alike cost linear time and output (`~`, `~~`, … was cubic: a 28 KB line took 2.7 s and a 56 KB
 * one wrote 8 MB).
 */
export function keySuffix(n: number): string {
  const made = suffixes[n];
  if (made !== undefined) return made;
  let letters = '';
  for (let k = n - 1; k > 0; k = Math.floor(k / LETTERS)) {
    k -= 1;
    letters = String.fromCharCode(LETTER_A + (k % LETTERS)) + letters;
  }
  const suffix = KEY_SUFFIX + letters;
  if (n === suffixes.length && n < KEPT_SUFFIXES) suffixes.push(suffix);
  return suffix;
}

const TILDE = 0x7e;
const LETTER_Z = 0x7a;

/** `true` when `text` from `from` on is lower-case letters `a`–`z` only (or nothing). */
function isLetters(text: string, from: number): boolean {
  for (let k = from; k < text.length; k++) {
    const unit = text.charCodeAt(k);
    if (unit < LETTER_A || unit > LETTER_Z) return false;
  }
  return true;
}

/** The keys and the redacted keys of a line's open objects; reused from line to line. */
export class KeyNames {
  /** The keys of the open objects as decoded, innermost object's last. */
  readonly #keys: string[] = [];
  #keyCount = 0;
  /** The redacted keys waiting for their object's end: text, output slot, written without escapes. */
  readonly #pending: string[] = [];
  readonly #slots: number[] = [];
  readonly #plain: boolean[] = [];
  /** For each waiting key, the next try of {@link keySuffix} for its text (objects of few keys). */
  readonly #nextTry: number[] = [];
  /** The chosen keys of the object being decided (objects of few keys). */
  readonly #chosen: string[] = [];
  #pendingCount = 0;

  /** A new line: nothing open. */
  reset(): void {
    this.#keyCount = 0;
    this.#pendingCount = 0;
  }

  /** Where an object opened now begins on the stack of keys. */
  get keyCount(): number {
    return this.#keyCount;
  }

  /** Where an object opened now begins on the stack of redacted keys. */
  get pendingCount(): number {
    return this.#pendingCount;
  }

  /** A key of the innermost open object, as decoded. */
  addKey(key: string): void {
    this.#keys[this.#keyCount++] = key;
  }

  /** A redacted key of the innermost open object, to be written into `slot` when it closes. */
  addPending(redacted: string, slot: number, plain: boolean): void {
    const p = this.#pendingCount++;
    this.#pending[p] = redacted;
    this.#slots[p] = slot;
    this.#plain[p] = plain;
  }

  /**
   * The innermost object closes; its keys began at `firstKey`, its redacted keys at
   * `firstPending`. Writes each redacted key, told apart, into its slot of `out`, and drops the
   * object's entries.
   */
  close(firstKey: number, firstPending: number, out: string[]): void {
    if (this.#pendingCount > firstPending) {
      if (this.#isOneTextAlone(firstKey, firstPending)) this.#chooseInTurn(firstPending, out);
      else if (this.#keyCount - firstKey <= FEW_KEYS) this.#chooseAmongFew(firstKey, firstPending, out);
      else this.#chooseAmongMany(firstKey, firstPending, out);
    }
    this.#keyCount = firstKey;
    this.#pendingCount = firstPending;
  }

  /** Write the chosen key of the waiting key `p` into its slot. */
  #write(p: number, key: string, out: string[]): void {
    out[this.#slots[p]!] = this.#plain[p]! ? `"${key}"` : JSON.stringify(key);
  }

  /**
   * `true` when every redacted key of the object has the same text and no key of the object is
   * that text, alone or with a suffix (`~` and letters): then the choice of
   * {@link KeyNames.#chooseAmongMany} is that text with each suffix in turn, and no key need be
   * looked up. Colliding keys (1,800 alike in a 28 KB line) cost a Set and a Map lookup and
   * insert each on the general path.
   */
  #isOneTextAlone(firstKey: number, firstPending: number): boolean {
    const text = this.#pending[firstPending]!;
    for (let p = firstPending + 1; p < this.#pendingCount; p++) if (this.#pending[p] !== text) return false;
    const length = text.length;
    for (let k = firstKey; k < this.#keyCount; k++) {
      const key = this.#keys[k]!;
      if (key.length < length || !key.startsWith(text)) continue;
      if (key.length === length || (key.charCodeAt(length) === TILDE && isLetters(key, length + 1))) return false;
    }
    return true;
  }

  /** The choice of {@link KeyNames.close} when {@link KeyNames.#isOneTextAlone}: the text with each suffix in turn. */
  #chooseInTurn(firstPending: number, out: string[]): void {
    const text = this.#pending[firstPending]!;
    for (let p = firstPending; p < this.#pendingCount; p++) this.#write(p, p === firstPending ? text : text + keySuffix(p - firstPending), out);
  }

  /**
   * The choice of {@link KeyNames.close} for a large object: the first of `redacted`, then
   * `redacted` with each suffix in turn, that no key of the object has and no redacted key before
   * it was given. Each try that fails lands on a different key, so the tries are at most the keys.
   */
  #chooseAmongMany(firstKey: number, firstPending: number, out: string[]): void {
    const keys = new Set<string>();
    for (let k = firstKey; k < this.#keyCount; k++) keys.add(this.#keys[k]!);
    const written = new Set<string>();
    const tries = new Map<string, number>();
    for (let p = firstPending; p < this.#pendingCount; p++) {
      const redacted = this.#pending[p]!;
      let n = tries.get(redacted) ?? 0;
      let key = n === 0 ? redacted : redacted + keySuffix(n);
      while (keys.has(key) || written.has(key)) key = redacted + keySuffix(++n);
      tries.set(redacted, n + 1);
      written.add(key);
      this.#write(p, key, out);
    }
  }

  /** The same choice as {@link KeyNames.#chooseAmongMany}, for an object of a few keys: by comparing. */
  #chooseAmongFew(firstKey: number, firstPending: number, out: string[]): void {
    const chosen = this.#chosen;
    for (let p = firstPending; p < this.#pendingCount; p++) {
      const redacted = this.#pending[p]!;
      let n = 0;
      for (let q = p - 1; q >= firstPending; q--) {
        if (this.#pending[q] === redacted) {
          n = this.#nextTry[q]!;
          break;
        }
      }
      let key = n === 0 ? redacted : redacted + keySuffix(n);
      while (this.#isTaken(key, firstKey, p - firstPending)) key = redacted + keySuffix(++n);
      this.#nextTry[p] = n + 1;
      chosen[p - firstPending] = key;
      this.#write(p, key, out);
    }
  }

  /** `true` when a key of the object from `firstKey`, or one of the first `written` chosen keys, is `key`. */
  #isTaken(key: string, firstKey: number, written: number): boolean {
    for (let k = firstKey; k < this.#keyCount; k++) if (this.#keys[k] === key) return true;
    for (let k = 0; k < written; k++) if (this.#chosen[k] === key) return true;
    return false;
  }
}
