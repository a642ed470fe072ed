/**
 * `chat-redact redact` as a user runs it: the built CLI in a child process, stdin and files in,
 * redacted text out, counts on stderr, unreadable files named and skipped.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, redact } from '../../src/redact/index.js';
import { ROOT, runCli, useTempDir } from './run-cli.js';

const SAMPLE = readFileSync(join(ROOT, 'examples', 'sample-chat.txt'), 'utf8');
const tempDir = useTempDir('cli');

function writeTemp(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** The `--stats` block for `counts`, as the CLI prints it. */
function statsBlock(counts: Partial<Record<(typeof KINDS)[number], number>>, kept = 0): string {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return [`redactions: ${total}`, ...KINDS.map((kind) => `  ${kind}: ${counts[kind] ?? 0}`), `kept: ${kept}`].join('\n') + '\n';
}

describe('chat-redact redact: input and output', () => {
  it('redacts stdin to stdout exactly as redact() does, and says nothing on stderr', async () => {
    const result = await runCli(['redact'], SAMPLE);
    const expected = redact(SAMPLE);
    expect(expected.redactions).toBeGreaterThan(3);
    expect(result).toEqual({ status: 0, stdout: expected.text, stderr: '' });
  });

  it('writes several files in the order given, "-" standing for stdin, with no number joined across two inputs', async () => {
    // Each input ends in 4 digits and the next begins with 4: joined they would be 8.
    const first = writeTemp('first.txt', 'første 1234');
    const last = writeTemp('last.txt', '5678 siste, tlf 98 76 54 32\n');
    const result = await runCli(['redact', first, '-', last], '9012 midten 3456');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('første 1234' + '9012 midten 3456' + '5678 siste, tlf \n');
  });

  it('applies --min-digits, --max-gap and --replacement, in either spelling (--flag value, --flag=value)', async () => {
    const text = 'kunde 1234567, konto 7694.05.20300, tlf 98-76-54-32\n';
    const result = await runCli(['redact', '--min-digits', '8', '--max-gap=1', '--replacement', '[fjernet]'], text);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(redact(text, { minDigits: 8, maxGap: 1, replacement: '[fjernet]' }).text);
    expect(result.stdout).toBe('kunde 1234567, konto [fjernet], tlf [fjernet]\n');
  });

  it('takes a replacement that starts with a dash', async () => {
    const result = await runCli(['redact', '--replacement', '-'], 'tlf 98765432.');
    expect(result).toEqual({ status: 0, stdout: 'tlf -.', stderr: '' });
  });

  it('--stats prints the deletions by kind to stderr, over all inputs, and leaves stdout alone', async () => {
    const file = writeTemp('stats.txt', SAMPLE);
    const result = await runCli(['redact', '--stats', file, '-'], 'kort 4111 1111 1111 1111\n');
    const sample = redact(SAMPLE).kinds;
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(redact(SAMPLE).text + 'kort \n');
    expect(result.stderr).toBe(statsBlock({ ...sample, payment_card: (sample.payment_card ?? 0) + 1 }));
    expect(result.stderr).toMatch(/^redactions: 7\n {2}national_id: 0\n {2}bank_account: 1\n {2}payment_card: 2\n/);
  });

  it('--stats with nothing to delete prints zeros', async () => {
    const result = await runCli(['redact', '--stats'], 'Postboks 450 Alnabru, 0614 Oslo\n');
    expect(result).toEqual({ status: 0, stdout: 'Postboks 450 Alnabru, 0614 Oslo\n', stderr: statsBlock({}) });
  });

  it('empty input gives empty output', async () => {
    expect(await runCli(['redact'], '')).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});

describe('chat-redact redact: files that cannot be read', () => {
  it('names a missing file on one line, still writes the others in order, and exits with 1', async () => {
    const first = writeTemp('a.txt', 'a 98765432\n');
    const last = writeTemp('b.txt', 'b 12345678\n');
    const missing = join(tempDir(), 'no-such-file.log');
    const result = await runCli(['redact', '--stats', first, missing, last]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('a \nb \n');
    expect(result.stderr).toBe(`chat-redact: ${missing}: No such file or directory\n${statsBlock({ phone: 1, other: 1 })}`);
  });

  it('names a directory given as a file', async () => {
    const dir = join(tempDir(), 'a-folder');
    mkdirSync(dir);
    const result = await runCli(['redact', dir]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `chat-redact: ${dir}: Is a directory\n` });
  });

  // root reads every file, so the refusal can only be seen as another user.
  it.skipIf(process.getuid?.() === 0)('names a file it may not read', async () => {
    const file = writeTemp('secret.txt', 'x');
    chmodSync(file, 0o000);
    const result = await runCli(['redact', file]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `chat-redact: ${file}: Permission denied\n` });
  });
});
