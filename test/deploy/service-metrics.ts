/**
 * The metrics the service really exports, by name and type, for the tests that check what the
 * dashboard and the alert rules read: the service's own (src/observability/metrics.ts) and
 * prom-client's default Node.js metrics, each from a registry of its own.
 */
import client from 'prom-client';
import { createMetrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** A metric's type (`counter`, `gauge`, `histogram`, `summary`) by its name. */
export type MetricTypes = ReadonlyMap<string, string>;

async function readTypes(registry: client.Registry): Promise<Map<string, string>> {
  const metrics = await registry.getMetricsAsJSON();
  return new Map(metrics.map((metric) => [metric.name, String(metric.type)]));
}

/** The service's own metrics, and prom-client's defaults, by name. */
export async function readServiceMetricTypes(): Promise<{ own: MetricTypes; defaults: MetricTypes; all: MetricTypes }> {
  const own = await readTypes(createMetrics(METRIC_LABELS, { collectDefaults: false }).registry);
  const defaultsRegistry = new client.Registry();
  client.collectDefaultMetrics({ register: defaultsRegistry });
  const defaults = await readTypes(defaultsRegistry);
  return { own, defaults, all: new Map([...defaults, ...own]) };
}

/** The metric a series name belongs to: itself, or the histogram it is the `_bucket`/`_sum`/`_count` of. */
export interface ResolvedMetric {
  metric: string;
  type: string;
  /** A histogram's or summary's `_bucket`, `_sum` or `_count` series. */
  part: boolean;
}

/** Resolve a series name against `types`; `undefined` when the service exports no such series. */
export function resolveMetric(name: string, types: MetricTypes): ResolvedMetric | undefined {
  const type = types.get(name);
  if (type !== undefined) return { metric: name, type, part: false };
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const metric = name.slice(0, -suffix.length);
    const baseType = types.get(metric);
    if (baseType === 'histogram' || (baseType === 'summary' && suffix !== '_bucket')) return { metric, type: baseType, part: true };
  }
  return undefined;
}

/** Whether a series only makes sense through rate()/increase(): a counter's, or a histogram's parts. */
export function isCumulative(resolved: ResolvedMetric): boolean {
  return resolved.type === 'counter' || resolved.part;
}
