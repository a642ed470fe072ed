import fc from 'fast-check';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CounterTally, HistogramTally } from '../../src/observability/metric-tallies.js';

const BUCKETS = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 1e-2];
const LABEL_SETS = [
  { direction: 'inbound' },
  { direction: 'outbound' },
  { direction: 'inbound', endpoint: 'native' },
  { direction: 'outbound', endpoint: 'native' },
  { direction: 'inbound', endpoint: 'other' },
] as const;
/** The first two are zeroed up front; the others show up when first counted. */
const ZEROED = 2;

type Step = { scrape: true } | { scrape: false; series: number; by: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ scrape: true as const }) },
  {
    weight: 6,
    arbitrary: fc.record({ scrape: fc.constant(false as const), series: fc.nat({ max: LABEL_SETS.length - 1 }), by: fc.oneof(fc.constant(0), fc.constant(1), fc.nat({ max: 5000 })) }),
  },
);

describe('CounterTally', () => {
  it('exposes byte for byte what prom-client’s own inc makes, series in the order first counted, scraped at any point (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const direct = new client.Registry();
        const tallied = new client.Registry();
        const config = { name: 'x_messages_total', help: 'Messages, by direction.', labelNames: ['direction', 'endpoint'] as const };
        const counter = new client.Counter({ ...config, registers: [direct] });
        const tally = new CounterTally({ ...config, registers: [tallied] });
        const indices = LABEL_SETS.map((labels, k) => (k < ZEROED ? tally.zeroed(labels) : tally.seriesByKey(JSON.stringify(labels), () => labels)));
        for (const labels of LABEL_SETS.slice(0, ZEROED)) counter.inc(labels, 0);
        for (const s of steps) {
          if (s.scrape) {
            expect(await tallied.metrics()).toBe(await direct.metrics());
            continue;
          }
          counter.inc(LABEL_SETS[s.series]!, s.by);
          tally.add(indices[s.series]!, s.by);
        }
        expect(await tallied.metrics()).toBe(await direct.metrics());
        expect(await tally.counter.get()).toEqual(await counter.get());
      }),
      { numRuns: 200 },
    );
  });

  it('finds a series by its key once made, and adds a direct inc to the same series', async () => {
    const registry = new client.Registry();
    const tally = new CounterTally({ name: 'x_total', help: 'Things.', labelNames: ['kind'] as const, registers: [registry] });
    const a = tally.seriesByKey('a', () => ({ kind: 'a' }));
    expect(tally.seriesByKey('a', () => ({ kind: 'wrong' }))).toBe(a);
    tally.add(a, 2);
    tally.counter.inc({ kind: 'a' }, 3);
    tally.add(a, 4);
    expect((await tally.counter.get()).values).toEqual([{ labels: { kind: 'a' }, value: 9 }]);
  });

  it('refuses a negative or infinite count, as prom-client does', () => {
    const tally = new CounterTally({ name: 'x_total', help: 'Things.', labelNames: ['kind'] as const, registers: [] });
    const a = tally.zeroed({ kind: 'a' });
    expect(() => tally.add(a, -1)).toThrow('not possible to decrease');
    expect(() => tally.add(a, Infinity)).toThrow(TypeError);
  });
});

describe('HistogramTally', () => {
  const value = fc.oneof(
    fc.constantFrom(...BUCKETS, 0, -1, 0.5, 2, 1e-7),
    fc.double({ min: 0, max: 0.02, noNaN: true }),
    fc.double({ min: -1, max: 100, noNaN: true }),
  );

  it('exposes byte for byte what prom-client’s own observe makes: buckets, +Inf, _sum, _count (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(value, fc.constant('scrape' as const)), { maxLength: 60 }), async (steps) => {
        const direct = new client.Registry();
        const tallied = new client.Registry();
        const config = { name: 'x_duration_seconds', help: 'Time to do one thing.', buckets: BUCKETS };
        const histogram = new client.Histogram({ ...config, registers: [direct] });
        const tally = new HistogramTally({ ...config, registers: [tallied] });
        for (const s of steps) {
          if (s === 'scrape') {
            expect(await tallied.metrics()).toBe(await direct.metrics());
            continue;
          }
          histogram.observe(s);
          tally.observe(s);
        }
        expect(await tallied.metrics()).toBe(await direct.metrics());
        expect(await tally.get()).toEqual(await histogram.get());
        expect(await tallied.getMetricsAsJSON()).toEqual(await direct.getMetricsAsJSON());
      }),
      { numRuns: 200 },
    );
  });

  it('prints cumulative buckets, +Inf, a sum added value by value, and the count', async () => {
    const registry = new client.Registry();
    const tally = new HistogramTally({ name: 'x_seconds', help: 'Time.', buckets: [0.25, 1], registers: [registry] });
    for (const seconds of [0.1, 0.2, 0.3, 2]) tally.observe(seconds);
    expect(await registry.metrics()).toBe(
      [
        '# HELP x_seconds Time.',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{le="0.25"} 2',
        'x_seconds_bucket{le="1"} 3',
        'x_seconds_bucket{le="+Inf"} 4',
        'x_seconds_sum 2.6',
        'x_seconds_count 4',
        '',
      ].join('\n'),
    );
    expect((await tally.get()).values.find((v) => v.metricName === 'x_seconds_sum')?.value).toBe(0.1 + 0.2 + 0.3 + 2);
  });

  it('refuses a value that is not a finite number, as prom-client does', () => {
    const tally = new HistogramTally({ name: 'x_seconds', help: 'Time.', buckets: [1], registers: [] });
    for (const bad of [NaN, Infinity, -Infinity]) expect(() => tally.observe(bad)).toThrow('Value is not a valid number');
  });
});
