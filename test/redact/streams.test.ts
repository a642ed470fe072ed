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

  it('a four-byte digit split byte by byte is still a digit', async () => {
    const text = 'tlf ' + Array.from('98765432', (d) => String.fromCodePoint(0x1d7ce + Number(d))).join('') + ' ok';
    const bytes = Buffer.from(text);
    const result = await viaTransform(Array.from(bytes, (b) => Buffer.from([b])));
    expect(result).toEqual({ text: 'tlf  ok', redactions: 1 });
  });
});
