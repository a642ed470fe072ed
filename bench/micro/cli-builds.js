/**
 * The command line, this build against another build (the one before a change): `node
 * dist/cli.js redact FILE` on 64 MiB and on a large file of the chat corpus, and `redact --json`
 * on 16 MiB and on a quarter of the large size of JSON log lines (`lib/json-log-corpus.js`), stdout
 * to /dev/null, each run a process of its own, builds interleaved round by round. The figures are
 * medians of the peak RSS (`process.resourceUsage().maxRSS`, read at exit by a module given to
 * `--import`), the large file's over the small one's (flat memory is a ratio near 1), and of the
 * large file's CPU time.
 *
 * ```sh
 * mkdir /tmp/before && git archive main | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 * (cd /tmp/before && npm run build) && npm run build && node bench/micro/cli-builds.js /tmp/before/dist
 * ```
 * (and the same with Node 26). `BENCH_CLI_MB` sets the large file (default 1024), `MICRO_ROUNDS`
 * the rounds (default 3).
 *
 * @module
 */
import path from 'node:path';
import { DIST_CLI } from '../lib/engine.js';
import { writeJsonLogFile } from '../lib/json-log-corpus.js';
import { median } from '../lib/measure.js';
import { describeMachine } from '../lib/machine.js';
import { describeMachineLine, formatNumber } from '../lib/report.js';
import { runReportingChild } from '../lib/reporting-child.js';
import { Workspace } from '../lib/workspace.js';

const MiB = 1024 * 1024;
const KiB = 1024;
/** Writes the process's peak RSS and CPU time to stderr as it exits. */
const REPORT_AT_EXIT =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();' +
  'process.stderr.write("\\n"+JSON.stringify({maxRssKiB:u.maxRSS,cpuMs:(u.userCPUTime+u.systemCPUTime)/1000})+"\\n")})';

const otherDist = process.argv[2];
if (otherDist === undefined) throw new Error('usage: node bench/micro/cli-builds.js OTHER_DIST_DIR');
const builds = { 'other build': path.resolve(otherDist, 'cli.js'), 'this build': DIST_CLI };

/** @param {string} cli @param {string[]} args @returns {Promise<{ maxRssKiB: number, cpuMs: number }>} */
const measure = (cli, args) => runReportingChild(['--import', REPORT_AT_EXIT, cli, 'redact', ...args]);

const workspace = new Workspace();
const largeBytes = Number(process.env.BENCH_CLI_MB ?? 1024) * MiB;
const rounds = Number(process.env.MICRO_ROUNDS ?? 3);
const inputs = {
  text: { args: [], small: workspace.repeatedCorpusFile('small.txt', 64 * MiB, 16 * MiB), large: workspace.repeatedCorpusFile('large.txt', largeBytes, 16 * MiB) },
  '--json': {
    args: ['--json'],
    small: writeJsonLogFile(path.join(workspace.dir, 'small.jsonl'), 16 * MiB, 16 * MiB),
    large: writeJsonLogFile(path.join(workspace.dir, 'large.jsonl'), largeBytes / 4, 16 * MiB),
  },
};
/** @type {Map<string, { small: number[], large: number[], cpu: number[] }>} */
const runs = new Map();
for (const [mode, input] of Object.entries(inputs)) {
  for (const [build, cli] of Object.entries(builds)) {
    const key = `${mode}, ${build}`;
    runs.set(key, { small: [], large: [], cpu: [] });
    await measure(cli, [...input.args, input.small.path]); // warm the page cache
  }
}
for (let round = 0; round < rounds; round++) {
  for (const [mode, input] of Object.entries(inputs)) {
    const order = Object.entries(builds);
    for (const [build, cli] of round % 2 === 0 ? order : order.reverse()) {
      const run = /** @type {{ small: number[], large: number[], cpu: number[] }} */ (runs.get(`${mode}, ${build}`));
      const large = await measure(cli, [...input.args, input.large.path]);
      run.large.push(large.maxRssKiB / KiB);
      run.cpu.push(large.cpuMs);
      run.small.push((await measure(cli, [...input.args, input.small.path])).maxRssKiB / KiB);
    }
  }
}
const lines = ['\nCLI builds: peak RSS, large file against small, and the large file\'s CPU time; stdout to /dev/null'];
lines.push(`${describeMachineLine(describeMachine())}; load average ${describeMachine().loadAverage.join(' / ')}`);
lines.push(`${rounds} rounds interleaved, medians:`);
for (const [mode, input] of Object.entries(inputs)) {
  lines.push(`  ${mode}: ${formatNumber(input.small.bytes / MiB)} MiB and ${formatNumber(input.large.bytes / MiB)} MiB`);
  for (const build of Object.keys(builds)) {
    const run = /** @type {{ small: number[], large: number[], cpu: number[] }} */ (runs.get(`${mode}, ${build}`));
    const [small, large] = [median(run.small), median(run.large)];
    lines.push(
      `    ${build.padEnd(11)} peak RSS ${formatNumber(small)} → ${formatNumber(large)} MiB (${formatNumber(large / small)}×)  ` +
        `large file ${formatNumber(median(run.cpu) / 1000)} s CPU  (samples ${run.large.map((v) => formatNumber(v)).join(', ')})`,
    );
  }
}
workspace.remove();
process.stdout.write(`${lines.join('\n')}\n`);
