/**
 * Where the service's log lines go in the tests: kept in memory for asserting what was (not)
 * logged, and each judged by the reference (`leak-judge.ts`) as it is written. A line with a
 * sensitive number combination outside pino's own `time`, `pid` and `hostname` is recorded, and
 * the check that every test file runs (`log-leak-check.ts`, a vitest setup file) fails the test
 * it was written in. So every suite that captures a gateway's, an app's or an adapter's log — or
 * reads a served process's standard output — checks every line, without a word in the test.
 */
import { Writable } from 'node:stream';
import { countLogLineLeaks } from './leak-judge.js';

export interface LogCapture {
  stream: Writable;
  lines(): Array<Record<string, unknown>>;
  text(): string;
}

/** Lines written with a sensitive combination since the last check, each with where it came from. */
const leakedLines: string[] = [];

/** Judge one log line (a JSON object, or any text); a leak is recorded for {@link takeLogLeaks}. */
export function judgeLogLine(line: string, source = 'log'): void {
  if (line.trim() !== '' && countLogLineLeaks(line) > 0) leakedLines.push(`${source}: ${line}`);
}

/** The leaking lines recorded since the last call, which forgets them. */
export function takeLogLeaks(): string[] {
  return leakedLines.splice(0);
}

/**
 * Judges text written in pieces, line by line: each complete line as it ends, and what is left
 * when {@link LineJudge.end} is called.
 */
export class LineJudge {
  #partial = '';
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  write(text: string): void {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop()!;
    for (const line of lines) judgeLogLine(line, this.#source);
  }

  end(): void {
    judgeLogLine(this.#partial, this.#source);
    this.#partial = '';
  }
}

/** A pino destination that keeps each line in `lines` (as written) and judges it. */
export function keepLogLines(lines: string[]): { write(line: string): void } {
  return {
    write(line: string) {
      lines.push(line);
      judgeLogLine(line);
    },
  };
}

export function captureLogs(): LogCapture {
  let buffer = '';
  const judge = new LineJudge('log');
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      buffer += text;
      judge.write(text);
      callback();
    },
  });
  return {
    stream,
    text: () => buffer,
    lines: () =>
      buffer
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
