/**
 * The soak's verdict and its report: figures, the bounds they are held to, the samples, and the
 * machine they were taken on, as Markdown for `bench/results/soak.md` and the console.
 */
import os from 'node:os';
import { percentile, slopePerMinute, thirds } from './samples.js';

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function describeMachine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${fixed(os.totalmem() / 1024 ** 3)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; load average at the end ${os.loadavg().map((l) => fixed(l, 2)).join(' ')}`;
}

/**
 * Decide pass or fail.
 *
 * @returns {{ figures: object, failures: string[] }}
 */
export function judge({ samples, warmupS, stats, vendor, logLeaks, metricsLeaks, httpLeaks, exitCode, limits }) {
  const steady = samples.filter((s) => s.elapsedS > warmupS);
  const { first, last } = thirds(steady);
  const figures = {
    steadySamples: steady.length,
    rssSlopeMiBPerMin: slopePerMinute(steady, (s) => s.rssMiB),
    heapSlopeMiBPerMin: slopePerMinute(steady, (s) => s.heapUsedMiB),
    rssGrowthMiB: last.rssMiB - first.rssMiB,
    heapFloorGrowthMiB: last.heapFloorMiB - first.heapFloorMiB,
    first,
    last,
    peakRssMiB: Math.max(...samples.map((s) => s.rssMiB)),
    replyP99Ms: percentile(samples.flatMap((s) => s.replyLatencies), 99),
    ownLagP99Ms: Math.max(...samples.map((s) => s.ownLagP99Ms)),
    leaks: stats.leaks + vendor.leaks + logLeaks + metricsLeaks + httpLeaks,
  };
  const failures = [];
  if (figures.leaks > 0) {
    failures.push(`${figures.leaks} combinations of 7+ digits leaked (frames ${stats.leaks}, vendor ${vendor.leaks}, log ${logLeaks}, metrics ${metricsLeaks}, HTTP ${httpLeaks})`);
  }
  if (stats.lost > 0) failures.push(`${stats.lost} acked messages never got a reply or an error`);
  if (stats.mismatches > 0) failures.push(`${stats.mismatches} acks or replies differ from the expected redacted text`);
  if (stats.malformed > 0) failures.push(`${stats.malformed} frames were not of the protocol`);
  if (vendor.badRequests > 0) failures.push(`${vendor.badRequests} vendor requests broke the contract`);
  if (!(figures.rssGrowthMiB <= limits.rssGrowthMiB)) failures.push(`RSS grew ${fixed(figures.rssGrowthMiB)} MiB after warm-up (limit ${limits.rssGrowthMiB})`);
  if (!(figures.heapFloorGrowthMiB <= limits.heapFloorGrowthMiB)) {
    failures.push(`heap floor grew ${fixed(figures.heapFloorGrowthMiB)} MiB after warm-up (limit ${limits.heapFloorGrowthMiB})`);
  }
  if (exitCode !== 0) failures.push(`the gateway exited with ${exitCode} on SIGTERM`);
  return { figures, failures };
}

export function renderReport({ settings, samples, stats, vendor, figures, failures, logLines, shutdown }) {
  const { first, last } = figures;
  const errors = Object.entries(stats.errors).map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  const closes = Object.entries(stats.closes).map(([code, n]) => `${code} × ${n}`).join(', ');
  const lines = [
    '# Soak',
    '',
    `${failures.length === 0 ? '**PASS**' : '**FAIL**'} — ${settings.seconds} s, ${settings.connections} chats on loopback, one message per chat every ~${settings.sendEveryMs / 1000} s (at most two unanswered), chats leave and come back every ${settings.lifetimeMs.map((ms) => ms / 1000).join('–')} s; the gateway is \`node dist/cli.js serve\` in its own process, the vendor an SSE/JSON stub in the soak's.`,
    '',
    `Machine: ${describeMachine()}.`,
    '',
    ...(failures.length > 0 ? ['Failures:', '', ...failures.map((f) => `- ${f}`), ''] : []),
    '| figure | value | bound |',
    '|---|---|---|',
    `| messages sent / acked / replied | ${stats.sent} / ${stats.acked} / ${stats.replies} | — |`,
    `| acked messages without a reply or error | ${stats.lost} | 0 |`,
    `| error frames | ${errors} | — |`,
    `| 7+ digit combinations in widget frames, vendor requests, log lines (${logLines}), /metrics, HTTP answers | ${figures.leaks} | 0 |`,
    `| acks or replies not equal to the expected redacted text | ${stats.mismatches} | 0 |`,
    `| chats opened (with reconnects) | ${stats.connects} | — |`,
    `| RSS after warm-up, median first third → last third | ${fixed(first.rssMiB)} → ${fixed(last.rssMiB)} MiB (${fixed(figures.rssGrowthMiB)}) | growth ≤ ${settings.limits.rssGrowthMiB} MiB |`,
    `| RSS slope after warm-up (least squares) | ${fixed(figures.rssSlopeMiBPerMin, 2)} MiB/min | reported |`,
    `| heap used floor, first third → last third | ${fixed(first.heapFloorMiB)} → ${fixed(last.heapFloorMiB)} MiB (${fixed(figures.heapFloorGrowthMiB)}) | growth ≤ ${settings.limits.heapFloorGrowthMiB} MiB |`,
    `| heap used slope after warm-up | ${fixed(figures.heapSlopeMiBPerMin, 2)} MiB/min | reported |`,
    `| peak RSS | ${fixed(figures.peakRssMiB)} MiB | — |`,
    `| gateway event-loop lag p99, median first third → last third | ${fixed(first.lagP99Ms)} → ${fixed(last.lagP99Ms)} ms | reported |`,
    `| reply time p99 (send → final reply, widget side) | ${fixed(figures.replyP99Ms)} ms | reported |`,
    `| soak process event-loop lag p99, worst sample | ${fixed(figures.ownLagP99Ms)} ms | reported |`,
    `| shutdown: SIGTERM → exit | ${fixed(shutdown.ms, 0)} ms, exit code ${shutdown.exitCode}; closes ${closes} | exit 0 |`,
    '',
    `Warm-up: the first ${settings.warmupS} s are left out of the flatness figures. Samples every ${settings.sampleEveryMs / 1000} s from the gateway's \`/metrics\`:`,
    '',
    '| t (s) | RSS (MiB) | heap used (MiB) | lag p99 (ms) | chats | inbound messages |',
    '|---|---|---|---|---|---|',
    ...samples.map((s) => `| ${fixed(s.elapsedS, 0)} | ${fixed(s.rssMiB)} | ${fixed(s.heapUsedMiB)} | ${fixed(s.lagP99Ms)} | ${s.chats} | ${s.inboundMessages} |`),
    '',
  ];
  return lines.join('\n');
}
