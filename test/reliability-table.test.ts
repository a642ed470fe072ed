/**
 * The README's "Security and reliability" table, checked against the code: every row names test
 * files that exist, and every number a row states is either a default checked here against the
 * code's constant, an HTTP status, or a WebSocket close code of the service. A row with a number
 * no check covers fails, so a new row comes with its check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COOL_DOWN_MS, DEFAULT_FAILURE_THRESHOLD } from '../src/chatbot/circuit-breaker.js';
import { EXIT } from '../src/process-io.js';
import { CLOSE_CODES } from '../src/errors.js';
import { HEARTBEAT_INTERVAL_MS } from '../src/gateway/heartbeat.js';
import { MAX_ID_LENGTH } from '../src/gateway/protocol.js';
import { FLOOD_STRIKES } from '../src/gateway/rate-limiter.js';
import { LINGER_LIMITS } from '../src/http/lingering-close.js';
import { loadConfig } from '../src/config/load-config.js';
import { readmeTable } from './support/readme.js';

const TEST_ROOT = path.dirname(new URL(import.meta.url).pathname);
const SRC_ROOT = path.join(TEST_ROOT, '../src');

/**
 * A module-private constant, read from its declaration (`const NAME = 1024 * 1024;`), for the
 * defaults the code does not export.
 */
function privateConstant(file: string, name: string): number {
  const source = readFileSync(path.join(SRC_ROOT, file), 'utf8');
  const declared = new RegExp(`\\bconst ${name} = ([\\d_ *]+);`).exec(source)?.[1];
  if (declared === undefined) throw new Error(`src/${file} no longer declares ${name} as a number: update this check`);
  return declared.split('*').reduce((product, factor) => product * Number(factor.trim().replaceAll('_', '')), 1);
}

/** Numbers written as words; "one" and "two" are left out, being prose more often than defaults. */
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, fifty: 50, hundred: 100,
};
const UNITS: Readonly<Record<string, number>> = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, ms: 1, s: 1000, min: 60_000 };

/** A quantity as the README writes it — `16 MiB`, `5 s`, `five`, `32` — in bytes, milliseconds or a count. */
function readQuantity(stated: string): number {
  const match = /^(\d+(?:\.\d+)?|[a-z]+)(?: (bytes|KiB|MiB|GiB|ms|s|min))?$/.exec(stated.trim());
  if (match === null) throw new Error(`cannot read "${stated}" as a quantity`);
  const amount = /^\d/.test(match[1]!) ? Number(match[1]) : NUMBER_WORDS[match[1]!];
  if (amount === undefined) throw new Error(`"${match[1]}" is no number word this check knows`);
  return amount * (match[2] === undefined ? 1 : (UNITS[match[2]] ?? Number.NaN));
}

/** One stated default: where the README says it (each capture group one quantity) and what the code has. */
interface Claim {
  readonly says: RegExp;
  readonly code: readonly number[];
  readonly what: string;
}

const CLAIMS: readonly Claim[] = [
  { says: /over (\d+) characters/, code: [MAX_ID_LENGTH], what: 'the longest message id (protocol.ts MAX_ID_LENGTH)' },
  { says: /or (\d+) waiting for their reply/, code: [privateConstant('gateway/connection.ts', 'MAX_QUEUED_MESSAGES')], what: 'messages queued per chat' },
  { says: /(\w+) in a row close the chat/, code: [FLOOD_STRIKES], what: 'refused messages before a flood closes the chat' },
  { says: /or over (\d+ [KMG]iB)/, code: [loadConfig({}).redactApi.maxBodyBytes], what: 'the JSON body limit at the default MAX_REDACT_BYTES' },
  { says: /for up to (\d+ [KMG]iB) or (\d+ m?s)/, code: [LINGER_LIMITS.maxBytes, LINGER_LIMITS.maxMs], what: 'the lingering close after a 413' },
  { says: /headers over (\d+ [KMG]iB)/, code: [maxHeaderSize], what: "Node's header limit, which the server keeps" },
  {
    says: /once more than (\d+ [KMG]iB) \(or (\d+) × `MAX_MESSAGE_BYTES`\)/,
    code: [privateConstant('gateway/chat-context.ts', 'MIN_UNREAD_BYTES'), privateConstant('gateway/chat-context.ts', 'UNREAD_FRAMES_ALLOWED')],
    what: 'unread bytes before a slow widget is cut',
  },
  { says: /dropped (\d+ m?s) later/, code: [privateConstant('gateway/chat-socket.ts', 'SLOW_CLIENT_GRACE_MS')], what: 'the grace a slow widget gets for the close frame' },
  { says: /pinged every (\d+ m?s)/, code: [HEARTBEAT_INTERVAL_MS], what: 'the heartbeat interval' },
  { says: /(\w+) vendor failures in a row/, code: [DEFAULT_FAILURE_THRESHOLD], what: "the circuit breaker's failure threshold" },
  { says: /for (\d+ m?s) every chat gets/, code: [DEFAULT_COOL_DOWN_MS], what: "the circuit breaker's cool-down" },
  { says: /the process exits (\d+)/, code: [EXIT.ok], what: 'the exit code after a drain' },
];

