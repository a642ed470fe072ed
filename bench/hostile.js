/**
 * Hostile input (SPEC §1, invariant 9): each hostile family — digit runs, periods of 1–8 code
 * units repeated, lone surrogates, long lines; for JSON lines also colliding keys, deep nesting and
 * lone surrogate escapes — raced against benign text of the same size (a bank's chat, numbers in
 * most lines, `lib/hostile-inputs.js`) through each entry point: the library (one-shot per line,
 * `StreamRedactor` in 4 KiB chunks, `ByteRedactor` in 64 KiB chunks), the CLI (text and `--json`,
 * a child process of this Node) and the gateway's HTTP routes (`POST /v1/redact` and
 * `/v1/redact/stream`, text and `format=json`, a server process of this Node). Target: each
 * family at most 3× benign's time per byte (≥ 0.33× its MB/s), and output at most 2× the input.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DIST_CLI, loadDistModule } from './lib/engine.js';
import { benignText, hostileJsonLines, hostileTexts } from './lib/hostile-inputs.js';
import { median } from './lib/measure.js';
import { withProcessGroup } from './lib/net-process.js';
import { CHILD_LIFETIME_MS } from './lib/net-race.js';
import { timePairedRuns } from './lib/paired-rounds.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'hostile input — each family against benign text, per entry point';

const SERVER = new URL('./lib/net-server.js', import.meta.url);
const KiB = 1024;
/** A family may take 3× benign's time per byte: a third of its MB/s. */
const TIME_TARGET = 1 / 3;
/** Output may be at most twice the input. */
const OUTPUT_LIMIT = 2;
const STREAM_CHUNK = 4 * KiB;
const BYTE_CHUNK = 64 * KiB;
/** `POST /v1/redact` takes one JSON body of at most 1 MiB: its texts are cut to this. */
const ONE_SHOT_BODY_BYTES = 512 * KiB;
const BENIGN = 'benign (bank chat)';

/** @param {string} file @param {string[]} args @returns {Promise<number>} bytes written to stdout */
function runCli(file, args) {
  return new Promise((resolve, reject) => {
    const input = openSync(file, 'r');
    const child = spawn(process.execPath, [DIST_CLI, 'redact', ...args], { stdio: [input, 'pipe', 'inherit'] });
    closeSync(input);
    let bytes = 0;
    child.stdout.on('data', (/** @type {Buffer} */ chunk) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(bytes) : reject(new Error(`chat-redact redact exited with ${status}`))));
  });
}

