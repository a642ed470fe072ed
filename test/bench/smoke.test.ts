/**
 * Smoke test of the benchmarks: each suite runs end to end on a tiny input, in its own `node
 * bench/run.js` process as `npm run bench` runs it, and writes a well-formed result. No timing is
 * asserted; what is asserted are the figures that do not depend on the machine (leak counts,
 * streamed output agreeing with one-shot output) and the shape of both files.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SUITE_TIMEOUT_MS = 180_000;

interface Row {
  benchmark: string;
  variant: string;
  value: number;
  unit: string;
  details: string[];
  baseline: { variant: string; value: number } | null;
  ratio: number | null;
  cpuRatio: number | null;
  target: { op: string; value: number } | null;
  met: boolean | null;
  isBaseline: boolean;
  samples: number[];
  note?: string;
}

interface Report {
  schema: number;
  date: string;
  machine: { cpu: string; cores: number; node: string; memoryGiB: number; loadAverage: number[]; nodes: Array<{ version: string; v8: string; source: string }> };
  method: { summary: string };
  suites: Array<{ id: string; title: string; node: { version: string }; description: string[]; rows: Row[]; notes: string[]; seconds: number }>;
}

let outDir: string;
/** The runs' `os.tmpdir()`, to check they leave nothing behind. */
let tmpDir: string;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  outDir = mkdtempSync(path.join(os.tmpdir(), 'chat-redact-bench-smoke-'));
  tmpDir = path.join(outDir, 'tmp');
  mkdirSync(tmpDir);
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

async function runSuite(id: string): Promise<{ report: Report; markdown: string; stdout: string }> {
  const { stdout } = await run(process.execPath, ['bench/run.js', id], {
    cwd: ROOT,
    env: {
      ...process.env,
      BENCH_CORPUS_MB: '0.25',
      BENCH_PII_SAMPLE_KB: '8',
      BENCH_CLI_MB: '2',
      BENCH_HOSTILE_KB: '16',
      BENCH_PROCESSES: '1',
      BENCH_WARMUP: '1',
      BENCH_ROUNDS: '2',
      BENCH_CLI_ROUNDS: '1',
      BENCH_HTTP_SECONDS: '1',
      BENCH_HTTP_WARMUP_SECONDS: '0',
      BENCH_HTTP_ROUNDS: '1',
      BENCH_HTTP_CONNECTIONS: '4',
      BENCH_WS_SECONDS: '1',
      BENCH_WS_WARMUP_SECONDS: '0',
      BENCH_WS_ROUNDS: '1',
      BENCH_WS_CLIENTS: '4',
      BENCH_WS_IDLE: '20,50',
      BENCH_WS_IDLE_PROCESSES: '2',
      BENCH_LATENCY_MESSAGES: '20',
      BENCH_LATENCY_WARMUP: '5',
      BENCH_LATENCY_ROUNDS: '1',
      BENCH_LATENCY_PAUSE_MS: '0',
      BENCH_NATIVE_MESSAGES: '20',
      BENCH_NATIVE_WARMUP: '5',
      BENCH_NATIVE_ROUNDS: '1',
      BENCH_NATIVE_PAUSE_MS: '0',
      // This Node only: a second one would come from the registry (npm run bench does that).
      BENCH_NODES: 'current',
      BENCH_OUT: outDir,
      TMPDIR: tmpDir,
    },
  });
  const report = JSON.parse(readFileSync(path.join(outDir, `${id}.json`), 'utf8')) as Report;
  const markdown = readFileSync(path.join(outDir, `${id}.md`), 'utf8');
  return { report, markdown, stdout };
}

