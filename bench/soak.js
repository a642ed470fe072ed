#!/usr/bin/env node
/**
 * Soak: the built gateway (`node dist/cli.js serve`, its own process) under minutes of steady
 * chat traffic on loopback — many chats through a vendor stub, chats leaving and coming back,
 * the HTTP API on the side — sampling its memory and event-loop lag from `/metrics`, and
 * counting 7+ digit combinations in everything captured: widget frames, vendor requests, log
 * lines, metrics and HTTP answers, by the tests' reference judge (`lib/judge.js`), never by the
 * engine under load. Ends with SIGTERM, as an orchestrator would.
 *
 * Exits 1 when anything leaked, an acked message went unanswered, a frame or reply was wrong,
 * memory grew past its bound after the warm-up, or the gateway did not exit 0; the report goes
 * to bench/results/soak.md.
 *
 *   npm run soak                         # 3 minutes, 200 chats
 *   SOAK_SECONDS=60 SOAK_CONNECTIONS=50 node bench/soak.js
 *
 * Settings (environment): SOAK_SECONDS (180), SOAK_CONNECTIONS (200), SOAK_SEND_EVERY_MS
 * (2000, per chat), SOAK_RSS_GROWTH_MIB (48), SOAK_HEAP_GROWTH_MIB (16).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { countLeaks, countLogLineLeaks, countMetricsLeaks, redactByReference } from './lib/judge.js';
import { judge, renderReport } from './soak/report.js';
import { sampleFrom, startOwnLagMonitor } from './soak/samples.js';
import { JSON_REPLIES, SSE_DELTAS, startVendorStub } from './soak/vendor-stub.js';
import { MESSAGES, startWidgets } from './soak/widgets.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULT_FILE = fileURLToPath(new URL('./results/soak.md', import.meta.url));
const HTTP_EVERY_MS = 1000;
const QUIESCE_TIMEOUT_MS = 20_000;

function envNumber(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!(number > 0)) throw new Error(`${name} must be a positive number, not ${JSON.stringify(value)}`);
  return number;
}

const seconds = envNumber('SOAK_SECONDS', 180);
const settings = {
  seconds,
  connections: envNumber('SOAK_CONNECTIONS', 200),
  sendEveryMs: envNumber('SOAK_SEND_EVERY_MS', 2000),
  sampleEveryMs: 5000,
  lifetimeMs: [30_000, 90_000],
  warmupS: Math.min(60, Math.round(seconds / 3)),
  limits: { rssGrowthMiB: envNumber('SOAK_RSS_GROWTH_MIB', 48), heapFloorGrowthMiB: envNumber('SOAK_HEAP_GROWTH_MIB', 16) },
};

/** Start the gateway; resolve with its process, URL and the running leak count of its log. */
function startGateway(vendorUrl) {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      VENDOR_URL: vendorUrl,
      VENDOR_TIMEOUT_MS: '10000',
      RATE_LIMIT_PER_MINUTE: '600',
      SHUTDOWN_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'info',
      WORKERS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = { lines: 0, leaks: 0 };
  createInterface({ input: child.stdout }).on('line', (line) => {
    log.lines += 1;
    log.leaks += countLogLineLeaks(line);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const url = /gateway on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url !== undefined) resolve({ child, url, log, exited });
    });
    void exited.then((code) => reject(new Error(`the gateway exited with ${code} before it listened: ${stderr}`)));
  });
}

async function main() {
  const vendor = await startVendorStub(countLeaks);
  const gateway = await startGateway(vendor.url);
  console.error(`soak: ${settings.seconds} s, ${settings.connections} chats, gateway ${gateway.url} (pid ${gateway.child.pid})`);
  const ownLag = startOwnLagMonitor();
  const widgets = startWidgets({
    chatUrl: `${gateway.url.replace('http', 'ws')}/chat`,
    count: settings.connections,
    sendEveryMs: settings.sendEveryMs,
    lifetimeMs: settings.lifetimeMs,
    redactText: redactByReference,
    countLeaks,
    expectedReplies: new Set([redactByReference(SSE_DELTAS.join('')), redactByReference(JSON_REPLIES.join('\n\n'))]),
  });
  const leaks = { metrics: 0, http: 0 };
  let httpCalls = 0;
  const httpTimer = setInterval(() => {
    const text = MESSAGES[httpCalls++ % MESSAGES.length];
    fetch(`${gateway.url}/v1/redact?fnr=01019012345`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })
      .then(async (response) => (leaks.http += countLeaks(await response.text())))
      .catch(() => (leaks.http += 0));
  }, HTTP_EVERY_MS);

  const samples = [];
  const started = performance.now();
  const scrape = async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    leaks.metrics += countMetricsLeaks(text);
    return text;
  };
  while (performance.now() - started < settings.seconds * 1000) {
    await sleep(settings.sampleEveryMs);
    const sample = sampleFrom(await scrape(), performance.now() - started, {
      replyLatencies: widgets.stats.latencies.splice(0),
      ownLagP99Ms: ownLag.readP99Ms(),
    });
    samples.push(sample);
    console.error(
      `t=${sample.elapsedS.toFixed(0)}s rss=${sample.rssMiB.toFixed(1)}MiB heap=${sample.heapUsedMiB.toFixed(1)}MiB lagP99=${sample.lagP99Ms.toFixed(1)}ms chats=${sample.chats} sent=${widgets.stats.sent} replies=${widgets.stats.replies}`,
    );
  }

  clearInterval(httpTimer);
  widgets.stop();
  const quiesceBy = performance.now() + QUIESCE_TIMEOUT_MS;
  while (widgets.unanswered > 0 && performance.now() < quiesceBy) await sleep(100);
  await scrape();
  const signalledAt = performance.now();
  gateway.child.kill('SIGTERM');
  const exitCode = await gateway.exited;
  const shutdown = { ms: performance.now() - signalledAt, exitCode };
  await Promise.race([widgets.closed, sleep(QUIESCE_TIMEOUT_MS)]);
  await vendor.close();

  const { figures, failures } = judge({
    samples,
    warmupS: settings.warmupS,
    stats: widgets.stats,
    vendor: vendor.stats,
    logLeaks: gateway.log.leaks,
    metricsLeaks: leaks.metrics,
    httpLeaks: leaks.http,
    exitCode,
    limits: settings.limits,
  });
  const report = renderReport({ settings, samples, stats: widgets.stats, vendor: vendor.stats, figures, failures, logLines: gateway.log.lines, shutdown });
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(RESULT_FILE, report);
  console.log(report);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
