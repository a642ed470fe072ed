/**
 * A pino destination that keeps every log line in memory, for asserting what was (not) logged.
 */
import { Writable } from 'node:stream';

export interface LogCapture {
  stream: Writable;
  lines(): Array<Record<string, unknown>>;
  text(): string;
}

export function captureLogs(): LogCapture {
  let buffer = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      buffer += chunk.toString('utf8');
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