function expectWellFormed(report: Report, markdown: string, id: string): Report['suites'][number] {
  expect(report.schema).toBe(2);
  expect(Number.isNaN(Date.parse(report.date))).toBe(false);
  expect(report.machine.cpu.length).toBeGreaterThan(0);
  expect(report.machine.cores).toBeGreaterThanOrEqual(1);
  expect(report.machine.node).toBe(process.version);
  expect(report.machine.nodes.map((node) => node.version)).toEqual([process.version]);
  expect(report.suites.map((s) => s.id)).toEqual([id]);
  const suite = report.suites[0]!;
  expect(suite.node.version).toBe(process.version);
  expect(markdown).toContain(`## ${suite.title} · Node ${process.version}`);
  expect(suite.rows.length).toBeGreaterThan(0);
  for (const row of suite.rows) {
    // An added latency is a difference of percentiles, and RSS per idle connection a difference of
    // two RSS readings divided by the connections: on a tiny run either may come out below zero.
    const isDifference = row.benchmark.startsWith('added ') || row.benchmark.startsWith('RSS per idle connection');
    expect(Number.isFinite(row.value) && (isDifference || row.value >= 0), `${row.variant}: ${row.value}`).toBe(true);
    expect(row.samples.length).toBeGreaterThan(0);
    if (row.baseline === null) {
      expect(row.ratio).toBeNull();
    } else {
      expect(row.ratio).toBeCloseTo(row.value / row.baseline.value, 9);
      expect(suite.rows.some((r) => r.isBaseline)).toBe(true);
    }
    expect(row.met === null).toBe(row.target === null);
    expect(markdown).toContain(`| ${row.benchmark} | ${row.variant} |`);
  }
  expect(markdown).toContain(`# chat-redact benchmarks`);
  expect(markdown).toContain(report.machine.cpu);
  expect(markdown).toContain('| Benchmark | Variant | Result | Ratio vs baseline | Target | Met? |');
  return suite;
}

