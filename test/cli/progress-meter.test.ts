/**
 * The progress line, driven with a fake terminal: what it writes and when it appears at all.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PROGRESS_MIN_BYTES, createProgressLine, shouldShowProgress } from '../../src/cli/progress-meter.js';

const MIB = 1024 * 1024;
const ERASE = '\r\u001b[2K';

/** A stream that says it is a terminal and keeps what is written to it. */
function createFakeTerminal(): Writable & { isTTY: true; written: string[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString('utf8'));
      callback();
    },
  });
  return Object.assign(stream, { isTTY: true as const, written });
}

/** Tell a progress line of `totalBytes` about `count` chunks of `size` bytes, then finish it. */
function feed(name: string, totalBytes: number, count: number, size: number, terminal: Writable): void {
  const line = createProgressLine(name, totalBytes, terminal);
  for (let k = 0; k < count; k++) line.advance(size);
  line.finish();
}

describe('createProgressLine', () => {
  it('rewrites one line per whole percent and ends with a done line', () => {
    const terminal = createFakeTerminal();
    feed('big.log', 16 * MIB, 8, 2 * MIB, terminal);
    expect(terminal.written).toEqual([
      `${ERASE}big.log: 12% (2 of 16 MiB)`,
      `${ERASE}big.log: 25% (4 of 16 MiB)`,
      `${ERASE}big.log: 37% (6 of 16 MiB)`,
      `${ERASE}big.log: 50% (8 of 16 MiB)`,
      `${ERASE}big.log: 62% (10 of 16 MiB)`,
      `${ERASE}big.log: 75% (12 of 16 MiB)`,
      `${ERASE}big.log: 87% (14 of 16 MiB)`,
      `${ERASE}big.log: 100% (16 of 16 MiB)`,
      `${ERASE}big.log: 16 MiB done\n`,
    ]);
  });

  it('writes at most once per percent, however small the chunks, from 0% at the first chunk', () => {
    const terminal = createFakeTerminal();
    feed('f', 1_000_000, 1000, 1000, terminal);
    const percents = terminal.written.slice(0, -1).map((line) => Number(/: (\d+)%/.exec(line)?.[1]));
    expect(percents).toEqual(Array.from({ length: 101 }, (_, k) => k));
    expect(terminal.written.at(-1)).toBe(`${ERASE}f: 1 MiB done\n`);
  });

  it('never shows more than 100% when the file grew while it was read', () => {
    const terminal = createFakeTerminal();
    feed('grows.log', 2 * MIB, 3, MIB, terminal);
    expect(terminal.written).toEqual([
      `${ERASE}grows.log: 50% (1 of 2 MiB)`,
      `${ERASE}grows.log: 100% (2 of 2 MiB)`,
      `${ERASE}grows.log: 3 MiB done\n`,
    ]);
  });

  it('ends the line when the file fails half-way, so the error starts on a line of its own', () => {
    const terminal = createFakeTerminal();
    const line = createProgressLine('f', 4 * MIB, terminal);
    line.advance(MIB);
    line.abandon();
    expect(terminal.written.join('')).toMatch(/: 25% \(1 of 4 MiB\)\n$/);
    line.abandon();
    expect(terminal.written.join('')).toMatch(/[^\n]\n$/);
  });
});

describe('shouldShowProgress', () => {
  const terminal = createFakeTerminal();
  const pipe = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });

  it.each([
    ['a large file, stderr a terminal, stdout redirected', PROGRESS_MIN_BYTES, terminal, pipe, true],
    ['a small file', PROGRESS_MIN_BYTES - 1, terminal, pipe, false],
    ['stdin (size unknown: 0)', 0, terminal, pipe, false],
    ['stderr redirected', PROGRESS_MIN_BYTES, pipe, pipe, false],
    ['stdout on the terminal too: the line would be mixed into the text', PROGRESS_MIN_BYTES, terminal, terminal, false],
  ])('%s → %s', (_, bytes, stderr, stdout, expected) => {
    expect(shouldShowProgress(bytes, { stderr, stdout })).toBe(expected);
  });

  it('applies from 64 MiB', () => {
    expect(PROGRESS_MIN_BYTES).toBe(64 * MIB);
  });
});
