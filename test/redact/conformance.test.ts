import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY_SETTINGS, RedactTransform, StreamRedactor, redact, type PolicyOptions } from '../../src/redact/index.js';

// Read with JSON.parse: vite's JSON loader rejects the lone surrogates (`\ud835`) some vectors hold.
const vectors: unknown = JSON.parse(readFileSync(new URL('../fixtures/conformance-vectors.json', import.meta.url), 'utf8'));

interface Vector {
  policy: PolicyOptions;
  input: string;
  output: string;
  redactions: number;
  /** Combinations of a kept class kept, for vectors with `keep`. */
  kept?: number;
}

/**
 * The vectors whose settings this engine has. The public file also holds cases of `keep` (SPEC
 * §1, kept classes), which another change brings; they run from the day the policy knows `keep`.
 */
const known = (vectors as Vector[]).filter((v) => Object.keys(v.policy).every((key) => (POLICY_SETTINGS as readonly string[]).includes(key)));
const cases = known.map((v) => [JSON.stringify(v.input), v] as const);

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
    expect(cases.length).toBeGreaterThanOrEqual(44);
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
