#!/usr/bin/env node
/**
 * `node bench/run.js [SUITE…]`: runs the benchmark suites (all when none is named), prints a table
 * per suite, and writes the results with the machine described, as Markdown and JSON:
 * `bench/results/latest.{md,json}` for a full run, `bench/results/<suites>.{md,json}` otherwise.
 * Settings come from environment variables; see `lib/options.js`.
 *
 * A suite is a module exporting `title` and `run(context)`, which resolves to its description,
 * rows and notes; a suite that races variants in fresh processes also exports `variants` (see
 * `lib/fresh-process.js`). To add one, write `bench/<name>.js` and list it in {@link SUITES}.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeMachine, startLoadMeter } from './lib/machine.js';
import { readOptions } from './lib/options.js';
import { renderConsoleTable, renderMarkdown } from './lib/report.js';
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
  log: './log.js',
};

/** Bump when the JSON layout changes. */
const SCHEMA_VERSION = 1;

const names = process.argv.slice(2);
const unknown = names.filter((name) => !Object.hasOwn(SUITES, name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown suite ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
  process.exit(2);
}
const selected = names.length > 0 ? [...new Set(names)] : Object.keys(SUITES);
const isFullRun = Object.keys(SUITES).every((name) => selected.includes(name));

const options = readOptions();
const machine = describeMachine();
const date = new Date().toISOString();
const workspace = new Workspace();

/** @type {import('./lib/report.js').SuiteResult[]} */
const suites = [];
try {
  for (const id of selected) {
    const suite = await import(SUITES[/** @type {keyof typeof SUITES} */ (id)]);
    const stopLoadMeter = startLoadMeter();
    const start = process.hrtime.bigint();
    const result = await suite.run({ options, workspace, progress: (/** @type {string} */ text) => process.stderr.write(`[${id}] ${text}\n`) });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const done = { id, title: suite.title, ...result, load: stopLoadMeter(), seconds };
    suites.push(done);
    process.stdout.write(`${renderConsoleTable(done)}\n`);
  }
} finally {
  workspace.remove();
}

const report = {
  schema: SCHEMA_VERSION,
  date,
  machine,
  method: {
    summary:
      `each variant runs in a fresh Node process (${options.processes} per variant, interleaved A B C A B C so that ` +
      `a change of load falls on all alike), ${options.warmup} warm-up rounds then ${options.rounds} timed rounds ` +
      'with a full GC before each; a figure is the median over processes of each process\'s median round. ' +
      'CLI commands run as child processes, timed from spawn to exit. The network suites (HTTP, WebSocket) start every ' +
      'server, stub and WebSocket load client in a fresh process of its own, talk over 127.0.0.1, and take the median of ' +
      'rounds run in alternating order (A B, B A); each describes its settings. Every ratio compares figures of the same run.',
    processes: options.processes,
    warmup: options.warmup,
    rounds: options.rounds,
    cliRounds: options.cliRounds,
    corpusBytes: options.corpusBytes,
    piiSampleBytes: options.piiSampleBytes,
    cliBytes: options.cliBytes,
    http: options.http,
    ws: options.ws,
  },
  suites,
};

const base = isFullRun ? 'latest' : selected.join('-');
mkdirSync(options.outDir, { recursive: true });
const mdPath = path.join(options.outDir, `${base}.md`);
const jsonPath = path.join(options.outDir, `${base}.json`);
writeFileSync(mdPath, renderMarkdown(report));
writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nwrote ${path.relative(process.cwd(), mdPath)} and ${path.relative(process.cwd(), jsonPath)}\n`);
