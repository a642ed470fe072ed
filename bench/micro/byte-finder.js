/**
 * The finder of the UTF-8 path: the WebAssembly byte finder (SIMD, `src/redact/wasm/`) against
 * the regex finder it replaced (the same candidates, as `test/redact/byte-finder.test.ts`
 * checks), and against a plain JavaScript byte loop that only looks up each byte in a table
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
const { BMP, NON_ASCII_DIGITS, OTHER, SEPARATOR } = await loadDistModule('redact/unicode.js');

/** @param {number} byte */
const hex = (byte) => `\\x${byte.toString(16).padStart(2, '0')}`;

/** The regex finder of the byte path before the WebAssembly one (utf8-codec.ts until this change). */
function regexFinder() {
  const separators = [];
  for (let byte = 0; byte < 0x80; byte++) if ((BMP[byte] ?? OTHER) === SEPARATOR) separators.push(hex(byte));
  const tail = '[\\x80-\\xbf]';
  const gap = `(?:[${separators.join('')}]|[\\xc2-\\xdf]${tail}|[\\xe0-\\xef]${tail}{2}|[\\xf0-\\xf4]${tail}{3})`;
  const prefixes = new Set();
  for (const codePoint of NON_ASCII_DIGITS) {
    const bytes = [...Buffer.from(String.fromCodePoint(codePoint), 'utf8')];
    prefixes.add(bytes.slice(0, bytes.length === 4 ? 3 : 2).map(hex).join(''));
  }
  return new RegExp(`[0-9](?:${gap}{0,3}[0-9]){6}|${[...prefixes].join('|')}`, 'g');
}

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
  const regex = regexFinder();
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
      for (const text of texts) for (let at = finder.next(text, 0); at >= 0; at = finder.next(text, at + 1)) hits++;
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
