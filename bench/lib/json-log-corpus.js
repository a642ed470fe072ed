/**
 * A JSON-lines log corpus for the CLI's `--json` benchmark: what structured loggers write — pino
 * (its own `time`, `pid`, `hostname`), Elastic Common Schema (`@timestamp`, dotted and nested
 * fields), zap-style (`ts` in seconds) — with the chat corpus's messages as `msg`, so ~5% of the
 * lines carry a sensitive number, and customer ids and amounts as numbers and strings. Generated
 * from the seeded PRNG of `corpus.js`: every run scans the very same lines; every number is
 * synthetic.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { CORPUS_SEED, createRandom, generateMessage, sensitiveNumber } from '../corpus.js';

/** 2026-12-01T07:45:18.000Z, the corpus's first moment. */
const START_MS = Date.UTC(2026, 11, 1, 7, 45, 18);
const PATHS = ['/api/orders', '/api/customers', '/api/invoices', '/chat', '/healthz'];
const LEVELS = ['info', 'info', 'info', 'warn', 'error'];
const MILLIS_PER_SECOND = 1000;

/** @param {() => number} random @param {number} limit */
const below = (random, limit) => Math.floor(random() * limit);

/**
 * One log line; `now` is the line's moment in ms.
 * @param {() => number} random
 * @param {number} now
 * @returns {string}
 */
function logLine(random, now) {
  const message = generateMessage(random).text;
  const roll = random();
  const customer = roll < 0.1 ? sensitiveNumber(random) : `cus_${below(random, 99_999)}`;
  if (roll < 0.5) {
    return JSON.stringify({
      level: 30,
      time: now,
      pid: 4242,
      hostname: 'api-7d9f8',
      reqId: `req-${below(random, 10_000)}`,
      req: { method: 'GET', url: `${PATHS[below(random, PATHS.length)]}/${below(random, 5000)}` },
      res: { statusCode: 200 },
      responseTime: below(random, 900),
      msg: message,
    });
  }
  if (roll < 0.8) {
    return JSON.stringify({
      '@timestamp': new Date(now).toISOString(),
      'log.level': LEVELS[below(random, LEVELS.length)],
      message,
      'event.dataset': 'chat.gateway',
      http: { response: { status_code: 200, body: { bytes: below(random, 90_000) } } },
      user: { id: customer },
    });
  }
  return JSON.stringify({
    level: LEVELS[below(random, LEVELS.length)],
    ts: now / MILLIS_PER_SECOND,
    caller: 'billing/handler.go:42',
    msg: message,
    customer,
    amount: below(random, 100_000) / 100,
  });
}

/**
 * Write a JSON-lines file of `bytes` bytes (to the end of the line): a block of about
 * `blockBytes` lines, over and over, as `Workspace.repeatedCorpusFile` does for text.
 * @param {string} file
 * @param {number} bytes
 * @param {number} blockBytes
 * @returns {{ path: string, bytes: number, lines: number }}
 */
export function writeJsonLogFile(file, bytes, blockBytes) {
  const random = createRandom(CORPUS_SEED);
  const lines = [];
  let size = 0;
  for (let now = START_MS; size < Math.min(bytes, blockBytes); now += below(random, 2000)) {
    const line = logLine(random, now);
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  const block = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const fd = openSync(file, 'w');
  let written = 0;
  let count = 0;
  try {
    while (written + block.length <= bytes) {
      written += writeSync(fd, block);
      count += lines.length;
    }
    if (written < bytes) {
      const end = block.indexOf(0x0a, Math.max(0, bytes - written - 1)) + 1;
      written += writeSync(fd, block.subarray(0, end));
      count += block.subarray(0, end).toString('utf8').split('\n').length - 1;
    }
  } finally {
    closeSync(fd);
  }
  return { path: file, bytes: written, lines: count };
}
