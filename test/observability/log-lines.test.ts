/**
 * Scrubbing finished pino lines (the library integration's way): one line or several in one
 * write, pino's own fields exempt only with pino's own values, and what cannot be read withheld.
 */
import { describe, expect, it } from 'vitest';
import { WITHHELD_MESSAGE, createLineScrubber, readProcessIdentity } from '../../src/observability/log-lines.js';
import { redact } from '../../src/redact/index.js';

const own = { pid: 4242, hostname: 'web-1234567' };
const scrubLines = createLineScrubber((text) => redact(text).text, own);

describe('createLineScrubber', () => {
  it('scrubs every string and key of a line and leaves pino’s own fields as they are', () => {
    const line = JSON.stringify({ level: 30, time: 1_764_575_118_123, pid: 4242, hostname: 'web-1234567', 'k 98765432': 'v', msg: 'tlf 98765432' });
    expect(JSON.parse(scrubLines(`${line}\n`))).toEqual({ level: 30, time: 1_764_575_118_123, pid: 4242, hostname: 'web-1234567', 'k ': 'v', msg: 'tlf ' });
  });

  it('scrubs a hostname or pid that is not this process’s own', () => {
    const line = JSON.stringify({ level: 30, time: 1, pid: 12_345_678, hostname: 'other-7654321' });
    expect(JSON.parse(scrubLines(line))).toEqual({ level: 30, time: 1, pid: null, hostname: 'other-' });
  });

  it('scrubs each line of a write that carries several, and skips blank ones', () => {
    const out = scrubLines('{"level":30,"msg":"a 98765432"}\n\n{"level":40,"msg":"b 12345678"}\n');
    expect(out).toBe('{"level":30,"msg":"a "}\n{"level":40,"msg":"b "}\n');
  });

  it('withholds what is no JSON object, keeping level and time where it can read them', () => {
    for (const text of ['plain 98765432', '[1,2]', '"x"', 'null', '{"level":50,"time":7,"msg":"x 12345678"']) {
      const out = scrubLines(text);
      expect(out).not.toMatch(/12345678|98765432/);
      expect(JSON.parse(out)).toMatchObject({ pid: 4242, hostname: 'web-1234567', msg: WITHHELD_MESSAGE });
    }
    const failing = createLineScrubber(() => {
      throw new Error('broken');
    }, own);
    expect(JSON.parse(failing('{"level":50,"time":7,"msg":"x"}'))).toEqual({ level: 50, time: 7, pid: 4242, hostname: 'web-1234567', msg: WITHHELD_MESSAGE });
  });

  it('knows this process by its pid and host name', () => {
    expect(readProcessIdentity().pid).toBe(process.pid);
  });
});
