/**
 * What a redactor has done so far: combinations deleted, by kind, and combinations kept on
 * purpose (allowed, and by kept class). Counts only: no digit is kept beyond the classification
 * of each deletion. {@link RedactionCounts} keeps them; {@link CountingRedactor} shows them, the
 * same five getters on every redactor class.
 *
 * @module
 */
import { KEEP_CLASSES, KEPT_TAG_BASE, type KeptCounts } from './kept-classes.js';
import { KINDS, classifyDigits, type KindCounts } from './kinds.js';

/** The kinds of a scan that deleted nothing (shared, frozen). */
export const EMPTY_KINDS: KindCounts = Object.freeze({});
/** The kept classes of a scan that kept none (shared, frozen). */
export const EMPTY_KEPT: KeptCounts = Object.freeze({});
/**
 * The counts of a scan that deleted one combination, one frozen object per kind: most messages
 * with a number have exactly one, and building `{ [kind]: 1 }` anew (a keyed store that makes a
 * new map) took 81 ns against 61 on Node 20, 32 against 14 on Node 26 (bench/micro/counts.js).
 */
const ONE_OF_KIND: readonly KindCounts[] = KINDS.map((kind) => Object.freeze({ [kind]: 1 }));

/**
 * A redactor's counts so far, as every redactor shows them and `redact()` returns them.
 *
 * @example
 * ```ts
 * const counts: Counts = new RedactionCounts(); // or a redactor, or redact()'s result
 * counts.redactions; // 0
 * ```
 */
export interface Counts {
  /** Combinations deleted. */
  readonly redactions: number;
  /** Deletions by kind; kinds with none are absent. */
  readonly kinds: KindCounts;
  /** Sensitive combinations kept on purpose (allowed numbers, date-times); never which. */
  readonly allowed: number;
  /** Combinations of a kept class (`keep`) kept. */
  readonly kept: number;
  /** Kept combinations by class; classes with none are absent. */
  readonly keptClasses: KeptCounts;
}

/**
 * Counts of one scanner.
 *
 * @example
 * ```ts
 * const counts = new RedactionCounts();
 * counts.countDeletion([9, 8, 7, 6, 5, 4, 3, 2], 8);
 * counts.kinds; // { phone: 1 }
 * ```
 */
export class RedactionCounts {
  /** Combinations deleted. */
  redactions = 0;
  /** Sensitive combinations kept on purpose (allowed numbers, date-times). */
  allowed = 0;
  /** Combinations of a kept class kept (`keep`). */
  kept = 0;
  readonly #byKind = new Uint32Array(KINDS.length);
  readonly #byClass = new Uint32Array(KEEP_CLASSES.length);

  /** Count one deleted combination, classified by its leading digit values and digit count. */
  countDeletion(leading: ArrayLike<number>, digits: number): void {
    this.redactions += 1;
    const kind = KINDS.indexOf(classifyDigits(leading, digits));
    this.#byKind[kind] = (this.#byKind[kind] ?? 0) + 1;
  }

  /** Count one kept combination by the keep rules' answer: allowed (0), or `KEPT_TAG_BASE` + its class. */
  countKept(tag: number): void {
    if (tag < KEPT_TAG_BASE) {
      this.allowed += 1;
      return;
    }
    this.kept += 1;
    this.#byClass[tag - KEPT_TAG_BASE] = (this.#byClass[tag - KEPT_TAG_BASE] ?? 0) + 1;
  }

  /** Kept combinations by class; classes with none are absent. */
  get keptClasses(): KeptCounts {
    if (this.kept === 0) return EMPTY_KEPT;
    const counts: KeptCounts = {};
    for (let k = 0; k < KEEP_CLASSES.length; k++) {
      const count = this.#byClass[k] ?? 0;
      if (count > 0) counts[KEEP_CLASSES[k]!] = count;
    }
    return counts;
  }

  /** Add another's counts to these. */
  add(other: Counts): void {
    this.redactions += other.redactions;
    this.allowed += other.allowed;
    if (other.kept > 0) {
      this.kept += other.kept;
      for (let k = 0; k < KEEP_CLASSES.length; k++) this.#byClass[k] = (this.#byClass[k] ?? 0) + (other.keptClasses[KEEP_CLASSES[k]!] ?? 0);
    }
    if (other.redactions === 0) return;
    const { kinds } = other;
    for (let k = 0; k < KINDS.length; k++) this.#byKind[k] = (this.#byKind[k] ?? 0) + (kinds[KINDS[k]!] ?? 0);
  }

  /** Deletions by kind; kinds with none are absent. */
  get kinds(): KindCounts {
    if (this.redactions === 0) return EMPTY_KINDS;
    if (this.redactions === 1) {
      for (let k = 0; k < KINDS.length; k++) if ((this.#byKind[k] ?? 0) > 0) return ONE_OF_KIND[k] ?? EMPTY_KINDS;
    }
    const counts: KindCounts = {};
    for (let k = 0; k < KINDS.length; k++) {
      const count = this.#byKind[k] ?? 0;
      if (count > 0) counts[KINDS[k]!] = count;
    }
    return counts;
  }

  /** Start counting from zero. */
  reset(): void {
    this.allowed = 0;
    if (this.kept > 0) {
      this.kept = 0;
      this.#byClass.fill(0);
    }
    if (this.redactions === 0) return;
    this.redactions = 0;
    // Five stores: cheaper than a call to the `fill` builtin.
    for (let k = 0; k < KINDS.length; k++) this.#byKind[k] = 0;
  }
}

/**
 * The counts getters every redactor class shows — `redactions`, `kinds`, `allowed`, `kept`,
 * `keptClasses` — read from where the subclass keeps them: its own {@link RedactionCounts}, the
 * scanner it wraps, or a sum of its parts. (`RedactTransform` and `RedactStream` cannot extend
 * it: their one base is Node's `Transform` or the WHATWG `TransformStream`.)
 *
 * @example
 * ```ts
 * class Lines extends CountingRedactor {
 *   readonly #counts = new RedactionCounts();
 *   constructor() {
 *     super(() => this.#counts);
 *   }
 * }
 * new Lines().redactions; // 0
 * ```
 */
export abstract class CountingRedactor implements Counts {
  readonly #counts: () => Counts;

  /** @param counts where the counts are, read on every get (called only after construction) */
  protected constructor(counts: () => Counts) {
    this.#counts = counts;
  }

  /** Combinations deleted so far. */
  get redactions(): number {
    return this.#counts().redactions;
  }

  /** Deletions so far by kind; kinds with none are absent. */
  get kinds(): KindCounts {
    return this.#counts().kinds;
  }

  /** Sensitive combinations kept on purpose so far (allowed numbers, date-times); never which. */
  get allowed(): number {
    return this.#counts().allowed;
  }

  /** Combinations of a kept class (`keep`) kept so far. */
  get kept(): number {
    return this.#counts().kept;
  }

  /** Kept combinations so far by class; classes with none are absent. */
  get keptClasses(): KeptCounts {
    return this.#counts().keptClasses;
  }
}
