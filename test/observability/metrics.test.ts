import fc from 'fast-check';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../src/errors.js';
import { VENDOR_OUTCOMES } from '../../src/chatbot/vendor-client.js';
import { UPGRADE_REFUSALS as WS_REJECT_REASONS } from '../../src/gateway/upgrade-policy.js';
import { METRIC_LABELS, WS_CLOSE_LABELS } from '../../src/metric-labels.js';
import { DIRECTIONS, METRIC_NAMES, METRIC_PREFIX, createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { SESSION_OUTCOMES } from '../../src/session/chat-session.js';
import { COUNTED_KINDS as KINDS, KEEP_CLASSES, redact } from '../../src/redact/index.js';
import { chatText } from '../support/arbitraries.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of the Prometheus text exposition, parsed. */
async function samplesOf(metrics: Metrics): Promise<Sample[]> {
  const text = await metrics.registry.metrics();
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      expect(match, line).not.toBeNull();
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match![2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
      return { name: match![1]!, labels, value: Number(match![3]) };
    });
}

async function valueOf(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const samples = await samplesOf(metrics);
  return samples.find(
    (sample) =>
      sample.name === name &&
      Object.keys(labels).length === Object.keys(sample.labels).length &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

describe('createMetrics: names and labels', () => {
  it('registers the documented metrics under the chat_redact_ prefix, with their types', async () => {
    const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
    const json = await metrics.registry.getMetricsAsJSON();
    expect(METRIC_PREFIX).toBe('chat_redact_');
    expect(json.map((metric) => [metric.name, metric.type])).toEqual([
      ['chat_redact_messages_total', 'counter'],
      ['chat_redact_redactions_total', 'counter'],
      ['chat_redact_bytes_total', 'counter'],
      ['chat_redact_redaction_duration_seconds', 'histogram'],
      ['chat_redact_vendor_requests_total', 'counter'],
      ['chat_redact_vendor_duration_seconds', 'histogram'],
      ['chat_redact_ws_connections', 'gauge'],
      ['chat_redact_ws_rejected_total', 'counter'],
      ['chat_redact_ws_closes_total', 'counter'],
      ['chat_redact_allowed_total', 'counter'],
      ['chat_redact_kept_total', 'counter'],
      ['chat_redact_widget_redactions_total', 'counter'],
      ['chat_redact_sessions_total', 'counter'],
    ]);
    expect(json.map((metric) => metric.name)).toEqual(METRIC_NAMES);
    for (const metric of json) expect(metric.help.length).toBeGreaterThan(10);
  });

  it('starts every bounded label combination at zero', async () => {
    const samples = await samplesOf(createMetrics(METRIC_LABELS, { collectDefaults: false }));
    const labelled = (name: string) => samples.filter((s) => s.name === name).map((s) => s.labels);
    expect(labelled('chat_redact_messages_total')).toEqual(DIRECTIONS.map((direction) => ({ direction })));
    expect(labelled('chat_redact_bytes_total')).toEqual(DIRECTIONS.map((direction) => ({ direction })));
    expect(labelled('chat_redact_redactions_total')).toEqual(
      DIRECTIONS.flatMap((direction) => KINDS.map((kind) => ({ direction, kind }))),
    );
    // The chatbot part zeroes its own vendor kind's outcomes; the metrics module knows no kinds.
    expect(labelled('chat_redact_vendor_requests_total')).toEqual([]);
    expect(labelled('chat_redact_allowed_total')).toEqual(DIRECTIONS.map((direction) => ({ direction })));
    expect(labelled('chat_redact_kept_total')).toEqual(DIRECTIONS.flatMap((direction) => KEEP_CLASSES.map((name) => ({ direction, class: name }))));
    expect(labelled('chat_redact_widget_redactions_total')).toEqual(KINDS.map((kind) => ({ kind })));
    expect(labelled('chat_redact_sessions_total')).toEqual(SESSION_OUTCOMES.map((outcome) => ({ outcome })));
    expect(labelled('chat_redact_ws_rejected_total')).toEqual(WS_REJECT_REASONS.map((reason) => ({ reason })));
    expect(labelled('chat_redact_ws_closes_total')).toEqual(WS_CLOSE_LABELS.map((code) => ({ code })));
    for (const sample of samples.filter((s) => s.name.endsWith('_total'))) expect(sample.value).toBe(0);
  });

  it('labels closes by the gateway’s close codes, 1005, 1006 and other', async () => {
    expect(WS_CLOSE_LABELS).toEqual(['1000', '1001', '1005', '1006', '1007', '1008', '1009', '1011', 'other']);
    for (const code of Object.values(CLOSE_CODES)) expect(WS_CLOSE_LABELS).toContain(String(code));
    const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
    for (const code of [1000, 1008, 1008, 1006, 4000, 3999, 1, -5, 1.5]) metrics.observeClose(code);
    const closes = (await samplesOf(metrics)).filter((s) => s.name === 'chat_redact_ws_closes_total');
    expect(Object.fromEntries(closes.map((s) => [s.labels.code, s.value]))).toEqual({
      '1000': 1,
      '1001': 0,
      '1005': 0,
      '1006': 1,
      '1007': 0,
      '1008': 2,
      '1009': 0,
      '1011': 0,
      other: 5,
    });
  });
});

describe('createMetrics: observeRedaction', () => {
  it('counts messages, bytes and deletions by direction and kind', async () => {
    const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
    const text = 'ring 98 76 54 32 eller 1234567, takk';
    const result = redact(text);
    expect(result.kinds).toEqual({ phone: 1, other: 1 });
    metrics.observeRedaction('inbound', result, Buffer.byteLength(text));
    metrics.observeRedaction('inbound', { kinds: { phone: 2, national_id: 1 } }, 10);
    metrics.observeRedaction('outbound', { kinds: {} }, 5);

    expect(await valueOf(metrics, 'chat_redact_messages_total', { direction: 'inbound' })).toBe(2);
    expect(await valueOf(metrics, 'chat_redact_messages_total', { direction: 'outbound' })).toBe(1);
    expect(await valueOf(metrics, 'chat_redact_bytes_total', { direction: 'inbound' })).toBe(Buffer.byteLength(text) + 10);
    expect(await valueOf(metrics, 'chat_redact_bytes_total', { direction: 'outbound' })).toBe(5);
    const redactions = (await samplesOf(metrics)).filter((s) => s.name === 'chat_redact_redactions_total' && s.value > 0);
    expect(redactions).toEqual([
      { name: 'chat_redact_redactions_total', labels: { direction: 'inbound', kind: 'national_id' }, value: 1 },
      { name: 'chat_redact_redactions_total', labels: { direction: 'inbound', kind: 'phone' }, value: 3 },
      { name: 'chat_redact_redactions_total', labels: { direction: 'inbound', kind: 'other' }, value: 1 },
    ]);
  });

  it('times redaction in microsecond buckets, and only when given a time', async () => {
    const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
    metrics.observeRedaction('inbound', { kinds: {} }, 1);
    expect(await valueOf(metrics, 'chat_redact_redaction_duration_seconds_count')).toBe(0);
    metrics.observeRedaction('inbound', { kinds: {} }, 1, 4e-6);
    metrics.observeRedaction('outbound', { kinds: {} }, 1, 0.0003);
    const buckets = (await samplesOf(metrics)).filter((s) => s.name === 'chat_redact_redaction_duration_seconds_bucket');
    const bounds = buckets.map((s) => s.labels.le);
    expect(bounds).toEqual(['0.000001', '0.0000025', '0.000005', '0.00001', '0.000025', '0.00005', '0.0001', '0.00025', '0.0005', '0.001', '0.01', '+Inf']);
    const count = (le: string) => buckets.find((s) => s.labels.le === le)?.value;
    expect([count('0.0000025'), count('0.000005'), count('0.00025'), count('0.0005'), count('+Inf')]).toEqual([0, 1, 1, 2, 2]);
    expect(await valueOf(metrics, 'chat_redact_redaction_duration_seconds_sum')).toBeCloseTo(0.000304, 9);
  });
});

describe('createMetrics: isolation', () => {
  it('two instances have registries of their own, and neither touches the global one', async () => {
    const a = createMetrics(METRIC_LABELS);
    const b = createMetrics(METRIC_LABELS);
    expect(a.registry).not.toBe(b.registry);
    a.observeRedaction('inbound', { kinds: { phone: 1 } }, 7);
    a.wsConnections.inc();
    expect(await valueOf(a, 'chat_redact_messages_total', { direction: 'inbound' })).toBe(1);
    expect(await valueOf(b, 'chat_redact_messages_total', { direction: 'inbound' })).toBe(0);
    expect(await valueOf(a, 'chat_redact_ws_connections')).toBe(1);
    expect(await valueOf(b, 'chat_redact_ws_connections')).toBe(0);
    expect(client.register.getSingleMetric('chat_redact_messages_total')).toBeUndefined();
  });

  it('collects Node’s default metrics unless told not to', async () => {
    const names = (metrics: Metrics) => metrics.registry.getMetricsAsJSON().then((json) => json.map((m) => m.name));
    const withDefaults = await names(createMetrics(METRIC_LABELS));
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_version_info']) {
      expect(withDefaults).toContain(name);
    }
    const without = await names(createMetrics(METRIC_LABELS, { collectDefaults: false }));
    expect(without.filter((name) => !name.startsWith(METRIC_PREFIX))).toEqual([]);
  });
});

describe('createMetrics: no content in the exposition', () => {
  const BOUNDED: Record<string, readonly string[]> = {
    direction: DIRECTIONS,
    kind: KINDS,
    outcome: [...VENDOR_OUTCOMES, ...SESSION_OUTCOMES],
    reason: WS_REJECT_REASONS,
    code: WS_CLOSE_LABELS,
    class: KEEP_CLASSES,
  };

  it('every label of our metrics is from a bounded set, and no text or number observed shows up (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...DIRECTIONS), chatText), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: -10, max: 70_000 }), { maxLength: 5 }),
        async (messages, closeCodes) => {
          const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
          const marker = 'zq-marker-xyzzy';
          for (const [direction, text] of messages) {
            const input = `${marker} ${text} 98765432`;
            metrics.observeRedaction(direction, redact(input), Buffer.byteLength(input), 1e-5);
          }
          for (const code of closeCodes) metrics.observeClose(code);
          const exposition = await metrics.registry.metrics();
          expect(exposition).not.toContain(marker);
          expect(exposition).not.toContain('98765432');
          for (const sample of await samplesOf(metrics)) {
            expect(sample.name.startsWith(METRIC_PREFIX)).toBe(true);
            for (const [label, value] of Object.entries(sample.labels)) {
              if (label === 'le') continue;
              expect(BOUNDED[label], `label ${label}`).toBeDefined();
              expect(BOUNDED[label]).toContain(value);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
