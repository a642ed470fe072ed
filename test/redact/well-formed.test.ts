/**
 * Invariant 8 (SPEC §1): no new digits, well-formed output — on every implementation of the
 * engine (one-shot strings, streamed strings, the WHATWG stream, bytes through the WebAssembly
 * finder), with lone surrogates, ill-formed UTF-8 and every separator, split anywhere. Judged by
 * the reference (`test/support/reference.ts`), never by the engine.
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRedactor, RedactStream, StreamRedactor, createPolicy, redact } from '../../src/redact/index.js';
import { WellFormedChunks, toWellFormed } from '../../src/redact/well-formed.js';
import { SURROGATE_HALVES, cutAt, hostileBytes, hostileText, policyArb, rawCuts, streamThrough } from '../support/arbitraries.js';
import { isDigitChar, referenceRedact, wellFormed } from '../support/reference.js';

/** The digits of a text, as a multiset of code points. */
function digitCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of text) if (isDigitChar(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

/** Invariant 8, read plainly: well-formed, and no digit that the well-formed input lacks. */
function expectNoNewDigits(input: string, output: string): void {
  expect(output.isWellFormed()).toBe(true);
  const before = digitCounts(wellFormed(input));
  for (const [digit, count] of digitCounts(output)) expect(count).toBeLessThanOrEqual(before.get(digit) ?? 0);
}

function redactBytes(chunks: readonly Buffer[], policy?: Parameters<typeof createPolicy>[0]): Buffer {
  const redactor = new ByteRedactor(policy);
  return Buffer.concat([...chunks.map((chunk) => redactor.push(chunk)), redactor.end()]);
}

async function redactWebStream(chunks: readonly string[], policy: Parameters<typeof createPolicy>[0]): Promise<string> {
  const source = new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const stream = source.pipeThrough(new RedactStream(policy));
  const reader = stream.getReader();
  let out = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) out += read.value;
  return out;
}

describe('toWellFormed and WellFormedChunks', () => {
  it('replace each lone surrogate with U+FFFD and keep pairs, offsets unchanged', () => {
    expect(toWellFormed('\ud835' + '1234567' + '\udfcf')).toBe('\ufffd1234567\ufffd');
    const plain = 'ingen tall 😀';
    expect(toWellFormed(plain)).toBe(plain);
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(toWellFormed(text)).toBe(wellFormed(text));
      }),
    );
  });

  it('hold a high surrogate at a chunk’s end until the next chunk says what it is', () => {
    const chunks = new WellFormedChunks();
    expect(chunks.push('a\ud835')).toBe('a');
    expect(chunks.heldLength).toBe(1);
    expect(chunks.push('\udfcfb')).toBe('𝟏b');
    expect(chunks.push('\ud835')).toBe('');
    expect(chunks.push('\ud835')).toBe('\ufffd');
    expect(chunks.end()).toBe('\ufffd');
    fc.assert(
      fc.property(hostileText, rawCuts(8), (text, cuts) => {
        const stream = new WellFormedChunks();
        expect(cutAt(text, cuts).map((c) => stream.push(c)).join('') + stream.end()).toBe(wellFormed(text));
      }),
    );
  });
});

describe('invariant 8: no new digits, well-formed output', () => {
  it('the attack of issue 19: a lone surrogate each side of a deleted number joins into nothing', () => {
    const attack = `my fnr is ${Array.from('01019012345', (d) => `\ud835${'0000000'}${String.fromCharCode(0xdfce + Number(d))}`).join('')}`;
    const expected = `my fnr is ${'\ufffd\ufffd'.repeat(11)}`;
    expect(redact(attack).text).toBe(expected);
    for (let cut = 0; cut <= attack.length; cut += 1) {
      expect(streamThrough(new StreamRedactor(), [attack.slice(0, cut), attack.slice(cut)])).toBe(expected);
    }
    expect(redactBytes([Buffer.from(attack)]).toString()).toBe(expected);
  });

  it('two nested levels (the widget’s redaction, then the gateway’s) make no digit either', () => {
    const inner = `\ud835${'1234567'}\udfcf`;
    const nested = `\ud835${inner.replace('1234567', '\ud835' + '7654321' + '\udfcf')}\udfcf`;
    const once = redact(nested).text;
    expectNoNewDigits(nested, once);
    expect(redact(once).text).toBe(once);
    expect(once).not.toMatch(/\p{Nd}/u);
  });

  it('property: one-shot redact() on strings', () => {
    fc.assert(
      fc.property(hostileText, policyArb, (text, options) => {
        const policy = createPolicy(options);
        const out = redact(text, policy).text;
        expectNoNewDigits(text, out);
        expect(out).toBe(referenceRedact(text, policy).text);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: StreamRedactor, split anywhere, inside surrogate pairs too', () => {
    fc.assert(
      fc.property(hostileText, policyArb, rawCuts(10), (text, options, cuts) => {
        const policy = createPolicy(options);
        const out = streamThrough(new StreamRedactor(policy), cutAt(text, cuts));
        expectNoNewDigits(text, out);
        expect(out).toBe(referenceRedact(text, policy).text);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: the WHATWG RedactStream, split anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, policyArb, rawCuts(6), async (text, options, cuts) => {
        const out = await redactWebStream(cutAt(text, cuts), options);
        expectNoNewDigits(text, out);
        expect(out).toBe(referenceRedact(text, createPolicy(options)).text);
      }),
      { numRuns: 300 },
    );
  });

  it('property: bytes through the WebAssembly finder, ill-formed UTF-8 among them, split at any byte', () => {
    fc.assert(
      fc.property(hostileBytes, policyArb, rawCuts(8), (bytes, options, cuts) => {
        const policy = createPolicy(options);
        const out = redactBytes(cutAt(bytes, cuts), policy);
        expect(isUtf8(out)).toBe(true);
        const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
        expectNoNewDigits(text, out.toString());
        expect(out.toString()).toBe(referenceRedact(text, policy).text);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a surrogate half split off from its partner by a chunk boundary is held, not replaced early', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SURROGATE_HALVES), fc.nat(9), (half, digit) => {
        const astral = String.fromCodePoint(0x1d7ce + digit);
        const text = `${astral.repeat(4)} ${astral.repeat(4)}${half}`;
        const redactor = new StreamRedactor();
        const out = Array.from(text, (unit) => redactor.push(unit)).join('') + redactor.end();
        expect(out).toBe(referenceRedact(text).text);
      }),
    );
  });
});
