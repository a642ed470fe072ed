import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WellFormedByteChunks, toWellFormedBytes } from '../../src/redact/well-formed-bytes.js';
import { cutAt, hostileBytes, rawCuts } from '../support/arbitraries.js';

/** The WHATWG decoder's reading of the bytes (U+FFFD per maximal subpart), as UTF-8 again. */
const whatwg = (bytes: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

describe('toWellFormedBytes and WellFormedByteChunks', () => {
  it('replace each ill-formed sequence as the WHATWG decoder does, and pass well-formed bytes as they are', () => {
    expect(toWellFormedBytes(Buffer.from([0xd9, 0x30, 0xa1])).toString()).toBe('\ufffd0\ufffd');
    const plain = Buffer.from('\ufeffingen tall 😀');
    expect(toWellFormedBytes(plain)).toBe(plain);
  });

  it('hold an unfinished sequence at a chunk’s end until the next chunk completes it or shows it ill-formed', () => {
    const chunks = new WellFormedByteChunks();
    expect(chunks.push(Buffer.from([0x61, 0xf0, 0x9d])).toString()).toBe('a');
    expect(chunks.heldLength).toBe(2);
    expect(chunks.push(Buffer.from([0x9f, 0x8f])).toString()).toBe('𝟏');
    expect(chunks.push(Buffer.from([0xd9])).length).toBe(0);
    expect(chunks.push(Buffer.from([0x30])).toString()).toBe('\ufffd0');
    expect(chunks.push(Buffer.from([0xe2, 0x82])).length).toBe(0);
    expect(chunks.end().toString()).toBe('\ufffd');
  });

  it('property: any chunking gives the WHATWG reading of the whole, and holds at most three bytes', () => {
    fc.assert(
      fc.property(hostileBytes, rawCuts(10), (bytes, cuts) => {
        const stream = new WellFormedByteChunks();
        const out: Buffer[] = [];
        for (const chunk of cutAt(bytes, cuts)) {
          out.push(stream.push(chunk));
          expect(stream.heldLength).toBeLessThanOrEqual(3);
        }
        out.push(stream.end());
        expect(Buffer.concat(out).toString()).toBe(whatwg(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
