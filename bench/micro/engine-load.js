/**
 * What importing the engine entry (`chat-redact/redact`, the build's `dist/lib/redact.js`) costs
 * a fresh Node process, on each Node of `BENCH_NODES` (see bench/lib/node-versions.js), and
 * against another build of it when one is named (the one before a change). Rounds are
 * interleaved — in each, every Node runs every build once, and an empty process — so that a
 * machine whose speed drifts weighs on all of them alike. Per build, the medians of:
 *
 * - `import()`: wall and CPU time from the start of `await import()` to its end, measured inside
 *   the process (what the README's entry point table states);
 * - process: the whole `node --input-type=module -e "await import(…)"` process's wall time, less
 *   that of `node -e ""` in the same round.
 *
 * ```sh
 * npm run build && BENCH_NODES=current,26 node bench/micro/engine-load.js [OTHER_DIST_DIR]
 * ```
 * `MICRO_ROUNDS` sets the rounds (default 21). Run as root where util-linux's `chrt` is, every
 * process runs at real-time priority (`chrt -f 50`), as `scripts/measure-entry-points.ts` times
 * the README's figures: other work on a shared machine cannot preempt it, though it still shares
 * caches and memory with it.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../lib/measure.js';
import { roundedLoad } from '../lib/machine.js';
import { readNodeSpecs, resolveNodes } from '../lib/node-versions.js';

const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 21);
const LAUNCHER = process.getuid?.() === 0 && existsSync('/usr/bin/chrt') ? ['chrt', '-f', '50'] : [];
const THIS_DIST = new URL('../../dist/', import.meta.url);
/** Prints the import's wall and CPU milliseconds, as JSON. */
const TIMED_IMPORT = `const cpu = process.cpuUsage();
const start = performance.now();
await import(process.argv[1]);
const wallMs = performance.now() - start;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));`;

/** @param {string} node @param {string[]} args @returns {{ ms: number, stdout: string }} */
function run(node, args) {
  const start = performance.now();
  const result = LAUNCHER.length > 0 ? spawnSync(LAUNCHER[0] ?? '', [...LAUNCHER.slice(1), node, ...args], { encoding: 'utf8' }) : spawnSync(node, args, { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${node} ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const builds = [{ name: 'this build', entry: new URL('lib/redact.js', THIS_DIST).href }];
if (process.argv[2] !== undefined) {
  builds.push({ name: `other build (${process.argv[2]})`, entry: pathToFileURL(path.resolve(process.argv[2], 'lib/redact.js')).href });
}
const { nodes, missing } = resolveNodes(readNodeSpecs());
for (const { spec, reason } of missing) console.log(`Node ${spec} left out: ${reason}`);

/** @type {Map<string, { importWall: number[], importCpu: number[], process: number[] }>} */
const samples = new Map();
const key = (/** @type {string} */ version, /** @type {string} */ build) => `${version}\t${build}`;
console.log(`${ROUNDS} rounds${LAUNCHER.length > 0 ? ' at real-time priority (chrt -f 50)' : ''}, load average before ${roundedLoad().join(' / ')}`);
for (let round = 0; round < ROUNDS; round++) {
  for (const node of nodes) {
    const empty = run(node.path, ['-e', '']).ms;
    for (const build of builds) {
      const timed = JSON.parse(run(node.path, ['--input-type=module', '-e', TIMED_IMPORT, build.entry]).stdout);
      const whole = run(node.path, ['--input-type=module', '-e', `await import(${JSON.stringify(build.entry)})`]).ms;
      const entry = samples.get(key(node.version, build.name)) ?? { importWall: [], importCpu: [], process: [] };
      entry.importWall.push(timed.wallMs);
      entry.importCpu.push(timed.cpuMs);
      entry.process.push(whole - empty);
      samples.set(key(node.version, build.name), entry);
    }
  }
}
console.log(`load average after ${roundedLoad().join(' / ')}\n`);
console.log('| Node | build | import(), median wall / CPU | whole process less an empty one, median |');
console.log('|---|---|---|---|');
for (const [name, entry] of samples) {
  const [version, build] = name.split('\t');
  const ms = (/** @type {number[]} */ values) => `${median(values).toFixed(1)} ms`;
  console.log(`| ${version} | ${build} | ${ms(entry.importWall)} / ${ms(entry.importCpu)} | ${ms(entry.process)} |`);
}
