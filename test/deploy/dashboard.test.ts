import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, createMetrics } from '../../src/observability/metrics.js';
import { readRepoFile } from './deploy-files.js';

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

interface Dashboard {
  schemaVersion: number;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
}

const GRID_COLUMNS = 24;
const DATASOURCE_UID = '${datasource}';

/** PromQL words that look like metric names but are not. */
const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

interface MetricUse {
  name: string;
  /** Directly inside rate(), irate() or increase(). */
  rated: boolean;
}

/** The metric names a PromQL expression reads, and whether each is taken as a rate. */
function readMetricUses(expr: string): MetricUse[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\$\{[^}]*\}|\$\w+/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|s|m|h|d|w|y)?/gi, '0');
  const uses: MetricUse[] = [];
  for (const match of bare.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const name = match[0];
    const end = match.index + name.length;
    if (bare.slice(end).trimStart().startsWith('(') || PROMQL_KEYWORDS.has(name.toLowerCase())) continue;
    uses.push({ name, rated: /\b(?:rate|irate|increase)\(\s*$/.test(bare.slice(0, match.index)) });
  }
  return uses;
}

/** Every panel, rows' nested panels included. */
function flattenPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...flattenPanels(panel.panels ?? [])]);
}

async function readMetricTypes(registry: client.Registry): Promise<Map<string, string>> {
  const metrics = await registry.getMetricsAsJSON();
  return new Map(metrics.map((metric) => [metric.name, String(metric.type)]));
}

/** The series a name refers to: itself, or the histogram it is the `_bucket`/`_sum`/`_count` of. */
function resolveMetric(name: string, types: Map<string, string>): { metric: string; type: string; part: boolean } | undefined {
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

function overlaps(a: Panel['gridPos'], b: Panel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('deploy/grafana/dashboard.json', async () => {
  const dashboard = JSON.parse(readRepoFile('deploy/grafana/dashboard.json')) as Dashboard;
  const panels = flattenPanels(dashboard.panels);
  const queryPanels = panels.filter((panel) => panel.type !== 'row');
  const exprs = queryPanels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));
  const uses = exprs.flatMap(readMetricUses);

  const appTypes = await readMetricTypes(createMetrics({ collectDefaults: false }).registry);
  const defaultsRegistry = new client.Registry();
  client.collectDefaultMetrics({ register: defaultsRegistry });
  const defaultTypes = await readMetricTypes(defaultsRegistry);
  const knownTypes = new Map([...defaultTypes, ...appTypes]);

  it('reads metric names out of PromQL, not functions, labels, strings, numbers or variables', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le, pod) (rate(a_seconds_bucket{job="x{y}", pod=~"$pod"}[$__rate_interval]))) ' +
      '/ on (pod) group_left b_bytes offset 1h > 1e-3 or vector(0)';
    expect(readMetricUses(expr)).toEqual([
      { name: 'a_seconds_bucket', rated: true },
      { name: 'b_bytes', rated: false },
    ]);
  });

  it('knows the service metrics by the names the metrics module exports', () => {
    expect([...appTypes.keys()].sort()).toEqual([...METRIC_NAMES].sort());
    expect(defaultTypes.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('queries, in every panel, only metrics the service or prom-client really registers', () => {
    expect(queryPanels.length).toBeGreaterThan(0);
    for (const panel of queryPanels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(readMetricUses(target.expr ?? ''), `${panel.title}: ${target.expr}`).not.toEqual([]);
    }
    const unknown = uses.filter((use) => resolveMetric(use.name, knownTypes) === undefined).map((use) => use.name);
    expect(unknown).toEqual([]);
  });

  it('shows every service metric and the Node.js event loop, resident memory and heap', () => {
    const shown = new Set(uses.map((use) => resolveMetric(use.name, knownTypes)?.metric));
    expect(METRIC_NAMES.filter((name) => !shown.has(name))).toEqual([]);
    for (const name of ['nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(shown).toContain(name);
    }
  });

  it('takes rates of counters and histograms, never of gauges', () => {
    for (const use of uses) {
      const resolved = resolveMetric(use.name, knownTypes)!;
      const cumulative = resolved.type === 'counter' || resolved.part;
      expect({ name: use.name, rated: use.rated }).toEqual({ name: use.name, rated: cumulative });
    }
  });

  it('computes quantiles from buckets summed by le', () => {
    const quantileExprs = exprs.filter((expr) => expr.includes('histogram_quantile'));
    expect(quantileExprs.length).toBeGreaterThanOrEqual(4);
    for (const expr of quantileExprs) {
      expect(expr).toMatch(/\bby \((?:[\w\s,]*,\s*)?le\b/);
      expect(readMetricUses(expr).every((use) => use.name.endsWith('_bucket'))).toBe(true);
    }
  });

  it('reads every query from the datasource variable, and defines every variable it uses', () => {
    const variables = dashboard.templating.list;
    expect(variables.find((variable) => variable.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of queryPanels) {
      expect(panel.datasource?.uid, panel.title).toBe(DATASOURCE_UID);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).toBe(DATASOURCE_UID);
    }
    const names = new Set(variables.map((variable) => variable.name));
    const used = exprs.flatMap((expr) => [...expr.matchAll(/\$(?!__)(\w+)/g)].map((match) => match[1]!));
    expect(used.filter((name) => !names.has(name))).toEqual([]);
  });

  it('lays panels out on the grid without overlaps, with unique ids', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(GRID_COLUMNS);
    }
    for (const [index, panel] of panels.entries()) {
      for (const other of panels.slice(index + 1)) {
        expect(overlaps(panel.gridPos, other.gridPos), `${panel.title} / ${other.title}`).toBe(false);
      }
    }
  });
});
