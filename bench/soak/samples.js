/**
 * What the soak measures every few seconds, from the gateway's own `/metrics` (so it is what an
 * operator sees) and from this process, and the figures it draws from the series: a
 * least-squares slope per minute, and first third against last third after the warm-up.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const MIB = 1024 * 1024;
const MS_PER_MINUTE = 60_000;

/** The value of an unlabelled metric in a Prometheus exposition, or NaN. */
function metricValue(text, name) {
  const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

/** Sum of a labelled counter over every label set. */
function metricSum(text, name) {
  let sum = 0;
  for (const match of text.matchAll(new RegExp(`^${name}\\{[^}]*\\} ([0-9.e+-]+)$`, 'gm'))) sum += Number(match[1]);
  return sum;
}

/** A sampler of this process's own event-loop delay: the load generator must not be the bottleneck. */
export function startOwnLagMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    /** p99 in ms since the last read. */
    readP99Ms() {
      const p99 = histogram.percentile(99) / 1e6;
      histogram.reset();
      return p99;
    },
  };
}

/** One sample from the gateway's exposition text (prom-client resets its lag histogram per scrape). */
export function sampleFrom(metricsText, elapsedMs, extra) {
  return {
    elapsedS: elapsedMs / 1000,
    rssMiB: metricValue(metricsText, 'process_resident_memory_bytes') / MIB,
    heapUsedMiB: metricValue(metricsText, 'nodejs_heap_size_used_bytes') / MIB,
    lagP99Ms: metricValue(metricsText, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    chats: metricValue(metricsText, 'chat_redact_ws_connections'),
    inboundMessages: metricValue(metricsText, 'chat_redact_messages_total\\{direction="inbound"\\}'),
    redactions: metricSum(metricsText, 'chat_redact_redactions_total'),
    ...extra,
  };
}

/** Least-squares slope of `y` over the samples' time, per minute. */
export function slopePerMinute(samples, y) {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const xs = samples.map((s) => s.elapsedS * 1000);
  const ys = samples.map(y);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return (num / den) * MS_PER_MINUTE;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The first and last third of the samples after the warm-up, for comparing like with like:
 * medians for RSS and lag, minima for heap used (its floor after collections, which a leak
 * lifts while the saw-tooth of young-generation garbage does not).
 */
export function thirds(samples) {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const first = samples.slice(0, third);
  const last = samples.slice(-third);
  const summarise = (part) => ({
    rssMiB: median(part.map((s) => s.rssMiB)),
    heapFloorMiB: Math.min(...part.map((s) => s.heapUsedMiB)),
    lagP99Ms: median(part.map((s) => s.lagP99Ms)),
  });
  return { first: summarise(first), last: summarise(last) };
}
