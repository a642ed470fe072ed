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

/**
 * @typedef {object} Measured
 * @property {number} ms median time of one run
 * @property {number} outputBytes
 */

/** @param {() => Promise<number> | number} run returns the output's bytes @param {number} rounds @returns {Promise<Measured>} */
async function timeIt(run, rounds) {
  let outputBytes = await run(); // warm-up
  const times = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    outputBytes = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), outputBytes };
}

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
  let worst = { ratio: Infinity, what: '' };
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
      for (const [entry, make] of Object.entries(entries)) {
        /** @type {import('./lib/report.js').Row | undefined} */
        let baselineRow;
        for (const input of inputs) {
          progress(`${entry} · ${input.family}`);
          const bytes = entry.includes('(512 KiB)') ? Math.min(input.bytes, ONE_SHOT_BODY_BYTES) : input.bytes;
          const measured = await timeIt(make(input.text, input.file), rounds);
          const value = bytes / 1e3 / measured.ms;
          const outputRatio = measured.outputBytes / bytes;
          const isBaseline = input.family === BENIGN;
          const row = makeRow({
            benchmark: entry,
            variant: input.family,
            value,
            unit: 'MB/s',
            details: [`${formatNumber(measured.ms)} ms for ${formatNumber(bytes / KiB)} KiB`, `output ${outputRatio.toFixed(2)}× input`],
            isBaseline,
            ...(baselineRow !== undefined && {
              baseline: { variant: BENIGN, value: baselineRow.value },
              target: { op: '>=', value: TIME_TARGET },
            }),
            ...(outputRatio > OUTPUT_LIMIT && { note: `OUTPUT ${outputRatio.toFixed(2)}× THE INPUT (limit ${OUTPUT_LIMIT}×)` }),
          });
          if (isBaseline) baselineRow = row;
          else if (row.ratio !== null && row.ratio < worst.ratio) worst = { ratio: row.ratio, what: `${entry} · ${input.family}` };
          rows.push(row);
        }
      }
      for (const input of inputs) rmSync(input.file, { force: true });
    }
  });
  notes.push(`Slowest family against benign: ${worst.what}, ${formatNumber(1 / worst.ratio)}× benign's time per byte (target ≤ 3×).`);
  return {
    description: [
      `Each family is ${formatNumber(size / KiB)} KiB or a little more (lines of 4 KiB unless it is a long-line family), ` +
        'raced against benign text of the same size through the same entry point: a bank’s chat with amounts, dates and formatted ' +
        'phone, account and national id numbers in most lines (for JSON lines, the same messages as pino lines).',
      `MB/s is 10^6 input bytes per second of wall time, the median of ${rounds} runs after one warm-up; the CLI and the gateway ` +
        'run as processes of the same Node (a CLI run includes its start-up, the same for every family).',
    ],
    rows,
    notes,
  };
}
