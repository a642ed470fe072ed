import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RedactStream, RedactTransform, redact } from '../../src/redact/index.js';
import { chatText, cutAt, rawCuts } from '../support/arbitraries.js';

async function viaTransform(chunks: Buffer[]): Promise<{ text: string; redactions: number }> {
  const transform = new RedactTransform();
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), transform, async (source: AsyncIterable<Buffer>) => {
    for await (const b of source) out.push(b);
  });
  return { text: Buffer.concat(out).toString('utf8'), redactions: transform.redactions };
}

async function viaWebStream(chunks: string[]): Promise<string> {
  const stream = new RedactStream();
  const writer = stream.writable.getWriter();
  const reading = (async () => {
    const reader = stream.readable.getReader();
    let out = '';
    for (let next = await reader.read(); !next.done; next = await reader.read()) out += next.value;
    return out;
  })();
  for (const c of chunks) await writer.write(c);
  await writer.close();
  return reading;
}

describe('byte and web streams', () => {
  it('5. byte streams split anywhere, inside UTF-8 sequences too, equal the one-shot result', async () => {
    await fc.assert(
      fc.asyncProperty(chatText, rawCuts(), async (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        const decoded = bytes.toString('utf8'); // lone surrogates become U+FFFD in UTF-8
        const expected = redact(decoded);
        const actual = await viaTransform(cutAt(bytes, cuts));
        expect(actual.text).toBe(expected.text);
        expect(actual.redactions).toBe(expected.redactions);
      }),
      { numRuns: 200 },
    );
  });

  it('the WHATWG stream equals the one-shot result for any split', async () => {
    await fc.assert(
      fc.asyncProperty(chatText, rawCuts(), async (text, cuts) => {
        expect(await viaWebStream(cutAt(text, cuts))).toBe(redact(text).text);
      }),
      { numRuns: 200 },
    );
  });

  it('both say what they kept by class, as redact() does', async () => {
    const policy = { keep: ['amounts', 'org_numbers'] } as const;
    const text = 'beløp 1 250 000,00 kr til org.nr 923 609 016, fnr 150765 00565';
    const expected = redact(text, policy);
    expect([expected.kept, expected.keptClasses]).toEqual([2, { amounts: 1, org_numbers: 1 }]);
    const transform = new RedactTransform(policy);
    const stream = new RedactStream(policy);
    const out: Buffer[] = [];
    await pipeline(Readable.from([Buffer.from(text.slice(0, 20)), Buffer.from(text.slice(20))]), transform, async (source: AsyncIterable<Buffer>) => {
      for await (const b of source) out.push(b);
    });
    expect(Buffer.concat(out).toString('utf8')).toBe(expected.text);
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    void writer.write(text.slice(0, 33)).then(() => writer.write(text.slice(33))).then(() => writer.close());
    let web = '';
    for (let next = await reader.read(); !next.done; next = await reader.read()) web += next.value;
    expect(web).toBe(expected.text);
    for (const counted of [transform, stream]) {
      expect([counted.redactions, counted.allowed, counted.kept, counted.keptClasses]).toEqual([1, 0, 2, { amounts: 1, org_numbers: 1 }]);
    }
  });

  it('a four-byte digit split byte by byte is still a digit', async () => {
    const text = 'tlf ' + Array.from('98765432', (d) => String.fromCodePoint(0x1d7ce + Number(d))).join('') + ' ok';
    const bytes = Buffer.from(text);
    const result = await viaTransform(Array.from(bytes, (b) => Buffer.from([b])));
    expect(result).toEqual({ text: 'tlf  ok', redactions: 1 });
  });
});
