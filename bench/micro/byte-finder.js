/**
 * The finder of the UTF-8 path: the WebAssembly byte finder (SIMD, `src/redact/wasm/`) against
 * the regex finder it replaced (`test/support/byte-finder-oracle.ts`: the same candidates, as
 * `test/redact/byte-finder.test.ts` checks), and against a plain JavaScript byte loop that only looks up each byte in a table
 * (less than either does: the floor of any JS scan). Over the chat corpus as the byte path scans
 * it: 64 KiB chunks as Latin-1 text.
 *
 * `npm run build && node --expose-gc bench/micro/byte-finder.js` (and the same with Node 26)
 *
 * @module
 */
import { generateCorpus } from '../corpus.js';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const CHUNK_BYTES = 64 * 1024;
const CORPUS_BYTES = 8 * 1024 * 1024;

const { createByteFinder } = await loadDistModule('redact/byte-finder.js');
const { NON_ASCII_DIGITS } = await loadDistModule('redact/unicode.js');

// The oracle of the tests, loaded as it is through tsx (as lib/judge.js loads the leak judge).
process.env.TSX_DISABLE_CACHE ??= '1';
const { tsImport } = await import('tsx/esm/api');
/** @type {typeof import('../../test/support/byte-finder-oracle.ts')} */
const { oracleRegex } = await tsImport('../../test/support/byte-finder-oracle.ts', import.meta.url);

/** Every byte that can begin a candidate, as a table: what a JS loop would have to look up. */
const starts = new Uint8Array(256);
for (let byte = 0x30; byte <= 0x39; byte++) starts[byte] = 1;
for (const codePoint of NON_ASCII_DIGITS) starts[Buffer.from(String.fromCodePoint(codePoint), 'utf8')[0] ?? 0] = 1;

/** @param {Buffer} bytes */
function latin1Chunks(bytes) {
  const chunks = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) chunks.push(bytes.subarray(at, at + CHUNK_BYTES));
  return { texts: chunks.map((chunk) => chunk.toString('latin1')), chunks, bytes: bytes.length };
}

const chat = latin1Chunks(Buffer.from(`${generateCorpus({ bytes: CORPUS_BYTES }).messages.join('\n')}\n`, 'utf8'));

/** @param {{ texts: string[], chunks: Buffer[] }} input */
function variants({ texts, chunks }) {
  const regex = oracleRegex(7, 3);
  const finder = createByteFinder(7, 3);
  return {
    'regex finder (before)': () => {
      let hits = 0;
      for (const text of texts) {
        regex.lastIndex = 0;
        while (regex.exec(text) !== null) hits++;
      }
      return hits;
    },
    'WebAssembly byte finder': () => {
      let hits = 0;
      for (const text of texts) {
        finder.begin(text);
        for (let at = finder.next(0); at >= 0; at = finder.next(at + 1)) hits++;
      }
      return hits;
    },
    'JS loop, table lookup only': () => {
      let hits = 0;
      for (const chunk of chunks) for (let i = 0, n = chunk.length; i < n; i++) hits += /** @type {number} */ (starts[/** @type {number} */ (chunk[i])]);
      return hits;
    },
  };
}

const results = await raceInProcess(`byte finder: ${(chat.bytes / 2 ** 20).toFixed(0)} MiB of chat text in 64 KiB chunks`, variants(chat), {
  iterations: 5,
});
for (const result of results) {
  process.stdout.write(`  ${result.variant}: ${(chat.bytes / result.cpuUs).toFixed(0)} MB/s of CPU time, ${(chat.bytes / result.wallUs).toFixed(0)} MB/s wall\n`);
}
