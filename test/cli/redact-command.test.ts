/**
 * `chat-redact redact` as a user runs it: the built CLI in a child process, stdin and files in,
 * redacted text out, counts on stderr, unreadable files named and skipped.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, redact } from '../../src/redact/index.js';
import { judgeJsonLine } from '../support/json-judge.js';
import { mixedLog } from '../support/log-lines.js';
import { DEFAULTS, referenceRedact } from '../support/reference.js';
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

describe('chat-redact redact: numbers and fields kept on purpose', () => {
  const LOG = mixedLog(21, 50);
  const KEEP_DEFAULTS = ['time', 'timestamp', '@timestamp', 'ts'];

  it('--allow keeps the named public numbers wherever they are written in full, and --stats counts them as kept', async () => {
    const text = 'Betal til 7694.05.20300, ring +47 21 49 60 00 — ikke 21 49 60 00 12 eller 7694.05.20301\n';
    const result = await runCli(['redact', '--allow', '7694.05.20300', '--allow=+47 21 49 60 00', '--stats'], text);
    expect(result.stdout).toBe('Betal til 7694.05.20300, ring +47 21 49 60 00 — ikke  eller \n');
    expect(result.stderr).toBe(statsBlock({ other: 2 }, 2));
  });

  it('--keep keeps the kept classes, as text and with --json, and --stats counts them by class', async () => {
    // Synthetic numbers: the org number's and the fødselsnummer's check digits are right.
    const line = 'beløp 1 250 000,00 kr, forfall 15.01.2099, org.nr 923 609 016, fnr 150765 00565, konto 7694.05.20300';
    const kept = 'beløp 1 250 000,00 kr, forfall 15.01.2099, org.nr 923 609 016, fnr , konto ';
    const text = await runCli(['redact', '--keep', 'amounts,org_numbers', '--keep=future_dates', '--allow', '7694.05.20300', '--stats'], `${line}\n`);
    expect(text.stdout).toBe(`${line.replace('fnr 150765 00565', 'fnr ')}\n`);
    const byClass = '  allowed: 1\n  amounts: 1\n  future_dates: 1\n  org_numbers: 1\n';
    expect(text.stderr).toBe(statsBlock({ national_id: 1 }, 4).replace(/\n$/, `\n${byClass}`));
    const json = await runCli(['redact', '--json', '--keep', 'amounts,future_dates,org_numbers', '--stats'], `${JSON.stringify({ msg: line })}\n${line}\n`);
    expect(json.stdout).toBe(`${JSON.stringify({ msg: kept })}\n${kept}\n`);
    expect(json.stderr).toContain(`${statsBlock({ national_id: 2, bank_account: 2 }, 6)}  allowed: 0\n  amounts: 2\n  future_dates: 2\n  org_numbers: 2\nkept fields: 0\n`);
    expect((await runCli(['redact', '--stats'], `${line}\n`)).stderr).toBe(statsBlock({ other: 1, date: 1, org_number: 1, national_id: 1, bank_account: 1 }));
  });

  it('--json writes real log lines back: JSON lines as valid JSON of the same shape (judged apart), the rest as text', async () => {
    const result = await runCli(['redact', '--json', '--stats'], `${LOG.join('\n')}\n`);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(LOG.length);
    const jsonLines = LOG.filter((line) => line.startsWith('{'));
    LOG.forEach((line, k) => {
      if (line.startsWith('{')) judgeJsonLine(line, lines[k]!, DEFAULTS, KEEP_DEFAULTS);
      else expect(lines[k]).toBe(referenceRedact(line).text);
    });
    expect(jsonLines.length).toBeGreaterThan(5);
    expect(result.stderr).toMatch(new RegExp(`\\nkept: 0\\nkept fields: ${jsonLines.length}\\nlines redacted as text: ${LOG.length - jsonLines.length}\\n  over 1 MiB: 0\\n$`));
  });

  it('--keep-field adds a field, --keep-field \'\' drops the defaults, --keep-timestamps keeps date-times in strings and text', async () => {
    const input = '{"time":1796111050864,"req":{"id":"98765432"},"msg":"at 2026-12-01T07:45:18Z: 98765432"}\nDec  1 07:45:18 host: 1990-01-01\n';
    expect((await runCli(['redact', '--json', '--keep-field', 'req.id'], input)).stdout).toBe(
      '{"time":1796111050864,"req":{"id":"98765432"},"msg":"at T07:45:18Z: "}\nDec  1 07:45:18 host: \n',
    );
    expect((await runCli(['redact', '--json', '--keep-field=', '--keep-field', 'req.*', '--keep-timestamps'], input)).stdout).toBe(
      '{"time":null,"req":{"id":"98765432"},"msg":"at 2026-12-01T07:45:18Z: "}\nDec  1 07:45:18 host: \n',
    );
  });

  it('--json redacts a line over 1 MiB as text, in constant memory, and counts it', async () => {
    const long = `{"msg":"${'ring 98 76 54 32, '.repeat(80_000)}"}`;
    const result = await runCli(['redact', '--json', '--stats'], `${long}\n{"n":4798765432}\n`);
    expect(result.stdout).toBe(`${referenceRedact(long).text}\n{"n":null}\n`);
    expect(result.stderr).toMatch(/\nlines redacted as text: 1\n {2}over 1 MiB: 1\n$/);
  });
});
