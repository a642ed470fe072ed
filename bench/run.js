#!/usr/bin/env node
/**
 * `node bench/run.js [SUITE…]`: runs the benchmark suites (all when none is named) on every Node
 * of `BENCH_NODES` (default: this one and Node 26, see `lib/node-versions.js`), prints a table per
 * suite and Node, and writes the results with the machine described, as Markdown and JSON:
 * `bench/results/latest.{md,json}` for a full run, `bench/results/<suites>.{md,json}` otherwise.
 * Settings come from environment variables; see `lib/options.js`.
 *
 * Each suite runs on each Node in a process of that Node (`node run.js --suite-child FILE SUITE`),
 * which starts every further process of the suite with the same binary; the figures of one Node
 * are compared only with each other, and the report puts the two side by side.
 *
 * A suite is a module exporting `title` and `run(context)`, which resolves to its description,
 * rows and notes; a suite that races variants in fresh processes also exports `variants` (see
 * `lib/fresh-process.js`). To add one, write `bench/<name>.js` and list it in {@link SUITES}.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, startLoadMeter } from './lib/machine.js';
import { readNodeSpecs, resolveNodes } from './lib/node-versions.js';
import { readOptions } from './lib/options.js';
import { renderConsoleTable, renderMarkdown, renderTargetsTable } from './lib/report.js';
import { Workspace } from './lib/workspace.js';

/**
 * @typedef {object} SuiteContext
 * @property {Readonly<import('./lib/options.js').BenchOptions>} options
 * @property {Workspace} workspace the run's scratch folder and corpus files
 * @property {(text: string) => void} progress a line of progress on stderr
 */

/** Every suite, in the order a full run takes them. */
const SUITES = {
  core: './core.js',
  stream: './stream.js',
  cli: './cli.js',
  http: './http.js',
  ws: './ws.js',
  latency: './latency.js',
  native: './native.js',
  log: './log.js',
  hostile: './hostile.js',
};

/** Bump when the JSON layout changes. 2: every suite says which Node it ran on; the machine lists them. */
const SCHEMA_VERSION = 2;
const CHILD_FLAG = '--suite-child';
const RUN_JS = fileURLToPath(import.meta.url);

/**
 * Run suite `id` here, on this Node, and write its result to `file` (the child side).
 * @param {string} id
 * @param {string} file
 */
async function runSuiteHere(id, file) {
  const options = readOptions();
  const workspace = new Workspace();
  try {
    const suite = await import(SUITES[/** @type {keyof typeof SUITES} */ (id)]);
    const stopLoadMeter = startLoadMeter();
    const start = process.hrtime.bigint();
    const result = await suite.run({ options, workspace, progress: (/** @type {string} */ text) => process.stderr.write(`[${id} · Node ${process.version}] ${text}\n`) });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const node = { version: process.version, v8: process.versions.v8 };
    const done = { id, title: suite.title, node, ...result, load: stopLoadMeter(), seconds };
    process.stdout.write(`${renderConsoleTable(done)}\n`);
    writeFileSync(file, JSON.stringify(done));
  } finally {
    workspace.remove();
  }
}

/**
 * Run suite `id` in a process of `node`; resolves to its result.
 * @param {string} id
 * @param {import('./lib/node-versions.js').NodeBinary} node
 * @param {string} scratch a folder for the result file
 * @returns {Promise<import('./lib/report.js').SuiteResult>}
 */
function runSuiteOn(id, node, scratch) {
  const file = path.join(scratch, `${id}-${node.version}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(node.path, [RUN_JS, CHILD_FLAG, file, id], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`suite ${id} on Node ${node.version} failed (${signal ?? `exit ${code}`})`));
      else resolve(JSON.parse(readFileSync(file, 'utf8')));
    });
  });
}

if (process.argv[2] === CHILD_FLAG) {
  const [file, id] = process.argv.slice(3);
  if (file === undefined || id === undefined || !Object.hasOwn(SUITES, id)) throw new Error(`usage: run.js ${CHILD_FLAG} FILE SUITE`);
  await runSuiteHere(id, file);
} else {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !Object.hasOwn(SUITES, name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown suite ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
  const selected = names.length > 0 ? [...new Set(names)] : Object.keys(SUITES);
  const isFullRun = Object.keys(SUITES).every((name) => selected.includes(name));
  const options = readOptions();
  const { nodes, missing } = resolveNodes(readNodeSpecs());
  for (const { spec, reason } of missing) process.stderr.write(`bench: Node "${spec}" is not measured: ${reason}\n`);
  if (nodes.length === 0) throw new Error('bench: no Node to measure on (BENCH_NODES)');
  const machine = { ...describeMachine(), nodes: nodes.map(({ version, v8, source }) => ({ version, v8, source })), missingNodes: missing };
  const date = new Date().toISOString();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chat-redact-bench-run-'));

  /** @type {import('./lib/report.js').SuiteResult[]} */
  const suites = [];
  try {
    // Suite by suite, each on every Node in turn, so the Nodes' figures of a suite are minutes apart.
    for (const id of selected) for (const node of nodes) suites.push(await runSuiteOn(id, node, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const report = {
    schema: SCHEMA_VERSION,
    date,
    machine,
    method: {
      summary:
        `every suite runs on each Node (${nodes.map((node) => node.version).join(', ')}) in turn, in a process of that Node that starts every further process with it. ` +
        `Each variant runs in a fresh Node process (${options.processes} per variant, interleaved A B C A B C so that ` +
        `a change of load falls on all alike), ${options.warmup} warm-up rounds then ${options.rounds} timed rounds ` +
        'with a full GC before each; a figure is the median over processes of each process\'s median round. ' +
        'The core suite times redact() and the naive replace in the same processes, slice by slice in turn, and takes the median of the processes\' ratios (see its description). ' +
        'CLI commands run as child processes, timed from spawn to exit. The network suites (HTTP, WebSocket, latency, native) start every ' +
        'server, stub and WebSocket load client in a fresh process of its own, talk over 127.0.0.1, and take the median of ' +
        'rounds run in alternating order (A B, B A); each describes its settings. Every ratio compares figures of the same run and the same Node.',
      processes: options.processes,
      warmup: options.warmup,
      rounds: options.rounds,
      cliRounds: options.cliRounds,
      corpusBytes: options.corpusBytes,
      piiSampleBytes: options.piiSampleBytes,
      cliBytes: options.cliBytes,
      http: options.http,
      ws: options.ws,
      latency: options.latency,
      native: options.native,
    },
    suites,
  };

  const base = isFullRun ? 'latest' : selected.join('-');
  mkdirSync(options.outDir, { recursive: true });
  const mdPath = path.join(options.outDir, `${base}.md`);
  const jsonPath = path.join(options.outDir, `${base}.json`);
  writeFileSync(mdPath, renderMarkdown(report));
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${renderTargetsTable(report)}\n\nwrote ${path.relative(process.cwd(), mdPath)} and ${path.relative(process.cwd(), jsonPath)}\n`);
}
