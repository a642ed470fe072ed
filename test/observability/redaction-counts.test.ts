import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { DIRECTIONS, createMetrics, type Direction, type Metrics } from '../../src/observability/metrics.js';
import type { RedactionReport } from '../../src/observability/redaction-counts.js';
import { COUNTED_KINDS, KEEP_CLASSES } from '../../src/redact/index.js';

/**
 * The counting as it was before the tallies: prom-client's `inc` with the labels of each event,
 * straight on the counters (a tally adds a direct `inc` to the same series).
 */
function countDirectly(metrics: Metrics, direction: Direction, result: RedactionReport, bytes: number, endpoint?: string): void {
  const series = endpoint === undefined ? { direction } : { direction, endpoint };
  metrics.messages.inc(series);
  metrics.bytes.inc(series, bytes);
  countKindsDirectly(metrics, direction, result, endpoint);
  if (result.allowed !== undefined && result.allowed > 0) metrics.allowed.inc(series, result.allowed);
  for (const name of KEEP_CLASSES) {
    const count = result.keptClasses?.[name];
    if (count !== undefined && count > 0) metrics.kept.inc(endpoint === undefined ? { direction, class: name } : { direction, class: name, endpoint }, count);
  }
}

function countKindsDirectly(metrics: Metrics, direction: Direction, result: RedactionReport, endpoint?: string): void {
  for (const [kind, count] of Object.entries(result.kinds)) {
    if (count !== undefined && count > 0 && COUNTED_KINDS.includes(kind as never)) {
      metrics.redactions.inc(endpoint === undefined ? { direction, kind } : { direction, kind, endpoint }, count);
    }
  }
}

const counts = (names: readonly string[]) => fc.dictionary(fc.constantFrom(...names, 'unknown_kind'), fc.nat({ max: 4 }), { maxKeys: 4 });
const event = fc.record({
  direction: fc.constantFrom(...DIRECTIONS),
  endpoint: fc.constantFrom(undefined, 'native', 'batch'),
  kinds: counts(COUNTED_KINDS),
  keptClasses: fc.option(counts(KEEP_CLASSES), { nil: undefined }),
  allowed: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
  bytes: fc.nat({ max: 10_000 }),
  scrape: fc.boolean(),
});

describe('countRedactedText (createMetrics’ observeRedaction and countRedactions)', () => {
  it('makes byte for byte the exposition that prom-client’s inc with each event’s labels makes, scraped at any point (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 25 }), async (events) => {
        const tallied = createMetrics(METRIC_LABELS, { collectDefaults: false });
        const direct = createMetrics(METRIC_LABELS, { collectDefaults: false });
        for (const e of events) {
          const result: RedactionReport = { kinds: e.kinds, ...(e.allowed !== undefined && { allowed: e.allowed }), ...(e.keptClasses !== undefined && { keptClasses: e.keptClasses }) };
          tallied.observeRedaction(e.direction, result, e.bytes, undefined, e.endpoint);
          countDirectly(direct, e.direction, result, e.bytes, e.endpoint);
          tallied.countRedactions(e.direction, { kinds: e.kinds }, e.endpoint);
          countKindsDirectly(direct, e.direction, { kinds: e.kinds }, e.endpoint);
          if (e.scrape) expect(await tallied.registry.metrics()).toBe(await direct.registry.metrics());
        }
        expect(await tallied.registry.metrics()).toBe(await direct.registry.metrics());
        expect(await tallied.registry.getMetricsAsJSON()).toEqual(await direct.registry.getMetricsAsJSON());
      }),
      { numRuns: 150 },
    );
  });
});
