/**
 * The counting of redacted text, per message: its messages, bytes, deletions by kind, allowed
 * and kept numbers, and the time it took, in the tallies of `metric-tallies.ts`. The chat's
 * series are zeroed up front and found by index (a direction's, then a kind's or class's within
 * it); another door's series (`endpoint`) are made the first time they count and found by a
 * label key. A chat turn's metrics (message and reply observed, a vendor turn, three button
 * labels; bench/micro/metrics.js, 3 fresh processes a Node, medians): Node 20 2.74–3.25 µs CPU →
 * 0.41–0.58 µs, Node 26 1.91–2.18 µs → 0.30–0.34 µs.
 *
 * @module
 */
import type { CounterTally, ObservedHistogram } from './metric-tallies.js';
import type { Direction, Endpoint } from './metrics.js';

/** Counts of deletions by kind, as the engine reports them. */
export type CountsByKind = Readonly<Partial<Record<string, number>>>;

/** What a redaction reports: deletions by kind, allow-listed numbers kept, kept classes' counts. */
export interface RedactionReport {
  kinds: CountsByKind;
  allowed?: number;
  keptClasses?: CountsByKind;
}

/** The tallies a redacted message counts in. */
export interface RedactionTallies {
  readonly messages: CounterTally<'direction' | 'endpoint'>;
  readonly bytes: CounterTally<'direction' | 'endpoint'>;
  readonly allowed: CounterTally<'direction' | 'endpoint'>;
  readonly redactions: CounterTally<'direction' | 'kind' | 'endpoint'>;
  readonly kept: CounterTally<'direction' | 'class' | 'endpoint'>;
  readonly duration: ObservedHistogram;
}

/** Count a message's or reply's redaction, and deletions alone. */
export interface RedactionCounting {
  countRedactions(direction: Direction, result: { kinds: CountsByKind }, endpoint?: Endpoint): void;
  observeRedaction(direction: Direction, result: RedactionReport, bytes: number, seconds?: number, endpoint?: Endpoint): void;
}

/**
 * Zero the chat's series of `tallies` for `directions`, `kinds` and `keptClasses` (in that order),
 * and count redactions in them.
 *
 * @example
 * ```ts
 * const counting = countRedactedText(tallies, DIRECTIONS, labels.kinds, labels.keptClasses);
 * counting.observeRedaction('inbound', redact(text), Buffer.byteLength(text), seconds);
 * ```
 */
export function countRedactedText(
  tallies: RedactionTallies,
  directions: readonly Direction[],
  kinds: readonly string[],
  keptClasses: readonly string[],
): RedactionCounting {
  const { messages, bytes, allowed, redactions, kept, duration } = tallies;
  for (const direction of directions) {
    for (const tally of [messages, bytes, allowed]) tally.zeroed({ direction });
    for (const name of keptClasses) kept.zeroed({ direction, class: name });
    for (const kind of kinds) redactions.zeroed({ direction, kind });
  }
  const kindIndex = new Map(kinds.map((kind, k) => [kind, k]));
  const directionIndex = new Map(directions.map((direction, k) => [direction, k]));
  const seriesOf = (tally: CounterTally<'direction' | 'endpoint'>, direction: Direction, endpoint: Endpoint | undefined): number =>
    endpoint === undefined ? directionIndex.get(direction)! : tally.seriesByKey(`${direction}\0${endpoint}`, () => ({ direction, endpoint }));

  // The counts read once (a redactor's are a getter), only the kinds present looked at.
  function countRedactions(direction: Direction, result: { kinds: CountsByKind }, endpoint?: Endpoint): void {
    const counts = result.kinds;
    for (const kind in counts) {
      const count = counts[kind];
      if (count === undefined || !(count > 0)) continue;
      const k = kindIndex.get(kind);
      if (k === undefined) continue;
      const series =
        endpoint === undefined
          ? directionIndex.get(direction)! * kinds.length + k
          : redactions.seriesByKey(`${direction}\0${kind}\0${endpoint}`, () => ({ direction, kind, endpoint }));
      redactions.add(series, count);
    }
  }

  return {
    countRedactions,
    observeRedaction(direction, result, byteCount, seconds, endpoint) {
      messages.add(seriesOf(messages, direction, endpoint), 1);
      bytes.add(seriesOf(bytes, direction, endpoint), byteCount);
      countRedactions(direction, result, endpoint);
      if (result.allowed !== undefined && result.allowed > 0) allowed.add(seriesOf(allowed, direction, endpoint), result.allowed);
      const keptCounts = result.keptClasses;
      if (keptCounts !== undefined) {
        for (let k = 0; k < keptClasses.length; k++) {
          const name = keptClasses[k]!;
          const count = keptCounts[name];
          if (count === undefined || !(count > 0)) continue;
          const series =
            endpoint === undefined
              ? directionIndex.get(direction)! * keptClasses.length + k
              : kept.seriesByKey(`${direction}\0${name}\0${endpoint}`, () => ({ direction, class: name, endpoint }));
          kept.add(series, count);
        }
      }
      if (seconds !== undefined) duration.observe(seconds);
    },
  };
}
