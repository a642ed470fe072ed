/**
 * How the command line reads a file: `createReadStream` through `pipeline` and `RedactTransform`
 * (64 KiB reads, as before) against `redactFile`'s loop of synchronous reads into one reused
 * buffer, at 32, 64 and 256 KiB. Each variant runs as a process of its own on the chat corpus
 * (64 MiB and 1 GiB files, stdout to /dev/null), interleaved rounds; the figures are medians of
 * its CPU time and peak RSS, from `process.resourceUsage()`.
 *
 * `npm run build && node bench/micro/cli-reads.js` (and the same with Node 26); `BENCH_CLI_MB`
 * sets the large file (default 1024), `MICRO_ROUNDS` the rounds (default 3).
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { loadDistModule } from '../lib/engine.js';
import { median } from '../lib/measure.js';
import { describeMachine } from '../lib/machine.js';
import { describeMachineLine, formatNumber } from '../lib/report.js';
import { runReportingChild } from '../lib/reporting-child.js';
import { Workspace } from '../lib/workspace.js';

const MiB = 1024 * 1024;
const KiB = 1024;
const VARIANTS = ['stream 64', 'loop 32', 'loop 64', 'loop 1024'];

/** In the child: redact `file` to stdout the way `variant` says, then report the resources used. */
async function runChild(variant, file) {
  const { ByteRedactor, RedactTransform } = await loadDistModule('redact/index.js');
  const [kind, size] = variant.split(' ');
  const handle = await open(file);
  if (kind === 'stream') {
    await pipeline(handle.createReadStream({ highWaterMark: Number(size) * KiB }), new RedactTransform(), process.stdout, { end: false });
  } else {
    const { redactFile } = await loadDistModule('cli/file-redaction.js');
    await redactFile(handle.fd, new ByteRedactor(), process.stdout, undefined, Number(size) * KiB);
    await handle.close();
  }
  const usage = process.resourceUsage();
  process.stderr.write(`${JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS })}\n`);
}

/** @param {string} variant @param {string} file @returns {Promise<{ cpuMs: number, maxRssKiB: number }>} */
const measure = (variant, file) => runReportingChild([fileURLToPath(import.meta.url), 'child', variant, file]);

if (process.argv[2] === 'child') {
  await runChild(/** @type {string} */ (process.argv[3]), /** @type {string} */ (process.argv[4]));
} else {
  const workspace = new Workspace();
  const largeBytes = Number(process.env.BENCH_CLI_MB ?? 1024) * MiB;
  const rounds = Number(process.env.MICRO_ROUNDS ?? 3);
  const small = workspace.repeatedCorpusFile('small.txt', 64 * MiB, 16 * MiB);
  const large = workspace.repeatedCorpusFile('large.txt', largeBytes, 16 * MiB);
  /** @type {Map<string, { cpu: number[], smallRss: number[], largeRss: number[] }>} */
  const runs = new Map(VARIANTS.map((variant) => [variant, { cpu: [], smallRss: [], largeRss: [] }]));
  for (const variant of VARIANTS) await measure(variant, small.path); // warm the page cache and the binary
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const run = /** @type {{ cpu: number[], smallRss: number[], largeRss: number[] }} */ (runs.get(variant));
      const big = await measure(variant, large.path);
      run.cpu.push(big.cpuMs);
      run.largeRss.push(big.maxRssKiB / KiB);
      run.smallRss.push((await measure(variant, small.path)).maxRssKiB / KiB);
    }
  }
  workspace.remove();
  const lines = [`\nCLI reads: ${formatNumber(large.bytes / MiB)} MiB and 64 MiB of chat text, stdout to /dev/null`];
  lines.push(`${describeMachineLine(describeMachine())}; load average ${describeMachine().loadAverage.join(' / ')}`);
  lines.push(`${rounds} rounds interleaved, medians:`);
  const baseline = median(runs.get(VARIANTS[0])?.cpu ?? []);
  for (const [variant, run] of runs) {
    const cpu = median(run.cpu);
    const [smallRss, largeRss] = [median(run.smallRss), median(run.largeRss)];
    lines.push(
      `  ${variant.padEnd(9)} KiB  ${formatNumber(cpu / 1000)} s CPU (${formatNumber(cpu / baseline)}×)  ` +
        `${formatNumber(large.bytes / 1000 / cpu)} MB/s of CPU  peak RSS ${formatNumber(smallRss)} → ${formatNumber(largeRss)} MiB (${formatNumber(largeRss / smallRss)}×)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
