/**
 * JSON lines as a byte stream: real log lines (pino's own output, access logs, syslog,
 * Kubernetes) split at every offset — inside a JSON string, inside a date-time, inside a UTF-8
 * sequence — give what each line gives alone; a line over 1 MiB is redacted as text without
 * being held; bytes that are not UTF-8 pass through.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRedactor, JsonLineRedactor, JsonLinesTransform, MAX_JSON_LINE_BYTES, type PolicyOptions } from '../../src/redact/index.js';
import { cutAt, rawCuts } from '../support/arbitraries.js';
import { judgeJsonLine } from '../support/json-judge.js';
import { mixedLog, pinoLines, createRandom } from '../support/log-lines.js';
import { DEFAULTS, referenceRedact } from '../support/reference.js';

async function viaTransform(chunks: readonly Buffer[], policy?: PolicyOptions, keepFields?: string[]): Promise<{ text: Buffer; transform: JsonLinesTransform }> {
  const transform = new JsonLinesTransform(policy, keepFields === undefined ? {} : { keepFields });
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), transform, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  return { text: Buffer.concat(out), transform };
}

/** Each line through its own redactor: what the stream must equal, however it is cut. */
function lineByLine(lines: readonly string[], policy?: PolicyOptions): string {
  const redactor = new JsonLineRedactor(policy);
  return lines.map((line) => `${redactor.redactLine(line)}\n`).join('');
}

const LOG = mixedLog(12, 60);
const INPUT = Buffer.from(`${LOG.join('\n')}\n`);

describe('JsonLinesTransform', () => {
  it('writes real log lines as each line alone gives them; every JSON line stays JSON (judged apart)', async () => {
    const { text, transform } = await viaTransform([INPUT]);
    const out = text.toString('utf8');
    expect(out).toBe(lineByLine(LOG));
    const outLines = out.split('\n').slice(0, -1);
    expect(outLines).toHaveLength(LOG.length);
    let json = 0;
    LOG.forEach((line, k) => {
      if (!line.startsWith('{')) return;
      json += 1;
      judgeJsonLine(line, outLines[k]!, DEFAULTS, ['time', 'timestamp', '@timestamp', 'ts']);
    });
    expect(json).toBeGreaterThan(10);
    expect(transform.redactions).toBeGreaterThan(40);
    expect(transform.textLines).toBe(LOG.length - json);
    expect(transform.keptFields).toBeGreaterThanOrEqual(json);
  });

  it('a pino line split at every offset, and with --keep-timestamps a syslog line, gives the same output', async () => {
    const line = Buffer.from(`${pinoLines(createRandom(3), 1, Date.UTC(2026, 11, 1))[0]}\n`);
    const syslog = Buffer.from('<34>1 x 2026-12-01T07:45:18.123456789+01:00 web-1 billing - fnr 010190 12345 ø\n');
    const keepTimestamps = { ...DEFAULTS, keepTimestamps: true };
    for (const [bytes, policy] of [[line, DEFAULTS], [syslog, keepTimestamps]] as const) {
      const whole = (await viaTransform([bytes], policy)).text;
      if (bytes === line) judgeJsonLine(line.toString().trim(), whole.toString().trim(), policy, ['time', 'timestamp', '@timestamp', 'ts']);
      else expect(whole.toString()).toBe(referenceRedact(syslog.toString(), policy).text);
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect((await viaTransform([bytes.subarray(0, cut), bytes.subarray(cut)], policy)).text).toEqual(whole);
      }
    }
  });

  it('property: any chunking of a mixed log gives the line-by-line output', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), rawCuts(12), async (seed, cuts) => {
        const lines = mixedLog(seed, 8);
        const bytes = Buffer.from(`${lines.join('\n')}\n`);
        expect((await viaTransform(cutAt(bytes, cuts))).text.toString()).toBe(lineByLine(lines));
      }),
      { numRuns: 60 },
    );
  });

  it('counts kept classes from JSON lines, text lines and lines that are not UTF-8, however the bytes are cut', async () => {
    const policy = { keep: ['amounts', 'future_dates'] } as const;
    const input = Buffer.concat([
      Buffer.from('{"msg":"forfall 15.01.2099, beløp 1 250 000,00 kr"}\nbeløp kr 2 000 000, tlf 98765432\n'),
      Buffer.from([0xff]),
      Buffer.from(' beløp 3 000 000 NOK\n'),
    ]);
    const whole = await viaTransform([input], policy);
    expect(whole.text.toString('utf8')).toBe('{"msg":"forfall 15.01.2099, beløp 1 250 000,00 kr"}\nbeløp kr 2 000 000, tlf \n\ufffd beløp 3 000 000 NOK\n');
    expect([whole.transform.redactions, whole.transform.kept, whole.transform.keptClasses]).toEqual([1, 4, { amounts: 3, future_dates: 1 }]);
    for (let cut = 1; cut < input.length; cut += 7) {
      const { transform } = await viaTransform([input.subarray(0, cut), input.subarray(cut)], policy);
      expect([transform.kept, transform.keptClasses]).toEqual([4, { amounts: 3, future_dates: 1 }]);
    }
  });

  it('keeps CRLF, ends a last line without a line break, and reads bytes that are not UTF-8 as U+FFFD', async () => {
    const invalid = Buffer.from([0xff, 0x7b, 0x22, 0x61, 0x22, 0x3a]); // \xff{"a":
    const input = Buffer.concat([Buffer.from('{"a":"98765432"}\r\n'), invalid, Buffer.from('"x" 98765432\n{"b":12345678}')]);
    const { text, transform } = await viaTransform([input]);
    expect(text.toString()).toBe('{"a":""}\r\n\ufffd{"a":"x" \n{"b":null}');
    expect([transform.redactions, transform.textLines]).toEqual([3, 1]);
  });

  it(`redacts a line over ${MAX_JSON_LINE_BYTES / 1024 / 1024} MiB as text as it streams, counts it, and reads the next as JSON`, async () => {
    const piece = '{"msg":"ring 98 76 54 32","n":4798765432},';
    const long = `[${piece.repeat(Math.ceil((MAX_JSON_LINE_BYTES * 1.5) / piece.length))}1]`;
    const input = Buffer.from(`${long}\n{"n":4798765432}\n`);
    const chunks = cutAt(input, Array.from({ length: Math.ceil(input.length / 65_536) }, (_, k) => k * 65_536));
    const { text, transform } = await viaTransform(chunks);
    const asText = new ByteRedactor();
    const expectedLong = Buffer.concat([asText.push(Buffer.from(`${long}\n`)), asText.end()]).toString();
    expect(text.toString()).toBe(`${expectedLong}{"n":null}\n`);
    expect([transform.longLines, transform.textLines]).toEqual([1, 1]);
  });
});
