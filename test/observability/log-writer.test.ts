import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LineWriter, MAX_GATHERED, WRITE_AT, type WriteFd } from '../../src/observability/log-writer.js';
import { exitOf } from '../support/serve-process.js';
import { withTempDir } from '../support/temp-dir.js';

/** The built writer (`npm test` builds first), for processes of their own. */
const BUILT_WRITER = new URL('../../dist/observability/log-writer.js', import.meta.url).href;

const errno = (code: string): Error => Object.assign(new Error(code), { code });

/** A system call that records what it was given and answers as `answers` says, then takes everything. */
function fakeFd(answers: Array<'all' | 'EAGAIN' | 'EPIPE' | 'EIO' | number> = []) {
  const calls: string[] = [];
  const taken: Buffer[] = [];
  const write: WriteFd = (_fd, data) => {
    const bytes = Buffer.from(data);
    const answer = answers.shift() ?? 'all';
    calls.push(typeof answer === 'number' ? `${answer} of ${bytes.length}` : answer);
    if (typeof answer === 'string' && answer !== 'all') throw errno(answer);
    const n = answer === 'all' ? bytes.length : answer;
    taken.push(bytes.subarray(0, n));
    return n;
  };
  return { write, calls, text: () => Buffer.concat(taken).toString('utf8') };
}

describe('LineWriter', () => {
  it('writes the lines of one turn in one write when the turn ends', async () => {
    const fd = fakeFd();
    const writer = new LineWriter({ write: fd.write });
    writer.write('{"n":1}\n');
    writer.write('{"n":2}\n');
    expect(fd.calls).toEqual([]);
    await nextTurn();
    expect(fd.calls).toEqual(['all']);
    expect(fd.text()).toBe('{"n":1}\n{"n":2}\n');
    writer.write('{"n":3}\n');
    await nextTurn();
    expect(fd.calls).toEqual(['all', 'all']);
    expect(fd.text()).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('writes at once a turn that gathers more than WRITE_AT characters', () => {
    const fd = fakeFd();
    const writer = new LineWriter({ write: fd.write });
    const line = `${'x'.repeat(1023)}\n`;
    for (let n = 0; n < WRITE_AT / line.length; n++) writer.write(line);
    expect(fd.calls).toEqual(['all']);
    expect(fd.text()).toHaveLength(WRITE_AT);
  });

  it('flushSync writes what is gathered, synchronously', () => {
    const fd = fakeFd();
    const writer = new LineWriter({ write: fd.write });
    writer.write('a\n');
    writer.flushSync();
    expect(fd.text()).toBe('a\n');
  });

  it('keeps the part of a partial write, byte-exact, and writes it first', async () => {
    const fd = fakeFd([5, 'EAGAIN']);
    const writer = new LineWriter({ write: fd.write });
    writer.write('{"msg":"på"}\n');
    await nextTurn();
    expect(fd.calls).toEqual(['5 of 14']);
    writer.write('{"msg":"å"}\n');
    await sleep(20);
    expect(fd.calls).toEqual(['5 of 14', 'EAGAIN', 'all', 'all']);
    expect(fd.text()).toBe('{"msg":"på"}\n{"msg":"å"}\n');
  });

  it('on a full pipe keeps the lines and tries again later, without blocking the turn', async () => {
    const fd = fakeFd(['EAGAIN', 'EAGAIN', 'EAGAIN']);
    const slept: number[] = [];
    const writer = new LineWriter({ write: fd.write, sleep: (ms) => slept.push(ms) });
    writer.write('a\n');
    await nextTurn();
    expect(fd.calls).toEqual(['EAGAIN']);
    writer.write('b\n');
    expect(fd.calls).toEqual(['EAGAIN']);
    await sleep(50);
    expect(fd.text()).toBe('a\nb\n');
    expect(fd.calls.filter((call) => call === 'EAGAIN')).toHaveLength(3);
    expect(slept).toEqual([]);
  });

  it('blocks, sleeping between tries, once MAX_GATHERED characters wait for a stalled reader', async () => {
    const fd = fakeFd(['EAGAIN', 'EAGAIN', 'EAGAIN']);
    const slept: number[] = [];
    const writer = new LineWriter({ write: fd.write, sleep: (ms) => slept.push(ms) });
    writer.write('first\n');
    await nextTurn();
    const line = `${'y'.repeat(WRITE_AT - 1)}\n`;
    for (let n = 0; n < MAX_GATHERED / line.length; n++) writer.write(line);
    expect(slept).toEqual([1, 2]);
    expect(fd.text()).toHaveLength('first\n'.length + MAX_GATHERED);
    expect(fd.text().startsWith('first\ny')).toBe(true);
  });

  it('stops writing quietly when the reader has gone (EPIPE), and throws other errors', async () => {
    const gone = fakeFd(['EPIPE']);
    const writer = new LineWriter({ write: gone.write });
    writer.write('a\n');
    await nextTurn();
    writer.write('b\n');
    writer.flushSync();
    expect(gone.calls).toEqual(['EPIPE']);

    const broken = new LineWriter({ write: fakeFd(['EIO']).write });
    broken.write('a\n');
    expect(() => broken.flushSync()).toThrow('EIO');
  });

  it('writes to a file descriptor with fs.writeSync by default', async () => {
    await withTempDir('log-writer-', async (dir) => {
      const file = join(dir, 'log');
      const fd = openSync(file, 'w');
      try {
        const writer = new LineWriter({ fd });
        writer.write('{"msg":"én"}\n');
        writer.write('{"msg":"to"}\n');
        await nextTurn();
        expect(readFileSync(file, 'utf8')).toBe('{"msg":"én"}\n{"msg":"to"}\n');
      } finally {
        closeSync(fd);
      }
    });
  });
});

describe('stdoutLineWriter: a full pipe', () => {
  it.each([
    ['retried on a timer, then written on exit', 10_000],
    ['blocking once more than MAX_GATHERED characters wait', Math.ceil(MAX_GATHERED / 100)],
  ])('loses no line when stdout is a full non-blocking pipe and the process crashes: %s', async (_, count) => {
    // process.stdout makes fd 1 non-blocking, as the service's own stdout use does; the parent
    // reads nothing for 300 ms, so the writes meet a full pipe (EAGAIN, partial writes).
    const script = `
      process.stdout;
      const { stdoutLineWriter } = await import(${JSON.stringify(BUILT_WRITER)});
      const writer = stdoutLineWriter();
      for (let n = 0; n < ${count}; n++) writer.write(JSON.stringify({ n, pad: 'x'.repeat(100) }) + '\\n');
      setImmediate(() => { throw new Error('crash for the test'); });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').pause().on('data', (chunk: string) => (stdout += chunk));
    setTimeout(() => child.stdout.resume(), 300);
    const [exit] = await Promise.all([exitOf(child), new Promise((resolve) => child.stdout.on('end', resolve))]);
    expect(exit).toBe(1);
    const numbers = stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { n: number }).n);
    expect(numbers).toEqual(Array.from({ length: count }, (__, n) => n));
  });
});
