import { describe, expect, it } from 'vitest';
import { redactInbound } from '../../src/gateway/inbound-redaction.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createPolicy } from '../../src/redact/index.js';

/** A synthetic fødselsnummer (01.01.90) with both check digits right; no real person's. */
const NATIONAL_ID = '01019010046';

async function valuesOf(metrics: ReturnType<typeof createMetrics>, name: string): Promise<Record<string, number>> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).filter((v) => v.value > 0).map((v) => [JSON.stringify(v.labels), v.value]));
}

describe('redactInbound', () => {
  it('redacts what the widget left, and counts it beside what the widget says it removed', async () => {
    const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
    const result = redactInbound({ type: 'message', id: 'm1', text: `fnr ${NATIONAL_ID} takk`, removed: { phone: 2 } }, createPolicy(), metrics);
    expect(result.text).toBe('fnr  takk');
    expect(result.redactions).toBe(1);
    expect(await valuesOf(metrics, 'chat_redact_widget_redactions_total')).toEqual({ '{"kind":"phone"}': 2 });
    expect(await valuesOf(metrics, 'chat_redact_redactions_total')).toEqual({ '{"direction":"inbound","kind":"national_id"}': 1 });
    expect(await valuesOf(metrics, 'chat_redact_bytes_total')).toEqual({ '{"direction":"inbound"}': Buffer.byteLength(`fnr ${NATIONAL_ID} takk`) });
  });
});
