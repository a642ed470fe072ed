import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/observability/metrics.js';
import { flattenPanels, readDashboard, type Panel } from './deploy-files.js';
import { PARSE_VARIABLES, parsePromql, substituteVariables } from './promql.js';
import { isCumulative, readServiceMetricTypes, resolveMetric } from './service-metrics.js';

const GRID_COLUMNS = 24;
const DATASOURCE_UID = '${datasource}';

function overlaps(a: Panel['gridPos'], b: Panel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('deploy/grafana/dashboard.json', async () => {
  const dashboard = readDashboard();
  const panels = flattenPanels(dashboard.panels);
  const queryPanels = panels.filter((panel) => panel.type !== 'row');
  const exprs = queryPanels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));
  const parsed = exprs.map((expr) => ({ expr, ...parsePromql(substituteVariables(expr, PARSE_VARIABLES)) }));
  const uses = parsed.flatMap((query) => query.uses);

  const { own: appTypes, defaults: defaultTypes, all: knownTypes } = await readServiceMetricTypes();

  it("parses, every query, with Prometheus' own PromQL grammar once Grafana's variables are filled in", () => {
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.filter((query) => query.errors.length > 0).map(({ expr, errors }) => ({ expr, errors }))).toEqual([]);
  });

  it('knows the service metrics by the names the metrics module exports', () => {
    expect([...appTypes.keys()].sort()).toEqual([...METRIC_NAMES].sort());
    expect(defaultTypes.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('queries, in every panel, only metrics the service or prom-client really registers', () => {
    expect(queryPanels.length).toBeGreaterThan(0);
    for (const panel of queryPanels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        const { uses: read } = parsePromql(substituteVariables(target.expr ?? '', PARSE_VARIABLES));
        expect(read, `${panel.title}: ${target.expr}`).not.toEqual([]);
      }
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
      const cumulative = isCumulative(resolveMetric(use.name, knownTypes)!);
      expect({ name: use.name, rated: use.rated }).toEqual({ name: use.name, rated: cumulative });
    }
  });

  it('computes quantiles from buckets summed by le', () => {
    const quantileExprs = exprs.filter((expr) => expr.includes('histogram_quantile'));
    expect(quantileExprs.length).toBeGreaterThanOrEqual(4);
    for (const expr of quantileExprs) {
      expect(expr).toMatch(/\bby \((?:[\w\s,]*,\s*)?le\b/);
      expect(parsePromql(substituteVariables(expr, PARSE_VARIABLES)).uses.every((use) => use.name.endsWith('_bucket'))).toBe(true);
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