describe('benchmarks on a tiny input', () => {
  it(
    'core: races redact() against the naive regex and redact-pii, and counts leaks',
    async () => {
      const { report, markdown, stdout } = await runSuite('core');
      const suite = expectWellFormed(report, markdown, 'core');
      expect(stdout).toContain('Ratio vs baseline');
      const speed = suite.rows.filter((r) => r.unit === 'MB/s');
      expect(speed.map((r) => r.variant)).toEqual(['chat-redact redact()', 'chat-redact redact()', 'naive replace', 'redact-pii']);
      expect(speed.map((r) => r.baseline?.variant ?? null)).toEqual(['naive replace', 'redact-pii', null, null]);
      const leaks = new Map(suite.rows.filter((r) => r.unit === 'leaked').map((r) => [r.variant, r.value]));
      expect(leaks.get('chat-redact redact()')).toBe(0);
      expect(leaks.get('naive replace')).toBeGreaterThan(30);
      expect(leaks.get('redact-pii')).toBeGreaterThan(0);
      expect(suite.rows.find((r) => r.variant === 'redact-pii')?.note).toMatch(/extrapolated/);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'stream: every chunk size and the byte Transform give the one-shot output',
    async () => {
      const { report, markdown } = await runSuite('stream');
      const suite = expectWellFormed(report, markdown, 'stream');
      const compared = suite.rows.filter((r) => r.baseline !== null);
      expect(compared.map((r) => r.variant)).toEqual([
        'StreamRedactor, 1-char chunks',
        'StreamRedactor, 16-char chunks',
        'StreamRedactor, 64-char chunks',
        'StreamRedactor, 4,096-char chunks',
        'StreamRedactor, 65,536-char chunks',
        'RedactTransform, 64 KiB byte chunks',
      ]);
      for (const row of compared) {
        expect(row.baseline?.variant).toBe('one-shot redact()');
        expect(row.note, row.variant).toBeUndefined();
      }
      expect(compared.filter((r) => r.target !== null).map((r) => r.target?.value)).toEqual([0.7, 0.9]);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'cli: runs the CLI and sed on a generated file, measures wall time and peak memory, and cleans up',
    async () => {
      const { report, markdown } = await runSuite('cli');
      const suite = expectWellFormed(report, markdown, 'cli');
      const [ours, sed] = suite.rows;
      expect(ours?.baseline?.variant).toBe('sed');
      expect(sed?.variant).toMatch(/^sed /);
      expect(ours?.details.join(' ')).toMatch(/peak RSS \d/);
      const memory = suite.rows.filter((r) => r.unit === 'MiB');
      expect(memory).toHaveLength(3);
      for (const row of memory) expect(row.value).toBeGreaterThan(0);
      expect(readdirSync(tmpDir)).toEqual([]);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'http: races the gateway route against the bare express route with autocannon, same answers',
    async () => {
      const { report, markdown } = await runSuite('http');
      const suite = expectWellFormed(report, markdown, 'http');
      const [ours, bare, p50, p99] = suite.rows;
      expect(ours?.variant).toBe('chat-redact POST /v1/redact');
      expect(ours?.unit).toBe('req/s');
      expect(ours?.value).toBeGreaterThan(0);
      expect(ours?.baseline?.variant).toBe('bare express route');
      expect(ours?.target).toEqual({ op: '>=', value: 0.9 });
      expect(bare?.isBaseline).toBe(true);
      expect([p50?.unit, p99?.unit]).toEqual(['ms', 'ms']);
      expect(p99?.benchmark).toMatch(/latency p99$/);
      expect(ours?.details.join(' ')).toMatch(/^p50 [\d.]+ ms p99 [\d.]+ ms/);
      expect(suite.description.join(' ')).toMatch(/same JSON \(checked before timing/);
      // Every request was answered with 200.
      expect(suite.notes.join(' ')).not.toMatch(/other than 200/);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'ws: round trips through the gateway (demo bot, HTTP vendor stub) and an echo server, and idle memory',
    async () => {
      const { report, markdown } = await runSuite('ws');
      const suite = expectWellFormed(report, markdown, 'ws');
      const roundTrips = suite.rows.filter((r) => r.unit === 'messages/s');
      const FLOOR = 'ws two-frame echo, one write';
      expect(roundTrips.map((r) => r.variant)).toEqual([
        'chat-redact + demo bot',
        'chat-redact + HTTP vendor stub',
        FLOOR,
        'ws two-frame echo, two writes',
        'ws echo server',
      ]);
      expect(roundTrips.map((r) => r.baseline?.variant ?? null)).toEqual([FLOOR, FLOOR, null, null, null]);
      for (const row of roundTrips) {
        expect(row.value, row.variant).toBeGreaterThan(0);
        expect(row.details.join(' ')).toMatch(/frames\/message/);
      }
      const cpu = suite.rows.filter((r) => r.benchmark === 'server CPU per message, 4 clients');
      expect(cpu.map((r) => [r.variant, r.target?.value ?? null])).toEqual([
        ['chat-redact + demo bot', 3],
        ['chat-redact + HTTP vendor stub', 4],
        [FLOOR, null],
        ['ws two-frame echo, two writes', null],
        ['ws echo server', null],
      ]);
      // Each gateway row says how it compares with the other two echoes as well.
      for (const row of cpu.slice(0, 2)) expect(row.details.join(' ')).toMatch(/× the ws two-frame echo, two writes .*× the ws echo server/);
      expect(suite.rows.filter((r) => r.unit === 'ms').map((r) => r.benchmark)).toEqual([
        'round trip, 4 clients, p50',
        'round trip, 4 clients, p50',
        'round trip, 4 clients, p99',
        'round trip, 4 clients, p99',
      ]);
      const memory = suite.rows.filter((r) => r.unit === 'KiB');
      expect(memory.map((r) => [r.benchmark, r.variant])).toEqual([
        ['RSS per idle connection, 20 open', 'chat-redact gateway'],
        ['RSS per idle connection, 20 open', 'ws echo server'],
        ['RSS per idle connection, 50 open', 'chat-redact gateway'],
        ['RSS per idle connection, 50 open', 'ws echo server'],
      ]);
      // No number reached a client, every message was answered without an error frame.
      expect(suite.notes.join(' ')).toMatch(/reached a client through the gateway: 0\. Error frames: 0\. Messages left unanswered at the end of a run: 0\./);
      expect(readdirSync(tmpDir)).toEqual([]);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'latency: one chat through the gateway, straight to the vendor and through a ws echo, in turn',
    async () => {
      const { report, markdown } = await runSuite('latency');
      const suite = expectWellFormed(report, markdown, 'latency');
      const added = suite.rows.filter((r) => r.target !== null);
      expect(added.map((r) => [r.benchmark, r.target])).toEqual([
        ['added latency, p50', { op: '<=', value: 0.2 }],
        ['added latency, p99', { op: '<=', value: 1 }],
      ]);
      const roundTrips = suite.rows.filter((r) => r.benchmark.startsWith('round trip'));
      for (const row of roundTrips) expect(row.value, row.variant).toBeGreaterThan(0);
      expect(suite.rows.filter((r) => r.benchmark.startsWith('one WebSocket hop'))).toHaveLength(2);
      expect(suite.notes.join(' ')).toMatch(/reached the widget: 0\./);
      // The targets' table puts the figures of every Node side by side.
      expect(markdown).toMatch(new RegExp(`\\| Figure \\| Node ${process.version.replaceAll('.', '\\.')} \\| Target \\|`));
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'native: streamed completions through the native OpenAI endpoint and straight to the stub, in turn',
    async () => {
      const { report, markdown } = await runSuite('native');
      const suite = expectWellFormed(report, markdown, 'native');
      expect(suite.rows.filter((r) => r.benchmark.startsWith('added')).map((r) => r.benchmark)).toEqual([
        'added time to first token, p50',
        'added time to first token, p99',
        'added whole reply, p50',
        'added whole reply, p99',
      ]);
      for (const row of suite.rows.filter((r) => !r.benchmark.startsWith('added'))) expect(row.value, row.variant).toBeGreaterThan(0);
      expect(suite.notes.join(' ')).toMatch(/reached the client: 0\./);
      expect(suite.notes.join(' ')).toMatch(/redacted: 0\./);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'log: the service’s lines through its logger, plain pino and the finished-line scrubber',
    async () => {
      const { report, markdown } = await runSuite('log');
      const suite = expectWellFormed(report, markdown, 'log');
      const ours = suite.rows.filter((r) => r.variant === 'chat-redact logger');
      expect(ours.map((r) => r.benchmark)).toEqual(['request log line', 'chat opened (child logger)', 'vendor retry', 'request failed (stack frames)']);
      for (const row of ours) {
        expect(row.baseline?.variant).toBe('plain pino');
        expect(row.target).toEqual({ op: '>=', value: 0.5 });
        expect(row.details.join(' ')).toMatch(/µs\/line/);
        // Raced in the same processes: the ratio of each process is given, one per process.
        expect(row.details.join(' ')).toMatch(/× plain pino by process [\d.,]+ \(CPU [\d.,]+\)/);
        expect(row.ratio).toBeGreaterThan(0);
      }
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    'hostile: every family raced against benign text through every entry point, output within 2× the input',
    async () => {
      const { report, markdown } = await runSuite('hostile');
      const suite = expectWellFormed(report, markdown, 'hostile');
      const entries = [...new Set(suite.rows.map((r) => r.benchmark))];
      expect(entries).toEqual([
        'library: redact() per line',
        'library: StreamRedactor, 4 KiB chunks',
        'library: ByteRedactor, 64 KiB chunks',
        'CLI: redact FILE',
        'HTTP: POST /v1/redact (512 KiB)',
        'HTTP: POST /v1/redact/stream',
        'CLI: redact --json FILE',
        'HTTP: POST /v1/redact/stream?format=json',
      ]);
      const familiesOf = (entry: string): string[] => suite.rows.filter((r) => r.benchmark === entry && !r.isBaseline).map((r) => r.variant);
      const textFamilies = familiesOf('library: redact() per line');
      expect(textFamilies).toEqual(expect.arrayContaining(['digit run (ASCII)', 'lone surrogates around digits', 'long line (benign, no line break)']));
      expect(textFamilies.filter((family) => family.startsWith('period ')).map((family) => Number(/^period (\d)/.exec(family)?.[1]))).toEqual(
        expect.arrayContaining([1, 2, 3, 5, 7, 8]),
      );
      for (const entry of entries.slice(0, 6)) expect(familiesOf(entry), entry).toEqual(textFamilies);
      for (const entry of entries.slice(6)) {
        expect(familiesOf(entry), entry).toEqual(expect.arrayContaining(['colliding keys (28 KB lines)', 'deep nesting (1 MiB of [)']));
      }
      for (const row of suite.rows) {
        expect(row.note, `${row.benchmark} · ${row.variant}`).toBeUndefined();
        if (!row.isBaseline) expect(row.baseline?.variant).toBe('benign (bank chat)');
        if (!row.isBaseline) expect(row.target).toEqual({ op: '>=', value: 1 / 3 });
        // Each family raced against benign in rounds of the two in turn: benign's time of those
        // rounds and the ratio of each round (BENCH_ROUNDS=2 here) are in the row.
        if (!row.isBaseline) expect(row.details.join(' · ')).toMatch(/benign [\d.,]+ ms in the same round · × benign per round [\d.,]+, [\d.,]+ · /);
        if (!row.isBaseline && row.benchmark.startsWith('library: ')) expect(row.cpuRatio).not.toBeNull();
      }
      expect(suite.notes.join(' ')).toMatch(/Slowest family against benign: .+, [\d.]+× benign's time per byte/);
    },
    SUITE_TIMEOUT_MS,
  );

  it('rejects an unknown suite with exit code 2', async () => {
    await expect(run(process.execPath, ['bench/run.js', 'nope'], { cwd: ROOT })).rejects.toMatchObject({ code: 2 });
  });
});
