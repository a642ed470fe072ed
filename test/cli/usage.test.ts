/**
 * The command line's manners: --help and --version, and a bad command line answered with one
 * line that names the flag and exit code 2, before any input is read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../src/cli/main.js';
import { readmeTable } from '../support/readme.js';
import { ROOT, runCli } from './run-cli.js';

const HINT = " (see 'chat-redact --help')";

describe('chat-redact --help and --version', () => {
  it.each([['--help'], ['-h'], ['redact', '--help'], ['serve', '-h']])('%s %s prints the usage to stdout and exits 0', async (...args) => {
    const result = await runCli(args.filter((arg): arg is string => typeof arg === 'string'));
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage:\n {2}chat-redact serve /);
    for (const flag of ['--min-digits N', '--max-gap N', '--replacement S', '--allow N', '--json', '--keep-field NAME', '--keep-timestamps', '--stats', '--help', '--version']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('(2-64, default 7)');
    expect(result.stdout).toContain('Exit status: 0 done, 1 a file could not be read, 2 the command line was wrong.');
  });

  it.each([['--version'], ['-v']])('%s prints the package version and nothing else', async (flag) => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await runCli([flag])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('with no arguments at all prints the usage to stderr and exits 2', async () => {
    const result = await runCli([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage:\n/);
  });
});

// Each case is a process of its own that mostly waits for start-up: run a few at a time.
describe.concurrent('chat-redact: a bad command line is one line on stderr and exit code 2', () => {
  it.for<[string[], string]>([
    [['redact', '--min-digits', '99'], '--min-digits must be a whole number from 2 to 64, not "99"'],
    [['redact', '--min-digits', '1'], '--min-digits must be a whole number from 2 to 64, not "1"'],
    [['redact', '--min-digits', '7.5'], '--min-digits must be a whole number from 2 to 64, not "7.5"'],
    [['redact', '--min-digits', ''], '--min-digits must be a whole number from 2 to 64, not ""'],
    [['redact', '--min-digits=٧'], '--min-digits must be a whole number from 2 to 64, not "٧"'],
    [['redact', '--max-gap', '9'], '--max-gap must be a whole number from 0 to 8, not "9"'],
    [['redact', '--max-gap', '-1'], '--max-gap must be a whole number from 0 to 8, not "-1"'],
    [['redact', '--replacement', 'x1'], '--replacement must not contain a digit (it would be redacted again)'],
    [['redact', '--replacement', 'x'.repeat(65)], '--replacement must be at most 64 characters'],
    [['redact', '--min-digits'], '--min-digits needs a value'],
    [['redact', '--replacement'], '--replacement needs a value'],
    [['redact', '--stats=yes'], '--stats takes no value'],
    [['redact', '--colour'], 'unknown option --colour'],
    [['redact', '-x'], 'unknown option -x'],
    [['redact', '--min-digits', '1', '--max-gap', 'x', '--bogus'], 'unknown option --bogus'],
    [['redact', '--min-digits', '1', '--max-gap', 'x'],
      '--min-digits must be a whole number from 2 to 64, not "1"; --max-gap must be a whole number from 0 to 8, not "x"'],
    [['bogus'], 'unknown command "bogus"'],
    [['--stats'], 'a command is required: serve or redact'],
    [['serve', 'now'], 'serve takes no arguments, got "now"'],
    [['serve', '--min-digits', '8'], '--min-digits is for redact; serve is configured by environment variables'],
    [['serve', '--allow', '21 49 60 00'], '--allow is for redact; serve is configured by environment variables'],
    [['redact', '--allow'], '--allow needs a value'],
    [['redact', '--allow', 'ring oss'], '--allow "ring oss" is not a number: only digits, spaces, . , - / + ( ) may be written'],
    [['redact', '--keep-field', 'time'], '--keep-field needs --json'],
    [['redact', '--json', '--keep-field'], '--keep-field needs a value'],
    [['redact', '--json=yes'], '--json takes no value'],
    [['redact', '--keep-timestamps=1'], '--keep-timestamps takes no value'],
  ])('%j → %s', async ([args, message], { expect }) => {
    // stdin carries a number: a usage error must stop before anything is read or written.
    const result = await runCli(args, 'tlf 98765432\n');
    expect(result).toEqual({ status: 2, stdout: '', stderr: `chat-redact: ${message}${HINT}\n` });
  });
});

describe('the README documents the command line as it is', () => {
  const flagsIn = (text: string) => [...text.matchAll(/--[a-z][a-z-]+/g)].map((match) => match[0]);

  it('its flag table lists every flag of the usage text, and no other', () => {
    const documented = readmeTable('Command line').flatMap(([flag = '']) => flagsIn(flag));
    expect(documented.length).toBeGreaterThanOrEqual(6);
    expect(new Set(documented)).toEqual(new Set(flagsIn(USAGE)));
  });

  it('its exit code table matches the usage text', () => {
    const codes = readmeTable('Command line').filter(([code = '']) => /^\d$/.test(code)).map(([code]) => Number(code));
    expect(codes).toEqual([0, 1, 2]);
    expect(USAGE).toContain('Exit status: 0 done, 1 a file could not be read, 2 the command line was wrong.');
  });
});
