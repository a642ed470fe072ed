/**
 * The policy's rules for keeping a number on purpose, applied to each sensitive combination: keep
 * exactly what is named — the one mechanism behind every way of keeping a number.
 * A sensitive combination is kept verbatim only when it is named exactly — its digits are an
 * allowed number's digits (`allow`), it lies wholly inside a complete date-time
 * (`keepTimestamps`), or it is of a kept class (`keep`: an amount, a future date, an org number;
 * see `kept-classes.ts`) and no national id, account or card — and deleted as usual otherwise.
 *
 * The scanner holds a combination that may still be named until it ends, and then asks
 * {@link KeepRules.keeps}; one that has grown past {@link KeepRules.maxDigits} can no longer be named
 * and is deleted at once, so what is held stays bounded by the policy.
 *
 * @module
 */
import { compileAllowList, type AllowList } from './allow-list.js';
import type { Codec } from './codec.js';
import { DATE_TIME_MAX_DIGITS, DATE_TIME_PATTERN } from './date-times.js';
import { KEPT_MAX_DIGITS, KEPT_TAG_BASE, ORG_NUMBER_TAG, isAlwaysDeleted, keptClassPatterns } from './kept-classes.js';
import { isOrgNumber } from './kinds.js';
import { PatternSpans } from './pattern-spans.js';
import type { Policy } from './policy.js';

/** {@link KeepRules.keeps}' answer for a combination that is not kept. */
export const NOT_KEPT = -1;
/** {@link KeepRules.keeps}' answer for an allowed number or a combination inside a date-time. */
export const ALLOWED = 0;

/**
 * What a scanner may keep under its policy, and whether it keeps a given combination.
 *
 * @example
 * ```ts
 * const rules = createKeepRules(createPolicy({ allow: ['21 49 60 00'] }), utf16);
 * rules?.maxDigits; // 8
 * rules?.keeps([2, 1, 4, 9, 6, 0, 0, 0], 8, 0, 11); // ALLOWED
 * ```
 */
export class KeepRules {
  /** The most digits a kept combination can have. */
  readonly maxDigits: number;
  /** Where date-times, amounts and future dates stand, when they are kept; the scanner feeds it. */
  readonly spans: PatternSpans | null;
  readonly #allowList: AllowList | null;
  readonly #keepsOrgNumbers: boolean;

  constructor(allowList: AllowList | null, spans: PatternSpans | null, policy: Policy) {
    this.#allowList = allowList;
    this.spans = spans;
    this.#keepsOrgNumbers = policy.keep.includes('org_numbers');
    const kept = policy.keep.length > 0 ? KEPT_MAX_DIGITS : 0;
    this.maxDigits = Math.max(allowList?.maxDigits ?? 0, policy.keepTimestamps ? DATE_TIME_MAX_DIGITS : 0, kept);
  }

  /**
   * Whether the combination is kept, and why: {@link ALLOWED} when its first `count` digit values
   * are an allowed number or its text `[start, end)` (absolute offsets, first digit to last) lies
   * inside a date-time; `KEPT_TAG_BASE + k` when it is of the kept class `KEEP_CLASSES[k]` and no
   * national id, account or card; {@link NOT_KEPT} otherwise. Asked once per combination, in the
   * order they end.
   */
  keeps(values: ArrayLike<number>, count: number, start: number, end: number): number {
    if (this.#allowList?.matches(values, count) === true) return ALLOWED;
    let tag = this.spans === null ? NOT_KEPT : this.spans.contains(start, end);
    if (tag === NOT_KEPT && this.#keepsOrgNumbers && isOrgNumber(values, count)) tag = ORG_NUMBER_TAG;
    return tag >= KEPT_TAG_BASE && isAlwaysDeleted(values, count) ? NOT_KEPT : tag;
  }
}

/**
 * The keep rules of a scanner with `policy` reading `codec` units, or `null` when the policy
 * keeps nothing — then the scanner's hot path is exactly what it is without this module.
 */
export function createKeepRules(policy: Policy, codec: Codec): KeepRules | null {
  const allowList = policy.allow.length > 0 ? compileAllowList(policy.allow) : null;
  const patterns = keptClassPatterns(codec, policy.keep);
  if (policy.keepTimestamps) patterns.unshift(DATE_TIME_PATTERN);
  const spans = patterns.length > 0 ? new PatternSpans(codec, policy.maxGap, patterns) : null;
  return allowList === null && spans === null && policy.keep.length === 0 ? null : new KeepRules(allowList, spans, policy);
}
