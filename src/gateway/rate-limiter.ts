/**
 * Per-connection message rate limit: a token bucket holding a minute's allowance, refilled
 * continuously, so a burst up to the limit passes and a steady flood is cut to the limit.
 *
 * @module
 */

const MS_PER_MINUTE = 60_000;
/**
 * Refused messages in a row that count as sustained flooding (the connection is then closed):
 * enough that a user's impatient double-clicks never reach it.
 */
export const FLOOD_STRIKES = 20;

export type RateDecision = 'allow' | 'limit' | 'flood';

/** A token bucket of `perMinute` messages. `now` is injectable for tests. */
export class RateLimiter {
  #tokens: number;
  #updated: number;
  #strikes = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = perMinute;
    this.#updated = now();
  }

  /** Take one message: `allow`, `limit` (refuse it), or `flood` (refused too often in a row). */
  take(): RateDecision {
    const now = this.now();
    this.#tokens = Math.min(this.perMinute, this.#tokens + ((now - this.#updated) * this.perMinute) / MS_PER_MINUTE);
    this.#updated = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#strikes = 0;
      return 'allow';
    }
    this.#strikes += 1;
    return this.#strikes >= FLOOD_STRIKES ? 'flood' : 'limit';
  }
}
