import { describe, expect, it } from 'vitest';
import { RedactTransform, StreamRedactor, redact, type PolicyOptions } from '../../src/redact/index.js';
import vectors from '../fixtures/conformance-vectors.json' with { type: 'json' };

interface Vector {
  policy: PolicyOptions;
  input: string;
  output: string;
  redactions: number;
  /** Combinations of a kept class kept, for vectors with `keep`. */
  kept?: number;
}

const cases = (vectors as Vector[]).map((v) => [JSON.stringify(v.input), v] as const);

async function redactBytes(chunks: Buffer[], policy: PolicyOptions): Promise<string> {
  const transform = new RedactTransform(policy);
  const out: Buffer[] = [];
  transform.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((resolve) => transform.on('end', resolve));
  for (const c of chunks) transform.write(c);
  transform.end();
  await done;
  return Buffer.concat(out).toString('utf8');
}

describe('conformance vectors', () => {
  it('has the public vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(36);
  });

  it.each(cases)('one-shot %s', (_name, v) => {
    const result = redact(v.input, v.policy);
    expect(result.text).toBe(v.output);
    expect(result.redactions).toBe(v.redactions);
    if (v.kept !== undefined) expect(result.kept).toBe(v.kept);
  });

  it.each(cases)('streamed, split at every UTF-16 offset, %s', (_name, v) => {
    for (let a = 0; a <= v.input.length; a++) {
      for (let b = a; b <= v.input.length; b++) {
        const redactor = new StreamRedactor(v.policy);
        const out =
          redactor.push(v.input.slice(0, a)) +
          redactor.push(v.input.slice(a, b)) +
          redactor.push(v.input.slice(b)) +
          redactor.end();
        expect(out).toBe(v.output);
        expect(redactor.redactions).toBe(v.redactions);
      }
    }
  });

  it.each(cases)('byte stream, split at every byte, %s', async (_name, v) => {
    const bytes = Buffer.from(v.input, 'utf8');
    for (let a = 0; a <= bytes.length; a++) {
      expect(await redactBytes([bytes.subarray(0, a), bytes.subarray(a)], v.policy)).toBe(v.output);
    }
    const oneByOne = Array.from(bytes, (b) => Buffer.from([b]));
    expect(await redactBytes(oneByOne, v.policy)).toBe(v.output);
  });
});