/** @param {number} port @param {string} route @param {string | Buffer} body @param {string} contentType */
async function post(port, route, body, contentType) {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const answer = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${route}: HTTP ${response.status}`);
  return answer.length;
}

/**
 * The entry points of text, each a function from a text (and its file) to a run.
 * @param {any} engine the built engine, `dist/redact/index.js` (the byte redactor is no package export)
 * @param {number} port
 */
function textEntryPoints(engine, port) {
  const { redact, StreamRedactor, ByteRedactor } = engine;
  return {
    'library: redact() per line': (/** @type {string} */ text) => {
      const lines = text.split('\n');
      return () => lines.reduce((bytes, line) => bytes + Buffer.byteLength(redact(line).text) + 1, 0);
    },
    'library: StreamRedactor, 4 KiB chunks': (/** @type {string} */ text) => {
      const chunks = [];
      for (let at = 0; at < text.length; at += STREAM_CHUNK) chunks.push(text.slice(at, at + STREAM_CHUNK));
      return () => {
        const redactor = new StreamRedactor();
        let bytes = 0;
        for (const chunk of chunks) bytes += Buffer.byteLength(redactor.push(chunk));
        return bytes + Buffer.byteLength(redactor.end());
      };
    },
    'library: ByteRedactor, 64 KiB chunks': (/** @type {string} */ text) => {
      const bytes = Buffer.from(text);
      return () => {
        const redactor = new ByteRedactor();
        let out = 0;
        for (let at = 0; at < bytes.length; at += BYTE_CHUNK) out += redactor.push(bytes.subarray(at, at + BYTE_CHUNK)).length;
        return out + redactor.end().length;
      };
    },
    'CLI: redact FILE': (/** @type {string} */ _text, /** @type {string} */ file) => () => runCli(file, []),
    'HTTP: POST /v1/redact (512 KiB)': (/** @type {string} */ text) => {
      const body = JSON.stringify({ text: Buffer.from(text).subarray(0, ONE_SHOT_BODY_BYTES).toString() });
      return () => post(port, '/v1/redact', body, 'application/json');
    },
    'HTTP: POST /v1/redact/stream': (/** @type {string} */ text) => {
      const body = Buffer.from(text);
      return () => post(port, '/v1/redact/stream', body, 'text/plain');
    },
  };
}

/** @param {number} port */
function jsonEntryPoints(port) {
  return {
    'CLI: redact --json FILE': (/** @type {string} */ _text, /** @type {string} */ file) => () => runCli(file, ['--json']),
    'HTTP: POST /v1/redact/stream?format=json': (/** @type {string} */ text) => {
      const body = Buffer.from(text);
      return () => post(port, '/v1/redact/stream?format=json', body, 'text/plain');
    },
  };
}

/** Entry points that run in this process: their CPU time is measured too, and their JIT wants a warm-up per input. */
const IN_PROCESS = 'library: ';

/**
 * One entry point's race of each family against benign text of the same size: per family, rounds
 * of the two in turn (benign, family; then family, benign), in this process and against the same
 * server. A family's ratio is the median of its rounds' ratios (`timePairedRuns`), its row that
 * round's two figures: each round's two runs are moments apart and share the machine's load, where benign timed once for all
 * families (the method before) put one draw of the machine's luck into every family's ratio.
 * @param {string} entry
 * @param {(text: string, file: string) => () => Promise<number> | number} make
 * @param {Array<{ family: string, text: string, file: string, bytes: number }>} inputs the first is benign
 * @param {{ rounds: number, progress: (text: string) => void }} settings
 * @returns {Promise<import('./lib/report.js').Row[]>} the benign row first, then one per family
 */
async function raceEntry(entry, make, [benign, ...families], { rounds, progress }) {
  if (benign === undefined) throw new Error('no benign input');
  const inProcess = entry.startsWith(IN_PROCESS);
  const cut = (/** @type {number} */ bytes) => (entry.includes('(512 KiB)') ? Math.min(bytes, ONE_SHOT_BODY_BYTES) : bytes);
  const runBenign = make(benign.text, benign.file);
  // A CLI run is a fresh process and the server is warmed by benign's first run: one warm-up of
  // benign for the entry. In this process each family's code paths want their own warm-up, and
  // benign's again after them.
  if (!inProcess) await runBenign();
  const benignBytes = cut(benign.bytes);
  /** @type {{ ms: number[], cpuMs: number[] }} */
  const benignAll = { ms: [], cpuMs: [] };
  let benignOutput = 0;
  /** @type {import('./lib/report.js').Row[]} */
  const familyRows = [];
  for (const input of families) {
    progress(`${entry} · ${input.family} against benign`);
    const bytes = cut(input.bytes);
    const race = await timePairedRuns(runBenign, make(input.text, input.file), { warmup: inProcess ? 1 : 0, rounds });
    benignAll.ms.push(...race.a.ms);
    benignAll.cpuMs.push(...race.a.cpuMs);
    benignOutput = race.outputA;
    // Per round, the family's MB/s over benign's: benign's time per byte over the family's. The
    // row is the round whose ratio is the median (of an even count the lower middle): its two
    // figures are taken moments apart, and their ratio is the one the target reads.
    const perByte = benignBytes / bytes;
    const roundOf = (/** @type {number[]} */ ratios) => {
      const order = ratios.map((_, k) => k).sort((x, y) => 1 / ((ratios[x] ?? 0) * perByte) - 1 / ((ratios[y] ?? 0) * perByte));
      return /** @type {number} */ (order[(order.length - 1) >> 1]);
    };
    const wall = roundOf(race.ratios);
    const cpu = roundOf(race.cpuRatios);
    const ms = race.b.ms[wall] ?? NaN;
    const benignMs = race.a.ms[wall] ?? NaN;
    const outputRatio = race.outputB / bytes;
    familyRows.push(
      makeRow({
        benchmark: entry,
        variant: input.family,
        value: bytes / 1e3 / ms,
        unit: 'MB/s',
        details: [
          `${formatNumber(ms)} ms for ${formatNumber(bytes / KiB)} KiB`,
          `benign ${formatNumber(benignMs)} ms in the same round`,
          `× benign per round ${race.ratios.map((r) => formatNumber(1 / (r * perByte))).join(', ')}`,
          `output ${outputRatio.toFixed(2)}× input`,
        ],
        ...(inProcess && { cpuValue: bytes / 1e3 / (race.b.cpuMs[cpu] ?? NaN) }),
        samples: race.b.ms.map((m) => bytes / 1e3 / m),
        baseline: { variant: BENIGN, value: benignBytes / 1e3 / benignMs, ...(inProcess && { cpuValue: benignBytes / 1e3 / (race.a.cpuMs[cpu] ?? NaN) }) },
        target: { op: '>=', value: TIME_TARGET },
        ...(outputRatio > OUTPUT_LIMIT && { note: `OUTPUT ${outputRatio.toFixed(2)}× THE INPUT (limit ${OUTPUT_LIMIT}×)` }),
      }),
    );
  }
  const benignMs = median(benignAll.ms);
  const benignOutputRatio = benignOutput / benignBytes;
  const benignRow = makeRow({
    benchmark: entry,
    variant: BENIGN,
    value: benignBytes / 1e3 / benignMs,
    unit: 'MB/s',
    details: [`${formatNumber(benignMs)} ms for ${formatNumber(benignBytes / KiB)} KiB (median of its rounds against every family)`, `output ${benignOutputRatio.toFixed(2)}× input`],
    ...(inProcess && { cpuValue: benignBytes / 1e3 / median(benignAll.cpuMs) }),
    samples: benignAll.ms.map((m) => benignBytes / 1e3 / m),
    isBaseline: true,
    ...(benignOutputRatio > OUTPUT_LIMIT && { note: `OUTPUT ${benignOutputRatio.toFixed(2)}× THE INPUT (limit ${OUTPUT_LIMIT}×)` }),
  });
  return [benignRow, ...familyRows];
}

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, workspace, progress }) {
  const size = options.hostileBytes;
  const rounds = Math.max(1, Math.min(options.rounds, 3));
  const engine = await loadDistModule('redact/index.js');
  const scratch = workspace.dir;
  /** @type {import('./lib/report.js').Row[]} */
  const rows = [];
  const notes = [];
  await withProcessGroup(async (group) => {
    const server = await group.start(SERVER, { kind: 'gateway', env: { LOG_LEVEL: 'warn' }, lifetimeMs: CHILD_LIFETIME_MS }, { name: 'HTTP server' });
    const port = server.ready.port;
    const json = hostileJsonLines(size);
    const suites = [
      { entries: textEntryPoints(engine, port), benign: benignText(size), families: hostileTexts(size) },
      { entries: jsonEntryPoints(port), benign: json.benign, families: json.families },
    ];
    for (const { entries, benign, families } of suites) {
      const inputs = [{ family: BENIGN, text: benign }, ...families].map(({ family, text }, k) => {
        const file = path.join(scratch, `hostile-${k}.txt`);
        writeFileSync(file, text);
        return { family, text, file, bytes: Buffer.byteLength(text) };
      });
      for (const [entry, make] of Object.entries(entries)) rows.push(...(await raceEntry(entry, make, inputs, { rounds, progress })));
      for (const input of inputs) rmSync(input.file, { force: true });
    }
  });
  const worst = rows.reduce((slowest, row) => (row.ratio !== null && row.ratio < (slowest.ratio ?? Infinity) ? row : slowest));
  notes.push(`Slowest family against benign: ${worst.benchmark} · ${worst.variant}, ${formatNumber(1 / (worst.ratio ?? NaN))}× benign's time per byte (target ≤ 3×).`);
  return {
    description: [
      `Each family is ${formatNumber(size / KiB)} KiB or a little more (lines of 4 KiB unless it is a long-line family), ` +
        'raced against benign text of the same size through the same entry point: a bank’s chat with amounts, dates and formatted ' +
        'phone, account and national id numbers in most lines (for JSON lines, the same messages as pino lines).',
      `Each family against benign in ${rounds} rounds, the two in turn (benign first, then the family first), in this process and against ` +
        'the same server; a family’s ratio is the median of its rounds’ ratios (per byte; of an even count the lower middle), its MB/s and ' +
        'benign’s beside it that round’s. MB/s is 10^6 input bytes per second of wall time (CPU time too for the library, which runs in this process); ' +
        'the CLI and the gateway run as processes of the same Node (a CLI run includes its start-up, the same for every family). ' +
        'Benign’s own row is the median of all its rounds against every family.',
    ],
    rows,
    notes,
  };
}
