/**
 * Keep exactly what is named: the one mechanism behind both ways of keeping a number on purpose.
 * A sensitive combination is kept verbatim only when it is named exactly — its digits are an
 * allowed number's digits (`allow`), or it lies wholly inside a complete date-time
 * (`keepTimestamps`) — and deleted as usual otherwise.
 *
 * The scanner holds a combination that may still be named until it ends, and then asks
 * {@link Keeper.keeps}; one that has grown past {@link Keeper.maxDigits} can no longer be named
 * and is deleted at once, so what is held stays bounded by the policy.
 *
 * @module
 */
import { compileAllowList, type AllowList } from './allow-list.js';
import type { Codec } from './codec.js';
import { DATE_TIME_MAX_DIGITS, DateTimeSpans } from './date-times.js';
import type { Policy } from './policy.js';

/**
 * What a scanner may keep under its policy.
 *
 * @example
 * ```ts
 * const keeper = createKeeper(createPolicy({ allow: ['21 49 60 00'] }), utf16);
 * keeper?.maxDigits; // 8
 * keeper?.keeps([2, 1, 4, 9, 6, 0, 0, 0], 8, 0, 11); // true
 * ```
 */
export class Keeper {
  /** The most digits a kept combination can have. */
  readonly maxDigits: number;
  /** The date-times of the stream, when they are kept; the scanner feeds it. */
  readonly dateTimes: DateTimeSpans | null;
  readonly #allowList: AllowList | null;

  constructor(allowList: AllowList | null, dateTimes: DateTimeSpans | null) {
    this.#allowList = allowList;
    this.dateTimes = dateTimes;
    this.maxDigits = Math.max(allowList?.maxDigits ?? 0, dateTimes === null ? 0 : DATE_TIME_MAX_DIGITS);
  }

  /**
   * `true` when the combination is named exactly: its first `count` digit values are an allowed
   * number, or its text `[start, end)` (absolute offsets, first digit to last) lies inside a
   * date-time. Asked once per combination, in the order they end.
   */
  keeps(values: ArrayLike<number>, count: number, start: number, end: number): boolean {
    if (this.#allowList?.matches(values, count) === true) return true;
    return this.dateTimes?.contains(start, end) === true;
  }
}

/**
 * The keeper of a scanner with `policy` reading `codec` units, or `null` when the policy keeps
 * nothing — then the scanner's hot path is exactly what it is without this module.
 */
export function createKeeper(policy: Policy, codec: Codec): Keeper | null {
  const allowList = policy.allow.length > 0 ? compileAllowList(policy.allow) : null;
  const dateTimes = policy.keepTimestamps ? new DateTimeSpans(codec, policy.maxGap) : null;
  return allowList === null && dateTimes === null ? null : new Keeper(allowList, dateTimes);
}
