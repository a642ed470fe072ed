/**
 * Counting in plain numbers on the hot path, handed to prom-client only when it is read. Every
 * `inc` and `observe` of prom-client hashes its label values into a key, even through a cached
 * `labels()` child; a message's metrics cost 2–3 µs that way. A tally keeps a series' count in
 * an array slot found once (by a small index, or a label key the caller built once), and its
 * metric's `collect()` hook — which prom-client calls before every `get()`, and so before every
 * scrape, `metrics()` and `getMetricsAsJSON()` (the cluster primary's aggregation) — brings
 * prom-client up to date, so that the exposition is byte for byte what direct calls would have
 * made: the same series in the same order (a series first counted between two scrapes is
 * created in the order it was first counted), the same values, the same histogram sums.
 *
 * @module
 */
import { format } from 'node:util';
import client from 'prom-client';

/** A series' label values, as prom-client takes them. */
type Labels<L extends string> = Partial<Record<L, string | number>>;

/**
 * A prom-client counter, and the counts of its series. Counts reach the counter as the
 * difference since the last `collect`: integer counts add up exactly, and a direct `inc` on the
 * counter (a rare path that need not be fast) still adds to the same series.
 *
 * @example
 * ```ts
 * const messages = new CounterTally({ name: 'x_total', help: 'Messages.', labelNames: ['direction'] as const, registers: [registry] });
 * const inbound = messages.zeroed({ direction: 'inbound' });
 * messages.add(inbound, 1);
 * ```
 */
export class CounterTally<L extends string> {
  readonly counter: client.Counter<L>;
  readonly #labels: Labels<L>[] = [];
  readonly #counts: number[] = [];
  readonly #flushed: number[] = [];
  /** Whether a series is in `#pending`. */
  readonly #dirty: boolean[] = [];
  /** Series counted since the last flush, in the order first counted. */
  readonly #pending: number[] = [];
  readonly #byKey = new Map<string, number>();

  constructor(config: Omit<client.CounterConfiguration<L>, 'collect'>) {
    const flush = (counter: client.Counter<L>): void => this.#flushTo(counter);
    this.counter = new client.Counter<L>({
      ...config,
      collect() {
        flush(this);
      },
    });
  }

  /** The index of the series of `labels`, shown at zero from now on (as `inc(labels, 0)` does). */
  zeroed(labels: Labels<L>): number {
    this.counter.inc(labels, 0);
    return this.series(labels);
  }

  /** The index of a new series with `labels` (label names in the order prom-client shall print them). */
  series(labels: Labels<L>): number {
    const index = this.#labels.length;
    this.#labels.push(labels);
    this.#counts.push(0);
    this.#flushed.push(0);
    this.#dirty.push(false);
    return index;
  }

  /** The index of the series known by `key`, made from `labels()` the first time. */
  seriesByKey(key: string, labels: () => Labels<L>): number {
    let index = this.#byKey.get(key);
    if (index === undefined) {
      index = this.series(labels());
      this.#byKey.set(key, index);
    }
    return index;
  }

  /** Count `by` (≥ 0; 0 makes the series show at zero) on series `index`. */
  add(index: number, by: number): void {
    // prom-client's `inc` refuses these at the call; a NaN it adds (and so does this).
    if (by < 0) throw new Error('It is not possible to decrease a counter');
    if (by === Infinity) throw new TypeError(`Value is not a valid number: ${format(by)}`);
    if (!this.#dirty[index]) {
      this.#dirty[index] = true;
      this.#pending.push(index);
    }
    this.#counts[index]! += by;
  }

  /** Bring `counter` up to date: what was counted since the last flush, series by series in the order first counted. */
  #flushTo(counter: client.Counter<L>): void {
    const pending = this.#pending;
    for (let k = 0; k < pending.length; k++) {
      const index = pending[k]!;
      const count = this.#counts[index]!;
      counter.inc(this.#labels[index]!, count - this.#flushed[index]!);
      this.#flushed[index] = count;
      this.#dirty[index] = false;
    }
    pending.length = 0;
  }
}

/** What a histogram of this project offers its callers: observe, and read as prom-client reads it. */
export interface ObservedHistogram {
  /** Observe one value (seconds). */
  observe(value: number): void;
  /** The histogram as prom-client hands it out (after bringing it up to date). */
  get(): ReturnType<client.Histogram<string>['get']>;
}

/** The state prom-client 15 keeps for an unlabelled histogram (lib/histogram.js `createBaseValues`). */
interface HistogramState {
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/**
 * An unlabelled histogram counted in an array of bucket counts. prom-client has no setter for a
 * histogram's sum, and a sum handed over as a difference would round differently from the one
 * prom-client adds value by value; so `collect` writes the bucket counts, the sum (added value by
 * value, as prom-client adds it) and the count into the histogram's state (prom-client 15's
 * `hashMap['']`), checked against prom-client's own `observe` by test/observability/metric-tallies.test.ts.
 * Nothing in the service calls `reset()`, which empties that state; `collect` then writes nothing.
 *
 * @example
 * ```ts
 * const duration = new HistogramTally({ name: 'x_seconds', help: 'Time.', buckets: [0.1, 1], registers: [registry] });
 * duration.observe(0.25);
 * ```
 */
export class HistogramTally implements ObservedHistogram {
  readonly #histogram: client.Histogram<string>;
  readonly #bounds: readonly number[];
  /** Counts per bucket, not cumulative (as prom-client keeps them); past the last bound only in `#count`. */
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(config: { name: string; help: string; buckets: readonly number[]; registers: client.Registry[] }) {
    this.#bounds = Object.freeze([...config.buckets]);
    this.#counts = this.#bounds.map(() => 0);
    const write = (histogram: client.Histogram<string>): void => this.#writeTo(histogram);
    this.#histogram = new client.Histogram({
      name: config.name,
      help: config.help,
      buckets: [...config.buckets],
      registers: config.registers,
      collect() {
        write(this);
      },
    });
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${format(value)}`);
    this.#sum += value;
    this.#count += 1;
    const bounds = this.#bounds;
    for (let k = 0; k < bounds.length; k++) {
      if (value <= bounds[k]!) {
        this.#counts[k]! += 1;
        return;
      }
    }
  }

  get(): ReturnType<client.Histogram<string>['get']> {
    return this.#histogram.get();
  }

  #writeTo(histogram: client.Histogram<string>): void {
    const state = (histogram as unknown as { hashMap: Record<string, HistogramState | undefined> }).hashMap[''];
    if (state === undefined) return;
    state.sum = this.#sum;
    state.count = this.#count;
    for (let k = 0; k < this.#bounds.length; k++) state.bucketValues[this.#bounds[k]!] = this.#counts[k]!;
  }
}
