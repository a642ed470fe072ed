/**
 * A real Prometheus (Debian's package) scraping two real gateways — the built service, one with
 * the demo bot and one with an HTTP vendor — while they get chat over WebSocket and calls to
 * `POST /v1/redact`. Every dashboard query must return data and every alert expression must run
 * through Prometheus' HTTP API; Prometheus must load the rules file and evaluate each rule
 * without error; and `promtool check metrics` must find nothing to say about our own metrics.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROMETHEUS_URL, RULES_FILE, readAlertRules, readDashboard, readDashboardQueries, readRuleGroups } from '../deploy/deploy-files.js';
import { substituteVariables, type DashboardVariables } from '../deploy/promql.js';
import { CLI, killLeftoverChildren, startAndWaitForUrl, type ServiceProcess } from '../support/serve-process.js';
import { jsonReply, statusReply, startVendorStub, type VendorStub } from '../support/vendor-stub.js';
import { connectClient, upgradeStatus } from '../support/ws-client.js';
import { findTool, runPromtool, startPrometheus, type PrometheusServer } from './prometheus-tools.js';

const NAMESPACE = 'chat-redact-test';
const PODS = { demo: 'chat-redact-demo', vendor: 'chat-redact-vendor' } as const;
/** Scrape and evaluate every second, so that a rate has samples within seconds. */
const INTERVAL = '1s';
/** What Grafana would pick for `$__rate_interval` at a 1 s scrape: four scrapes and more. */
const VARIABLES: DashboardVariables = { namespace: NAMESPACE, pod: `(${PODS.demo}|${PODS.vendor})`, rateInterval: '10s' };
/** Synthetic numbers only: a phone number with spaces, an 11-digit id, an address that keeps its short numbers. */
const CHAT_TEXTS = ['ring meg på 98 76 54 32', 'fnr 010190 12345, takk', 'Postboks 450 Alnabru, 0614 Oslo'];
const API_TEXT = 'kontonummer 7694.05.20301 og telefon +47 98 76 54 32';
/** Every this many vendor requests one is a 503 (retried) and one a 500 (a failure). */
const VENDOR_FAILURE_EVERY = 7;
const TRAFFIC_PAUSE_MS = 150;
const SAMPLES_TIMEOUT_MS = 60_000;
const POLL_MS = 500;

let stub: VendorStub;
let prometheus: PrometheusServer | undefined;
const gateways: Record<keyof typeof PODS, ServiceProcess | undefined> = { demo: undefined, vendor: undefined };
let trafficRunning = true;
let traffic: Promise<void> = Promise.resolve();
let trafficError: unknown;
let messagesAnswered = 0;

function startGateway(env: Record<string, string>): Promise<ServiceProcess> {
  return startAndWaitForUrl(process.execPath, [CLI, 'serve'], {
    PORT: '0',
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    ...env,
  });
}

