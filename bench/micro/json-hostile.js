/**
 * `redact --json` on the hostile JSON-lines families of `npm run bench:hostile` (colliding keys,
 * deep nesting with redacted keys, lone surrogate escapes; `lib/hostile-inputs.js`) and on their
 * benign text, this build's CLI against another build's: each run a process of its own, stdout
 * to /dev/null, builds interleaved (A B, then B A) round by round. The figures are medians over
 * rounds of each run's CPU time (`process.resourceUsage()`, read at exit by a module given to
 * `--import`) and wall time, MB/s, and each family's MB/s against benign's — the hostile suite's
 * ratio (target ≥ 0.33×, SPEC invariant 9) — with and without the start-up, which is measured on
 * an empty file and weighs more on the families (4 MiB) than on benign (9 MiB).
 *
 * ```sh
 * mkdir /tmp/before && git archive main | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 * (cd /tmp/before && npm run build) && npm run build && node bench/micro/json-hostile.js /tmp/before/dist
 * ```
 * (and the same with Node 26). `BENCH_HOSTILE_KB` sets the size of each family (default 4096),
 * `MICRO_ROUNDS` the rounds (default 5).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DIST_CLI } from '../lib/engine.js';
import { hostileJsonLines } from '../lib/hostile-inputs.js';
import { describeMachine } from '../lib/machine.js';
import { median } from '../lib/measure.js';
import { describeMachineLine, formatNumber } from '../lib/report.js';
import { Workspace } from '../lib/workspace.js';

const KiB = 1024;
/** Writes the process's CPU time to stderr as it exits. */
const REPORT_AT_EXIT =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();' +
  'process.stderr.write("\\n"+JSON.stringify({cpuMs:(u.userCPUTime+u.systemCPUTime)/1000})+"\\n")})';
const START_UP = 'start-up (empty file)';
const BENIGN = 'benign (bank chat)';

const otherDist = process.argv[2];
if (otherDist === undefined) throw new Error('usage: node bench/micro/json-hostile.js OTHER_DIST_DIR');
const builds = { 'other build': path.resolve(otherDist, 'cli.js'), 'this build': DIST_CLI };
const rounds = Number(process.env.MICRO_ROUNDS ?? 5);
const size = Number(process.env.BENCH_HOSTILE_KB ?? 4096) * KiB;

/**
 * `node --import REPORT cli redact --json file`, stdout to /dev/null.
 * @param {string} cli @param {string} file @returns {Promise<{ cpuMs: number, wallMs: number }>}
 */
function runCli(cli, file) {
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REPORT_AT_EXIT, cli, 'redact', '--json', file], { stdio: ['ignore', devNull, 'pipe'] });
    let report = '';
    child.stderr.setEncoding('utf8').on('data', (text) => (report += text));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      closeSync(devNull);
      if (code !== 0) reject(new Error(`${cli} exited with ${code}: ${report}`));
      else resolve({ cpuMs: JSON.parse(report.trim().split('\n').at(-1) ?? '{}').cpuMs, wallMs });
    });
  });
}

const workspace = new Workspace();
const json = hostileJsonLines(size);
const inputs = [
  { family: START_UP, text: '' },
  { family: BENIGN, text: json.benign },
  ...json.families.filter(({ family }) => !family.includes('of [')),
].map(({ family, text }, k) => {
  const file = path.join(workspace.dir, `family-${k}.jsonl`);
  writeFileSync(file, text);
  return { family, file, bytes: Buffer.byteLength(text) };
});
/** @type {Map<string, { cpu: number[], wall: number[] }>} */
const runs = new Map();
for (const input of inputs) for (const build of Object.keys(builds)) runs.set(`${input.family}, ${build}`, { cpu: [], wall: [] });
for (const cli of Object.values(builds)) for (const input of inputs) await runCli(cli, input.file); // warm the page cache
for (let round = 0; round < rounds; round++) {
  for (const input of inputs) {
    const order = Object.entries(builds);
    for (const [build, cli] of round % 2 === 0 ? order : order.reverse()) {
      const run = /** @type {{ cpu: number[], wall: number[] }} */ (runs.get(`${input.family}, ${build}`));
      const { cpuMs, wallMs } = await runCli(cli, input.file);
      run.cpu.push(cpuMs);
      run.wall.push(wallMs);
    }
  }
}
workspace.remove();

/** @param {string} family @param {string} build */
const medians = (family, build) => {
  const run = /** @type {{ cpu: number[], wall: number[] }} */ (runs.get(`${family}, ${build}`));
  return { cpu: median(run.cpu), wall: median(run.wall) };
};
const machine = describeMachine();
const lines = [`\nredact --json on the hostile JSON-lines families, ${process.version}; stdout to /dev/null`];
lines.push(`${describeMachineLine(machine)}; load average ${machine.loadAverage.join(' / ')}`);
lines.push(`${rounds} rounds interleaved, medians; MB/s of wall time, and against benign's (CPU time in brackets); "less start-up" takes the empty file's medians off`);
for (const build of Object.keys(builds)) {
  lines.push(`  ${build}`);
  const startUp = medians(START_UP, build);
  const benignInput = /** @type {{ bytes: number }} */ (inputs.find((input) => input.family === BENIGN));
  const benign = medians(BENIGN, build);
  for (const input of inputs) {
    const own = medians(input.family, build);
    if (input.family === START_UP) {
      lines.push(`    ${input.family.padEnd(42)} ${formatNumber(own.wall)} ms wall, ${formatNumber(own.cpu)} ms CPU`);
      continue;
    }
    /** @param {number} ms @param {number} bytes */
    const rate = (ms, bytes) => bytes / 1e3 / ms;
    const against = (/** @type {'wall' | 'cpu'} */ what, less = 0) =>
      rate(own[what] - less, input.bytes) / rate(benign[what] - less, benignInput.bytes);
    lines.push(
      `    ${input.family.padEnd(42)} ${formatNumber(rate(own.wall, input.bytes))} MB/s, ${formatNumber(own.cpu)} ms CPU; ` +
        `vs benign ${formatNumber(against('wall'))}× (${formatNumber(against('cpu'))}×), ` +
        `less start-up ${formatNumber(against('wall', startUp.wall))}× (${formatNumber(against('cpu', startUp.cpu))}×); ` +
        `start-up ${formatNumber((100 * startUp.cpu) / own.cpu)}% of its CPU`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
