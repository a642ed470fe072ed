import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRedactor, createPolicy, redact } from '../../src/redact/index.js';
import { chatText, cutAt, denseText, policyArb, rawCuts, streamedByteChunk } from '../support/arbitraries.js';
import { referenceRedact } from '../support/reference.js';

function redactBytes(chunks: Uint8Array[], policy?: Parameters<typeof createPolicy>[0]): Buffer {
  const redactor = new ByteRedactor(policy);
  return Buffer.concat([...chunks.map((c) => redactor.push(c)), redactor.end()]);
}

describe('ByteRedactor (UTF-8 scanned without decoding)', () => {
  it('equals the string redaction for well-formed UTF-8, split at any byte', () => {
    fc.assert(
      fc.property(fc.oneof(chatText, denseText), policyArb, rawCuts(), (raw, options, cuts) => {
        const text = raw.toWellFormed();
        const policy = createPolicy(options);
        const bytes = Buffer.from(text, 'utf8');
        const out = redactBytes(cutAt(bytes, cuts), policy);
        expect(out.toString('utf8')).toBe(redact(text, policy).text);
      }),
      { numRuns: 600 },
    );
  });

  it('replaces each ill-formed sequence with U+FFFD before the scan, around deletions too', () => {
    const invalid = Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82, 0x31, 0xf0, 0x9f]);
    const mended = Buffer.from('\ufffd\ufffd(\ufffd1\ufffd');
    const input = Buffer.concat([invalid, Buffer.from(' fnr 010190 12345 '), invalid]);
    expect(redactBytes([input])).toEqual(Buffer.concat([mended, Buffer.from(' fnr  '), mended]));
    // an ill-formed byte is no separator: it ends a combination
    expect(redactBytes([Buffer.from([0x31, 0x32, 0x33, 0x34, 0xff, 0x35, 0x36, 0x37])]).toString()).toBe('1234\ufffd567');
    // deleting seven zeros does not join D9 … A1 into ١ (U+0661)
    const attack = Buffer.from([0xd9, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0xa1]);
    for (let cut = 0; cut <= attack.length; cut++) {
      expect(redactBytes([attack.subarray(0, cut), attack.subarray(cut)]).toString()).toBe('\ufffd\ufffd');
    }
    // an unfinished sequence at the end of input is ill-formed too
    expect(redactBytes([Buffer.from([0x61, 0xf0, 0x9d, 0x9f])]).toString()).toBe('a\ufffd');
  });

  it('property: random bytes come out as the reference redaction of their well-formed text, split anywhere', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), rawCuts(6), (raw, cuts) => {
        const bytes = Buffer.from(raw);
        const whole = redactBytes([bytes]);
        expect(redactBytes(cutAt(bytes, cuts))).toEqual(whole);
        expect(isUtf8(whole)).toBe(true);
        expect(whole.toString()).toBe(referenceRedact(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).text);
      }),
      { numRuns: 600 },
    );
  });

  it('returns an unchanged chunk as the same Buffer, and holds at most its bound', () => {
    const redactor = new ByteRedactor();
    // (7 - 1) digits, each with a gap of 3, every code point up to 4 bytes, plus a split character
    expect(redactor.maxHeldLength).toBe(99);
    const chunk = Buffer.from('ingen tall her, bare tekst æøå 😀');
    expect(redactor.push(chunk)).toBe(chunk);
    for (const byte of Buffer.from('1 2 3 4 5 6 ')) {
      redactor.push(Buffer.from([byte]));
      expect(redactor.heldLength).toBeLessThanOrEqual(redactor.maxHeldLength);
    }
    expect(redactor.heldLength).toBeGreaterThan(0);
    expect(redactor.end().toString()).toBe('1 2 3 4 5 6 ');
    // a four-byte digit split byte by byte is still a digit
    const math = Buffer.from(Array.from('98765432', (d) => String.fromCodePoint(0x1d7ce + Number(d))).join(''));
    const split = new ByteRedactor();
    const out = Buffer.concat([...Array.from(math, (b) => split.push(Buffer.from([b]))), split.end()]);
    expect(out.length).toBe(0);
    expect(split.kinds).toEqual({ phone: 1 });
  });

  /** Bytes read as the WHATWG decoder (and SPEC §1) reads them: each ill-formed sequence U+FFFD. */
  const decode = (bytes: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

  it('property: bytes passed over as they are are their own redaction, well-formed and unchanged; streamed, the reference’s output and redact()’s counts', () => {
    let passedOver = 0;
    fc.assert(
      fc.property(
        fc.array(streamedByteChunk, { maxLength: 24 }),
        rawCuts(8),
        fc.boolean(),
        fc.option(policyArb, { nil: undefined }),
        (parts, cuts, recut, policy) => {
          const bytes = Buffer.concat(parts);
          // Either the parts as they are, or the bytes cut anywhere: inside sequences, ill-formed ones too.
          const chunks = recut ? cutAt(bytes, cuts) : parts;
          const redactor = new ByteRedactor(policy);
          const out: Buffer[] = [];
          for (const chunk of chunks) {
            const nothingHeld = redactor.heldLength === 0;
            const before = Buffer.from(chunk);
            const pushed = redactor.push(chunk);
            out.push(pushed);
            if (nothingHeld && pushed === chunk && redactor.heldLength === 0) {
              // Passed as it is: well-formed, its own redaction, and its bytes untouched.
              passedOver += 1;
              expect(isUtf8(chunk)).toBe(true);
              expect(chunk.equals(before)).toBe(true);
              expect(referenceRedact(decode(chunk), policy).text).toBe(decode(chunk));
            }
            expect(redactor.heldLength).toBeLessThanOrEqual(redactor.maxHeldLength);
          }
          out.push(redactor.end());
          const joined = Buffer.concat(out);
          const text = decode(bytes);
          expect(isUtf8(joined)).toBe(true);
          expect(joined.toString('utf8')).toBe(referenceRedact(text, policy).text);
          const oneShot = redact(text, policy);
          expect(redactor.redactions).toBe(oneShot.redactions);
          expect(redactor.kinds).toEqual(oneShot.kinds);
        },
      ),
      { numRuns: 400 },
    );
    expect(passedOver).toBeGreaterThan(100);
  });
});