/** One chat with each text, answered to the end, then a call to the HTTP API and a refused upgrade. */
async function chatOnce(gatewayUrl: string, round: number): Promise<void> {
  const chatUrl = `${gatewayUrl.replace('http', 'ws')}/chat`;
  const client = await connectClient(chatUrl);
  for (const [index, text] of CHAT_TEXTS.entries()) {
    const id = `r${round}m${index}`;
    client.send({ type: 'message', id, text });
    await client.waitFor((frame) => frame.id === id && ((frame.type === 'reply' && frame.final === true) || frame.type === 'error'), 10_000);
    messagesAnswered += 1;
  }
  client.ws.close(1000);
  await client.closed;
  const response = await fetch(`${gatewayUrl}/v1/redact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: API_TEXT }),
  });
  expect(response.status).toBe(200);
  expect(await upgradeStatus(chatUrl, { origin: 'https://elsewhere.example' })).toBe(403);
}

async function runTraffic(): Promise<void> {
  for (let round = 0; trafficRunning; round += 1) {
    await Promise.all(Object.values(gateways).map((gateway) => chatOnce(gateway!.url, round)));
    await sleep(TRAFFIC_PAUSE_MS);
  }
}

/** The value of an instant query that returns one sample, or `undefined`. */
async function scalarOf(expr: string): Promise<number | undefined> {
  const data = await prometheus!.api<{ result: { value: [number, string] }[] }>('/api/v1/query', { query: expr });
  return data.result.length === 1 ? Number(data.result[0]!.value[1]) : undefined;
}

/** Poll `check` until it holds; throws, naming `what`, after {@link SAMPLES_TIMEOUT_MS}. */
async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + SAMPLES_TIMEOUT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`no ${what} within ${SAMPLES_TIMEOUT_MS} ms; prometheus said: ${prometheus?.output()}`);
    await sleep(POLL_MS);
  }
}

/** Prometheus' configuration: the example one, with the test's intervals and two loopback targets. */
function prometheusConfig(): Record<string, any> {
  const config = parse(readFileSync(new URL('prometheus.example.yml', PROMETHEUS_URL), 'utf8')) as Record<string, any>;
  config.global = { scrape_interval: INTERVAL, evaluation_interval: INTERVAL };
  const [job] = config.scrape_configs;
  job.scrape_timeout = INTERVAL;
  job.static_configs = Object.entries(PODS).map(([key, pod]) => ({
    targets: [new URL(gateways[key as keyof typeof PODS]!.url).host],
    labels: { namespace: NAMESPACE, pod },
  }));
  return config;
}

beforeAll(async () => {
  findTool('prometheus');
  findTool('promtool');
  stub = await startVendorStub();
  let vendorRequests = 0;
  stub.setHandler(() => {
    vendorRequests += 1;
    if (vendorRequests % VENDOR_FAILURE_EVERY === 0) return statusReply(503, 0);
    if (vendorRequests % VENDOR_FAILURE_EVERY === 1 && vendorRequests > 1) return statusReply(500);
    return jsonReply('Takk! Vi ringer deg på 22 33 44 55.');
  });
  gateways.demo = await startGateway({});
  gateways.vendor = await startGateway({ VENDOR_URL: stub.url, VENDOR_TIMEOUT_MS: '5000' });
  traffic = runTraffic().catch((error: unknown) => void (trafficError = error));
  prometheus = await startPrometheus(prometheusConfig(), { [RULES_FILE]: readFileSync(new URL(RULES_FILE, PROMETHEUS_URL), 'utf8') });
  // Both targets up, and each has had messages for long enough that a 10 s rate sees them.
  await waitUntil('both gateways scraped', async () => (await scalarOf(`count(up{job="chat-redact"} == 1)`)) === 2);
  await waitUntil('ten seconds of inbound messages from each gateway', async () => {
    const busy = `count_over_time(chat_redact_messages_total{direction="inbound"}[10s]) >= 8 and rate(chat_redact_messages_total{direction="inbound"}[10s]) > 0`;
    return (await scalarOf(`count(${busy})`)) === 2;
  });
}, 120_000);

afterAll(async () => {
  trafficRunning = false;
  await traffic;
  await prometheus?.stop();
  killLeftoverChildren();
  await stub?.close();
}, 60_000);

describe('a real Prometheus scraping two gateways under chat and API traffic', () => {
  it('scrapes both, as the example configuration says, with the labels the dashboard selects on', async () => {
    const { activeTargets } = await prometheus!.api<{ activeTargets: { labels: Record<string, string>; health: string }[] }>('/api/v1/targets');
    expect(activeTargets.map((target) => ({ job: target.labels.job, namespace: target.labels.namespace, pod: target.labels.pod, health: target.health })).sort((a, b) => a.pod!.localeCompare(b.pod!))).toEqual([
      { job: 'chat-redact', namespace: NAMESPACE, pod: PODS.demo, health: 'up' },
      { job: 'chat-redact', namespace: NAMESPACE, pod: PODS.vendor, health: 'up' },
    ]);
    expect(messagesAnswered).toBeGreaterThan(0);
    expect(trafficError).toBeUndefined();
  });

  it('answers every dashboard query with data', async () => {
    const empty: string[] = [];
    for (const { title, expr } of readDashboardQueries()) {
      const data = await prometheus!.api<{ result: unknown[] }>('/api/v1/query', { query: substituteVariables(expr, VARIABLES) });
      if (data.result.length === 0) empty.push(`${title}: ${expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('shows the traffic the test sent: messages, removed numbers by kind, vendor outcomes, refused origins', async () => {
    const rate = (selector: string): Promise<number | undefined> => scalarOf(`sum(rate(${selector}[10s]))`);
    expect(await rate(`chat_redact_messages_total{namespace="${NAMESPACE}", direction="inbound"}`)).toBeGreaterThan(0);
    expect(await rate(`chat_redact_redactions_total{direction="inbound", kind="phone"}`)).toBeGreaterThan(0);
    expect(await rate(`chat_redact_redactions_total{direction="outbound", kind="phone"}`)).toBeGreaterThan(0);
    expect(await rate(`chat_redact_vendor_requests_total{pod="${PODS.vendor}", outcome="ok"}`)).toBeGreaterThan(0);
    expect(await rate(`chat_redact_ws_rejected_total{reason="origin"}`)).toBeGreaterThan(0);
    const p99 = await scalarOf(`histogram_quantile(0.99, sum by (le) (rate(chat_redact_redaction_duration_seconds_bucket[10s])))`);
    expect(p99).toBeGreaterThan(0);
    expect(p99).toBeLessThan(0.01);
  });

  it("lists the test's namespace and pods for the dashboard's variables", async () => {
    const variables = readDashboard().templating.list.filter((variable) => variable.type === 'query');
    expect(variables.map((variable) => variable.name)).toEqual(['namespace', 'pod']);
    const values = (label: string): Promise<string[]> =>
      prometheus!.api<string[]>(`/api/v1/label/${label}/values`, { 'match[]': `chat_redact_messages_total{namespace=~"${NAMESPACE}"}` });
    expect(await values('namespace')).toEqual([NAMESPACE]);
    expect(await values('pod')).toEqual([PODS.demo, PODS.vendor]);
  });

  it('runs every alert expression', async () => {
    const failures: string[] = [];
    for (const rule of readAlertRules()) {
      await prometheus!.api('/api/v1/query', { query: rule.expr }).catch((error: Error) => failures.push(`${rule.alert}: ${error.message}`));
    }
    expect(failures).toEqual([]);
  });

  it('loads the rules file and evaluates every rule without an error', async () => {
    type Rules = { groups: { name: string; rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[] }[] };
    const evaluated = async (): Promise<Rules> => prometheus!.api<Rules>('/api/v1/rules');
    await expect
      .poll(async () => (await evaluated()).groups.flatMap((group) => group.rules).filter((rule) => rule.health === 'unknown').length, { timeout: 20_000, interval: 500 })
      .toBe(0);
    const { groups } = await evaluated();
    // The API lists groups by name.
    const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
    expect(groups.map((group) => ({ name: group.name, rules: group.rules.map((rule) => rule.name) })).sort(byName)).toEqual(
      readRuleGroups()
        .map((group) => ({ name: group.name, rules: group.rules.map((rule) => rule.alert) }))
        .sort(byName),
    );
    const unhealthy = groups.flatMap((group) => group.rules).filter((rule) => rule.health !== 'ok');
    expect(unhealthy.map((rule) => `${rule.name}: ${rule.health} ${rule.lastError ?? ''}`)).toEqual([]);
  });

  it('has promtool find nothing to complain about in our own metrics, on a scrape of each gateway', async () => {
    for (const gateway of Object.values(gateways)) {
      const scrape = await (await fetch(`${gateway!.url}/metrics`)).text();
      expect(scrape).toContain('chat_redact_messages_total{direction="inbound"}');
      const result = await runPromtool(['check', 'metrics'], { cwd: process.cwd(), input: scrape });
      const complaints = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
      expect(complaints.filter((line) => line.includes('chat_redact_'))).toEqual([]);
      // What it does say is about prom-client's default metrics, never a parse error.
      expect(complaints.filter((line) => !/^(nodejs|process)_\w+ /.test(line))).toEqual([]);
    }
  });
});
