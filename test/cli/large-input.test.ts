/**
 * `chat-redact redact` on large inputs: a number split across read chunks (and a multi-byte digit
 * split across them) is found as in one-shot redaction; a reader that leaves early (`| head`) is
 * no failure; memory stays flat however much goes through.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, redact } from '../../src/redact/index.js';
import { createRandom } from '../support/log-lines.js';
import { CLI, ROOT, collect, runCli, spawnCli, useTempDir } from './run-cli.js';

const tempDir = useTempDir('cli-large');
const MIB = 1024 * 1024;
/** The CLI reads files in chunks of this size, so these offsets are where a chunk ends. */
const READ_CHUNK_BYTES = 64 * 1024;

/** Digits of several scripts: 1, 2, 3 and 4 bytes in UTF-8, so a chunk can end inside a digit. */
const DIGIT_ZEROS = [0x30, 0x0660, 0xff10, 0x1d7ce] as const;
const SEPARATORS = [' ', '.', '-', '\u00a0', '\u200b', ''] as const;
/** 13 four-byte digits with a three-byte separator between each two, and a space. */
const LONGEST_PIECE_BYTES = 13 * 4 + 12 * 3 + 1;
const WORDS = ['hei', 'kunde', 'faktura', 'ring', 'meg', 'på', 'konto', 'takk', 'Åse', 'مرحبا', '😀', 'kr', '450', '2025'];

function formatNumber(random: (below: number) => number): string {
  const zero = DIGIT_ZEROS[random(DIGIT_ZEROS.length)]!;
  const digits = 6 + random(8);
  let text = '';
  for (let k = 0; k < digits; k++) {
    if (k > 0 && random(3) === 0) text += SEPARATORS[random(SEPARATORS.length)];
    text += String.fromCodePoint(zero + random(10));
  }
  return text;
}

/** Chat-like text of exactly `bytes` UTF-8 bytes: words, short and long numbers, line breaks. */
function fillBytes(bytes: number, random: (below: number) => number): string {
  let text = '';
  let length = 0;
  while (bytes - length > LONGEST_PIECE_BYTES) {
    const piece = random(6) === 0 ? formatNumber(random) : random(8) === 0 ? '\n' : WORDS[random(WORDS.length)]!;
    const spaced = `${piece} `;
    text += spaced;
    length += Buffer.byteLength(spaced);
  }
  return text + 'x'.repeat(bytes - length);
}

/**
 * About `totalBytes` of text in which every chunk boundary falls inside a sensitive number, at a
 * different byte of it each time (inside a multi-byte digit, too).
 */
function buildStraddlingText(totalBytes: number, seed: number): string {
  const random = createRandom(seed);
  const parts: string[] = [];
  let length = 0;
  for (let boundary = READ_CHUNK_BYTES; boundary < totalBytes; boundary += READ_CHUNK_BYTES) {
    const number = formatNumber(random) + String.fromCodePoint(0x30 + random(10)).repeat(7);
    const bytesBefore = 1 + random(Buffer.byteLength(number) - 1);
    const filler = fillBytes(boundary - bytesBefore - length, random);
    parts.push(filler, number);
    length += Buffer.byteLength(filler) + Buffer.byteLength(number);
  }
  return parts.join('');
}

/** The peak resident memory of a running process, in bytes (Linux). */
function readPeakMemory(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmHWM for ${pid}`);
  return Number(kib) * 1024;
}

describe('chat-redact redact: large inputs', () => {
  it('a 20 MB file with a number across every read boundary comes out as one-shot redact() of it', async () => {
    const text = buildStraddlingText(20 * MIB, 20_251_121);
    const file = join(tempDir(), 'straddling.txt');
    writeFileSync(file, text);
    const boundaries = Math.floor(Buffer.byteLength(text) / READ_CHUNK_BYTES);
    const expected = redact(text);
    expect(boundaries).toBeGreaterThanOrEqual(319);
    expect(expected.redactions).toBeGreaterThan(boundaries);

    const result = await runCli(['redact', '--stats', file]);
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBe(expected.text.length);
    expect(result.stdout === expected.text).toBe(true); // not toBe: a 20 MB diff would drown the report
    const counts = KINDS.map((kind) => `  ${kind}: ${expected.kinds[kind] ?? 0}`).join('\n');
    expect(result.stderr).toBe(`redactions: ${expected.redactions}\n${counts}\nkept: 0\n`);
  });

  it('`| head -1` ends it quietly with exit code 0 (EPIPE is the reader leaving, not a failure)', () => {
    const file = join(tempDir(), 'for-head.txt');
    writeFileSync(file, 'tlf 98 76 54 32 ok\n'.repeat(1_000_000));
    const script = '"$0" "$1" redact "$2" | head -1; echo "exit=${PIPESTATUS[0]}"';
    const result = spawnSync('bash', ['-c', script, process.execPath, CLI, file], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(result.stdout).toBe('tlf  ok\nexit=0\n');
    expect(result.stderr).toBe('');
  });

  it.runIf(process.platform === 'linux')('peak memory stays flat: 200 MB through stdin peaks under 150 MB, and grows little after the first 40 MB', async () => {
    // A block that ends in a line break: nothing joins across blocks, so the output is known.
    const line = readFileSync(join(ROOT, 'examples', 'sample-chat.txt'), 'utf8');
    const block = Buffer.from(line.repeat(Math.ceil(MIB / Buffer.byteLength(line))));
    const redactedBlockBytes = Buffer.byteLength(redact(block.toString('utf8')).text);
    const blocks = Math.ceil((200 * MIB) / block.length);
    const early = Math.ceil((40 * MIB) / block.length);

    const child = spawnCli(['redact']);
    const result = collect(child);
    let received = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (waiting !== undefined && received >= waiting.bytes) waiting.resolve();
    });
    let waiting: { bytes: number; resolve: () => void } | undefined;
    const sendBlocks = async (count: number): Promise<void> => {
      for (let k = 0; k < count; k++) if (!child.stdin!.write(block)) await once(child.stdin!, 'drain');
    };
    const outputReaches = (bytes: number): Promise<void> =>
      new Promise((resolve) => {
        if (received >= bytes) resolve();
        else waiting = { bytes, resolve };
      });

    await sendBlocks(early);
    await outputReaches(early * redactedBlockBytes - MIB);
    const peakEarly = readPeakMemory(child.pid!);
    await sendBlocks(blocks - early);
    await outputReaches(blocks * redactedBlockBytes - MIB);
    const peakLate = readPeakMemory(child.pid!);
    child.stdin!.end();
    const { status, stderr } = await result;

    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(received).toBe(blocks * redactedBlockBytes);
    expect(peakLate).toBeLessThan(150 * MIB);
    expect(peakLate - peakEarly).toBeLessThan(40 * MIB);
  }, 120_000);
});
