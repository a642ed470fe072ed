/**
 * A circuit breaker for the vendor: after a run of failures it stops sending requests for a
 * cool-down, so a vendor that is down is not hammered and widgets learn at once instead of
 * waiting out the whole time budget; then it lets one trial request through to find out whether
 * the vendor is back.
 *
 * @module
 */

/** `closed`: requests flow. `open`: requests are shed. `half-open`: one trial is allowed. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** What one request, admitted by the breaker, came to. */
export type BreakerResult = 'success' | 'failure' | 'neutral';

/** Circuit-breaker settings; every field has a default. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before a trial, in ms (default 10 000). */
  readonly coolDownMs?: number;
  /** Clock in ms; `performance.now` by default. Tests pass their own. */
  readonly now?: () => number;
  /** Told of every change of state, for logging. */
  readonly onStateChange?: (state: BreakerState, failures: number) => void;
}

/** Proof that the breaker admitted a request; hand it back with the request's result. */
export interface BreakerPermit {
  /** This request is the half-open trial. */
  readonly trial: boolean;
}

/** Consecutive failures that open the circuit when no threshold is given. */
export const DEFAULT_FAILURE_THRESHOLD = 5;
/** How long an open circuit sheds requests when no cool-down is given, in ms. */
export const DEFAULT_COOL_DOWN_MS = 10_000;

const REGULAR: BreakerPermit = Object.freeze({ trial: false });
const TRIAL: BreakerPermit = Object.freeze({ trial: true });

/**
 * Counts consecutive failures and sheds requests while open. It never needs a timer: the
 * cool-down is checked when the next request asks to pass, so nothing keeps the process alive.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 5_000 });
 * const permit = breaker.tryAcquire();
 * if (permit === undefined) throw new CodedError('vendor_unavailable');
 * breaker.record(permit, 'failure');
 * ```
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #coolDownMs: number;
  readonly #now: () => number;
  readonly #onStateChange: ((state: BreakerState, failures: number) => void) | undefined;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
    this.#coolDownMs = options.coolDownMs ?? DEFAULT_COOL_DOWN_MS;
    if (!Number.isInteger(this.#threshold) || this.#threshold < 1) {
      throw new RangeError('breaker.failureThreshold must be a whole number of at least 1');
    }
    if (!(this.#coolDownMs >= 0)) throw new RangeError('breaker.coolDownMs must not be negative');
    this.#now = options.now ?? (() => performance.now());
    this.#onStateChange = options.onStateChange;
  }

  /** The state now (an open circuit whose cool-down has passed reads as `half-open`). */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#hasCooledDown()) return 'half-open';
    return this.#state;
  }

  /** Admit a request, or `undefined` when it must be shed. */
  tryAcquire(): BreakerPermit | undefined {
    if (this.#state === 'closed') return REGULAR;
    if (this.#state === 'open') {
      if (!this.#hasCooledDown()) return undefined;
      this.#changeState('half-open');
    }
    if (this.#trialInFlight) return undefined;
    this.#trialInFlight = true;
    return TRIAL;
  }

  /**
   * Report how an admitted request ended. Any success closes the circuit: the vendor answered.
   * `neutral` (the caller gave up) says nothing about the vendor and frees the trial slot.
   */
  record(permit: BreakerPermit, result: BreakerResult): void {
    if (permit.trial) this.#trialInFlight = false;
    if (result === 'success') {
      this.#failures = 0;
      if (this.#state !== 'closed') this.#changeState('closed');
    } else if (result === 'failure') {
      this.#failures += 1;
      // A failure of a request admitted before the circuit opened does not prolong the cool-down.
      if (permit.trial || (this.#state === 'closed' && this.#failures >= this.#threshold)) {
        this.#openedAt = this.#now();
        this.#changeState('open');
      }
    }
  }

  #hasCooledDown(): boolean {
    return this.#now() - this.#openedAt >= this.#coolDownMs;
  }

  #changeState(state: BreakerState): void {
    this.#state = state;
    this.#onStateChange?.(state, this.#failures);
  }
}
