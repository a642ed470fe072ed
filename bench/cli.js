/**
 * CLI: `node dist/cli.js redact FILE > /dev/null` on a large generated file, raced against
 * `sed -E 's/[0-9]{7,}//g' FILE > /dev/null`. Wall time and the peak RSS of each child; the CLI's
 * peak RSS is also compared with its own on a file a sixteenth the size, to show memory is flat.
 *
 * Then JSON lines: `redact --json` against `redact` (text mode) on a JSON-lines log (target: at
 * most 3× text mode's time) and against Debian's `jq -c .`, the baseline of "parse and print every
 * line", when jq is installed.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DIST_CLI } from './lib/engine.js';
import { writeJsonLogFile } from './lib/json-log-corpus.js';
import { median, megabytesPerSecond } from './lib/measure.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'CLI — chat-redact redact FILE vs sed; --json vs text mode and jq';

const GNU_TIME = '/usr/bin/time';
/** Peak RSS at full size may exceed the small file's by this factor and still count as flat. */
const FLAT_MEMORY_RATIO = 1.25;
/** The small file of the memory comparison is this fraction of the large one. */
const SMALL_FILE_DIVISOR = 16;
const PROC_POLL_MS = 10;
/** The JSON-lines file is this fraction of the text one: JSON mode and jq are the slow ones. */
const JSON_FILE_DIVISOR = 4;
/** JSON mode may take at most 3× text mode's time: at least a third of its MB/s. */
const JSON_TARGET_RATIO = 1 / 3;
const MiB = 1024 * 1024;

/**
 * @typedef {object} Measured
 * @property {number} wallMs
 * @property {number} peakRssKiB
 * @property {number | null} cpuMs user + system time, when GNU time measured it
 */

/**
 * Run a command with stdout to /dev/null; time it, and take its peak RSS and CPU time from GNU
 * time when there is one, else the peak RSS alone by polling VmHWM in `/proc/<pid>/status` (which
 * may miss the last few ms).
 * @param {string} command
 * @param {string[]} args
 * @param {string} scratchDir
 * @returns {Promise<Measured>}
 */
