import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRedactor, createPolicy, redact } from '../../src/redact/index.js';
import { chatText, cutAt, denseText, policyArb, rawCuts } from '../support/arbitraries.js';

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

  it('passes bytes that are not UTF-8 through unchanged, around deletions too', () => {
    const invalid = Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82, 0x31, 0xf0, 0x9f]);
    const input = Buffer.concat([invalid, Buffer.from(' fnr 010190 12345 '), invalid]);
    const out = redactBytes([input]);
    expect(out).toEqual(Buffer.concat([invalid, Buffer.from(' fnr  '), invalid]));
    // an invalid byte is no separator: it ends a combination
    expect(redactBytes([Buffer.from([0x31, 0x32, 0x33, 0x34, 0xff, 0x35, 0x36, 0x37])]).length).toBe(8);
  });

  it('property: random bytes keep everything outside deleted spans, which start and end on a digit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), rawCuts(6), (raw, cuts) => {
        const bytes = Buffer.from(raw);
        const whole = redactBytes([bytes]);
        expect(redactBytes(cutAt(bytes, cuts))).toEqual(whole);
        // deleting never adds bytes; what remains is a subsequence of the input
        let at = 0;
        for (const byte of whole) {
          at = bytes.indexOf(byte, at) + 1;
          expect(at).toBeGreaterThan(0);
        }
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
});
