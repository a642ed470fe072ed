import { describe, expect, it } from 'vitest';
import {
  PROMETHEUS_URL,
  RULES_FILE,
  RULES_TEST_FILE,
  loadManifests,
  readAlertRules,
  readRepoFile,
  readRuleGroups,
  readYamlFile,
  type RuleGroup,
} from './deploy-files.js';
import { parsePromql } from './promql.js';
import { isCumulative, readServiceMetricTypes, resolveMetric } from './service-metrics.js';

/**
 * The only series the rules read that the service does not export: Prometheus' own per-target
 * `up`, and kube-state-metrics' view of the Deployment (docs/operations.md, "Monitoring").
 */
const OTHER_SERIES = new Set(['up', 'kube_deployment_status_replicas_unavailable']);
/** The scrape job the rules select: the ServiceMonitor's job is its Service's name. */
const JOB = 'chat-redact';
const SEVERITIES = ['critical', 'warning'];
const ANNOTATIONS = ['description', 'runbook_url', 'summary'];
const RUNBOOK_PARTS = ['What it means', 'What to look at', 'What to do'];

/** What the issue asks to be alerted on, and the alerts that do it. */
const ALERTS_BY_CONCERN: Record<string, string[]> = {
  'vendor failures above a rate': ['ChatRedactVendorFailures'],
  'circuit breaker open': ['ChatRedactCircuitBreakerOpen'],
  'redaction rate jumping': ['ChatRedactRedactionRateJump'],
  'redaction latency p99 above a bound': ['ChatRedactRedactionSlow'],
  'pods not ready or restarting': ['ChatRedactNoPodUp', 'ChatRedactPodDown', 'ChatRedactPodRestarting', 'ChatRedactPodsNotReady'],
  'WebSocket rejections by reason': ['ChatRedactUpgradesRefused', 'ChatRedactAtCapacity'],
  "widget-side removals disagreeing with the gateway's": ['ChatRedactWidgetEngineBypassed', 'ChatRedactWidgetCountsImplausible'],
  'resumes refused (replicas not sharing SESSION_SECRET)': ['ChatRedactSessionResumesRefused'],
};

interface RulesTests {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

/** The `### Heading` sections of docs/operations.md, by heading. */
function readRunbooks(): Map<string, string> {
  const sections = readRepoFile('docs/operations.md').split(/^### /m).slice(1);
  return new Map(sections.map((section) => [section.slice(0, section.indexOf('\n')).trim(), section]));
}

describe(`deploy/prometheus/${RULES_FILE}`, async () => {
  const groups = readRuleGroups();
  const alerts = readAlertRules();
  const { all: serviceTypes } = await readServiceMetricTypes();

  it('holds exactly the alerts for what operations asked to watch, each once', () => {
    expect(alerts.map((rule) => rule.alert).sort()).toEqual(Object.values(ALERTS_BY_CONCERN).flat().sort());
  });

  it('is, group for group, what the PrometheusRule holds', () => {
    const prometheusRule = readYamlFile(new URL('prometheusrule.yaml', PROMETHEUS_URL)) as { spec: { groups: RuleGroup[] } };
    expect(prometheusRule.spec.groups).toEqual(groups);
  });

  it("parses, every expression, with Prometheus' own PromQL grammar", () => {
    for (const rule of alerts) expect(parsePromql(rule.expr).errors, rule.alert).toEqual([]);
  });

  it('reads only metrics the service exports, and the two series named in the runbook', () => {
    const unknown = alerts.flatMap((rule) =>
      parsePromql(rule.expr)
        .uses.filter((use) => !OTHER_SERIES.has(use.name) && resolveMetric(use.name, serviceTypes) === undefined)
        .map((use) => `${rule.alert}: ${use.name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('takes rates of counters and histograms, and of nothing else', () => {
    for (const rule of alerts) {
      for (const use of parsePromql(rule.expr).uses) {
        const resolved = resolveMetric(use.name, serviceTypes);
        const cumulative = resolved !== undefined && isCumulative(resolved);
        expect({ alert: rule.alert, name: use.name, rated: use.rated }).toEqual({ alert: rule.alert, name: use.name, rated: cumulative });
      }
    }
  });

  it('selects the scrape job by the name the ServiceMonitor and the example configuration give it', () => {
    const { service } = loadManifests();
    expect(service.metadata.name).toBe(JOB);
    const example = readYamlFile(new URL('prometheus.example.yml', PROMETHEUS_URL)) as { rule_files: string[]; scrape_configs: { job_name: string }[] };
    expect(example.scrape_configs.map((config) => config.job_name)).toEqual([JOB]);
    expect(example.rule_files).toEqual([RULES_FILE]);
    const jobSelectors = alerts.flatMap((rule) => [...rule.expr.matchAll(/\bjob="([^"]*)"/g)].map((match) => match[1]));
    expect(jobSelectors.length).toBeGreaterThan(0);
    expect(new Set(jobSelectors)).toEqual(new Set([JOB]));
  });

  it('gives every alert a severity, a summary, a description and its runbook in docs/operations.md', () => {
    const runbooks = readRunbooks();
    for (const rule of alerts) {
      expect(rule.alert).toMatch(/^ChatRedact[A-Z]\w+$/);
      expect(SEVERITIES).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(ANNOTATIONS);
      expect(rule.annotations!.runbook_url).toBe(`docs/operations.md#${rule.alert.toLowerCase()}`);
      const runbook = runbooks.get(rule.alert) ?? '';
      expect(RUNBOOK_PARTS.filter((part) => !runbook.includes(`**${part}**`)), rule.alert).toEqual([]);
    }
  });

  it('has promtool tests that fire every alert, and a healthy cluster on which none fires', () => {
    const rulesTests = readYamlFile(new URL(RULES_TEST_FILE, PROMETHEUS_URL)) as RulesTests;
    expect(rulesTests.rule_files).toEqual([RULES_FILE]);
    const cases = rulesTests.tests.flatMap((test) => test.alert_rule_test ?? []);
    const fired = new Set(cases.filter((test) => (test.exp_alerts ?? []).length > 0).map((test) => test.alertname));
    const names = alerts.map((rule) => rule.alert);
    expect(names.filter((name) => !fired.has(name))).toEqual([]);
    const healthy = rulesTests.tests[0]!;
    expect(healthy.name).toMatch(/healthy/);
    const quiet = (healthy.alert_rule_test ?? []).filter((test) => (test.exp_alerts ?? []).length === 0).map((test) => test.alertname);
    expect(quiet.sort()).toEqual([...names].sort());
  });
});