function runMeasured(command, args, scratchDir) {
  const useTime = existsSync(GNU_TIME);
  const timeFile = path.join(scratchDir, 'time.out');
  const devNull = openSync('/dev/null', 'w');
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['ignore', devNull, 'pipe'] });
    let stderr = '';
    let polledKiB = 0;
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) polledKiB = Math.max(polledKiB, Number(match[1]));
          } catch {
            // the process has just exited
          }
        }, PROC_POLL_MS);
    child.stderr?.setEncoding('utf8').on('data', (text) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(poll);
      closeSync(devNull);
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.trim()}`));
        return;
      }
      if (!useTime) {
        resolve({ wallMs, peakRssKiB: polledKiB, cpuMs: null });
        return;
      }
      // GNU time may write a line of its own ("Command exited…") before the format.
      const [rss = NaN, user = NaN, system = NaN] = (readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '')
        .split(' ')
        .map(Number);
      rmSync(timeFile, { force: true });
      resolve({ wallMs, peakRssKiB: rss, cpuMs: (user + system) * 1000 });
    });
  });
}

/** @param {number} bytes */
const formatSize = (bytes) => (bytes >= 1024 * MiB ? `${formatNumber(bytes / 1024 / MiB)} GiB` : `${formatNumber(bytes / MiB)} MiB`);

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, workspace, progress }) {
  if (!existsSync(DIST_CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does)');
  progress(`writing a ${formatSize(options.cliBytes)} input file`);
  const large = workspace.repeatedCorpusFile('cli-large.txt', options.cliBytes, options.corpusBytes);
  const small = workspace.repeatedCorpusFile('cli-small.txt', Math.ceil(options.cliBytes / SMALL_FILE_DIVISOR), options.corpusBytes);
  /** @type {Record<'ours' | 'sed', (file: string) => Promise<Measured>>} */
  const commands = {
    ours: (file) => runMeasured(process.execPath, [DIST_CLI, 'redact', file], workspace.dir),
    sed: (file) => runMeasured('sed', ['-E', 's/[0-9]{7,}//g', file], workspace.dir),
  };
  // One untimed run of each: it also brings the file into the page cache for both alike.
  progress('warm-up');
  await commands.ours(large.path);
  await commands.sed(large.path);
  /** @type {Record<'ours' | 'sed' | 'oursSmall', Measured[]>} */
  const runs = { ours: [], sed: [], oursSmall: [] };
  for (let r = 0; r < options.cliRounds; r++) {
    progress(`round ${r + 1}/${options.cliRounds}`);
    runs.ours.push(await commands.ours(large.path));
    runs.sed.push(await commands.sed(large.path));
    runs.oursSmall.push(await commands.ours(small.path));
  }
  /** @param {Measured[]} measured @param {number} bytes */
  const summarise = (measured, bytes) => {
    const wallMs = median(measured.map((m) => m.wallMs));
    const cpuTimes = measured.flatMap((m) => (m.cpuMs === null ? [] : [m.cpuMs]));
    const cpuMs = cpuTimes.length > 0 ? median(cpuTimes) : null;
    const rssMiB = median(measured.map((m) => m.peakRssKiB)) / 1024;
    return {
      value: megabytesPerSecond(bytes, wallMs),
      cpuValue: cpuMs === null ? null : megabytesPerSecond(bytes, cpuMs),
      samples: measured.map((m) => megabytesPerSecond(bytes, m.wallMs)),
      rssMiB,
      rssSamples: measured.map((m) => m.peakRssKiB / 1024),
      details: [
        `${formatNumber(wallMs / 1000)} s`,
        ...(cpuMs === null ? [] : [`${formatNumber(cpuMs / 1000)} s CPU`]),
        `peak RSS ${formatNumber(rssMiB)} MiB`,
      ],
    };
  };
  const ours = summarise(runs.ours, large.bytes);
  const sed = summarise(runs.sed, large.bytes);
  const oursSmall = summarise(runs.oursSmall, small.bytes);
  const json = await raceJsonModes(options, workspace, progress, summarise);
  const OURS = 'chat-redact redact';
  const SED = "sed -E 's/[0-9]{7,}//g'";
  const throughput = `CLI, ${formatSize(large.bytes)} file`;
  const memory = 'CLI peak memory';
  const smallName = `chat-redact redact, ${formatSize(small.bytes)} file`;
  return {
    description: [
      `Input: the chat corpus, one message a line, repeated to ${formatSize(large.bytes)} in ${'`os.tmpdir()`'} (deleted afterwards); ` +
        `stdout to /dev/null. MB/s is 10^6 input bytes per second of wall time, child start-up included.`,
      `One untimed run of each command, then ${options.cliRounds} interleaved timed runs; medians. ` +
        `Peak RSS ${existsSync(GNU_TIME) ? 'from GNU time (%M)' : 'from VmHWM polled in /proc'} of each child.`,
    ],
    rows: [
      makeRow({ benchmark: throughput, variant: OURS, unit: 'MB/s', ...ours, baseline: { variant: 'sed', ...sed }, target: { op: '>', value: 1 } }),
      makeRow({ benchmark: throughput, variant: SED, unit: 'MB/s', ...sed, isBaseline: true }),
      makeRow({
        benchmark: memory,
        variant: `${OURS}, ${formatSize(large.bytes)} file`,
        value: ours.rssMiB,
        unit: 'MiB',
        samples: ours.rssSamples,
        baseline: { variant: `${formatSize(small.bytes)} file`, value: oursSmall.rssMiB },
        target: { op: '<=', value: FLAT_MEMORY_RATIO },
      }),
      makeRow({ benchmark: memory, variant: smallName, value: oursSmall.rssMiB, unit: 'MiB', samples: oursSmall.rssSamples, isBaseline: true }),
      makeRow({ benchmark: memory, variant: SED, value: sed.rssMiB, unit: 'MiB', samples: sed.rssSamples }),
      ...json.rows,
    ],
    notes: [
      `sed runs in the locale of the run (${process.env.LC_ALL || process.env.LANG || 'POSIX'}); it deletes ASCII digits written together only.`,
      ...json.notes,
    ],
  };
}

const hasJq = () => spawnSync('jq', ['--version']).status === 0;

/**
 * `redact --json` against text mode and `jq -c .` on a JSON-lines log, interleaved rounds.
 * @param {import('./run.js').SuiteContext['options']} options
 * @param {import('./run.js').SuiteContext['workspace']} workspace
 * @param {(message: string) => void} progress
 * @param {(measured: Measured[], bytes: number) => any} summarise
 */
async function raceJsonModes(options, workspace, progress, summarise) {
  const file = writeJsonLogFile(path.join(workspace.dir, 'cli-json.jsonl'), Math.ceil(options.cliBytes / JSON_FILE_DIVISOR), options.corpusBytes);
  /** @type {Record<string, (file: string) => Promise<Measured>>} */
  const commands = {
    json: (input) => runMeasured(process.execPath, [DIST_CLI, 'redact', '--json', input], workspace.dir),
    text: (input) => runMeasured(process.execPath, [DIST_CLI, 'redact', input], workspace.dir),
  };
  if (hasJq()) commands.jq = (input) => runMeasured('jq', ['-c', '.', input], workspace.dir);
  progress(`JSON lines: warm-up (${Object.keys(commands).join(', ')})`);
  for (const command of Object.values(commands)) await command(file.path);
  /** @type {Record<string, Measured[]>} */
  const runs = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let r = 0; r < options.cliRounds; r++) {
    progress(`JSON lines: round ${r + 1}/${options.cliRounds}`);
    for (const [name, command] of Object.entries(commands)) runs[name]?.push(await command(file.path));
  }
  const [json, text] = [summarise(runs.json ?? [], file.bytes), summarise(runs.text ?? [], file.bytes)];
  const benchmark = `CLI on JSON lines, ${formatSize(file.bytes)} file`;
  const JSON_MODE = 'chat-redact redact --json';
  const rows = [
    makeRow({ benchmark, variant: JSON_MODE, unit: 'MB/s', ...json, baseline: { variant: 'text mode', ...text }, target: { op: '>=', value: JSON_TARGET_RATIO } }),
    makeRow({ benchmark, variant: 'chat-redact redact (text mode)', unit: 'MB/s', ...text, isBaseline: true }),
  ];
  if (runs.jq !== undefined) {
    const jq = summarise(runs.jq, file.bytes);
    rows.splice(1, 0, makeRow({ benchmark, variant: JSON_MODE, unit: 'MB/s', ...json, baseline: { variant: 'jq -c .', ...jq } }));
    rows.push(makeRow({ benchmark, variant: 'jq -c .', unit: 'MB/s', ...jq, isBaseline: true }));
  }
  return {
    rows,
    notes: [
      `JSON lines: ${file.lines.toLocaleString('en-US')} log lines (pino, Elastic Common Schema, zap-style; chat messages as msg), ` +
        `generated and repeated to ${formatSize(file.bytes)}; JSON mode may take at most 3× text mode's time (≥ 0.33× its MB/s).`,
      runs.jq === undefined ? 'jq is not installed (apt-get install jq): the jq baseline was not run.' : `jq: ${spawnSync('jq', ['--version'], { encoding: 'utf8' }).stdout.trim()}.`,
    ],
  };
}