/** HTTP statuses (`413`, `4xx`) and WebSocket close codes (`1009`): checked as codes, not as defaults. */
const HTTP_STATUS = /\b([1-5]\d\d|[1-5]xx)\b/g;
const CLOSE_CODE = /\b(1\d{3}|4\d{3})\b/g;
/** Names with a digit in them, which state no quantity. */
const NAMES_WITH_DIGITS = /\b(?:UTF-8|HTTP\/\d(?:\.\d)?|RFC \d+|SHA-\d+)\b/g;
const NUMBER_TOKEN = new RegExp(`\\b(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})\\b`, 'gi');

/** The character positions a match covers. */
function spansOf(text: string, pattern: RegExp): Array<{ start: number; end: number; match: RegExpExecArray }> {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  return [...text.matchAll(global)].map((match) => ({ start: match.index, end: match.index + match[0].length, match }));
}

/** Every test file, as its path under `test/` without `.test.ts`. */
function testFileNames(): string[] {
  return (readdirSync(TEST_ROOT, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => file.replaceAll(path.sep, '/').replace(/\.test\.ts$/, ''));
}

/** The files a name in the table's last column stands for: `frame-limits`, `gateway/chat-server`, `gateway.integration`. */
function filesNamed(name: string, files: readonly string[]): string[] {
  return files.filter((file) => [file, `${file}.`].some((candidate) => [name, `system/${name}`].some((n) => candidate === n || file.startsWith(`${n}.`))));
}

const rows = readmeTable('Security and reliability');

describe('README: Security and reliability', () => {
  it('has rows of three cells, each naming at least one test', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      expect(row, row[0]).toHaveLength(3);
      expect([...(row[2] ?? '').matchAll(/`([^`]+)`/g)].length, row[0]).toBeGreaterThan(0);
    }
  });

  it('every test a row names is exactly one test file that exists', () => {
    const files = testFileNames();
    for (const [when = '', , tests = ''] of rows) {
      for (const [, name = ''] of tests.matchAll(/`([^`]+)`/g)) {
        expect.soft(filesNamed(name, files), `"${when}" names \`${name}\``).toHaveLength(1);
      }
    }
  });

  it('every default a row states is the one in the code', () => {
    const matched = new Set<Claim>();
    for (const [when = '', happens = ''] of rows) {
      const text = `${when} | ${happens}`;
      for (const claim of CLAIMS) {
        for (const { match } of spansOf(text, claim.says)) {
          matched.add(claim);
          const stated = match.slice(1).map((quantity) => readQuantity(quantity ?? ''));
          expect.soft(stated, `${claim.what}: "${match[0]}"`).toEqual(claim.code);
        }
      }
    }
    const unmatched = CLAIMS.filter((claim) => !matched.has(claim)).map((claim) => claim.what);
    expect(unmatched, 'checks whose wording no row has any more: reword the check with the row').toEqual([]);
  });

  it('every status is an HTTP status and every close code one the service sends', () => {
    const closeCodes = new Set<number>(Object.values(CLOSE_CODES));
    for (const [when = '', happens = ''] of rows) {
      const text = `${when} | ${happens}`;
      for (const { match } of spansOf(text, CLOSE_CODE)) expect(closeCodes.has(Number(match[1])), `close code ${match[1]} in "${when}"`).toBe(true);
      for (const { match } of spansOf(text, HTTP_STATUS)) {
        const status = match[1]!;
        expect(status.endsWith('xx') || STATUS_CODES[Number(status)] !== undefined, `status ${status} in "${when}"`).toBe(true);
      }
    }
  });

  it('no row states a number that none of these checks covers', () => {
    const uncovered: string[] = [];
    for (const [when = '', happens = ''] of rows) {
      const text = `${when} | ${happens}`;
      const covered = [...CLAIMS.flatMap((claim) => spansOf(text, claim.says)), ...spansOf(text, HTTP_STATUS), ...spansOf(text, CLOSE_CODE), ...spansOf(text, NAMES_WITH_DIGITS)];
      for (const { start, end, match } of spansOf(text, NUMBER_TOKEN)) {
        if (!covered.some((span) => span.start <= start && end <= span.end)) uncovered.push(`"${match[0]}" in "${when}"`);
      }
    }
    expect(uncovered, 'add a check to CLAIMS in test/reliability-table.test.ts for each').toEqual([]);
  });
});
