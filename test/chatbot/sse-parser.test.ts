import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseLimitError, SseParser, type SseEvent } from '../../src/chatbot/sse-parser.js';
import { splitBytes } from '../support/vendor-stub.js';

/** Parse `chunks` to the end; every event, in order. */
function parseAll(chunks: ReadonlyArray<Uint8Array | string>, parser = new SseParser()): SseEvent[] {
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.end()];
}

/** A stream with every feature at once: CRLF, lone CR, LF, comments, names, ids, multi-line data, UTF-8 of 2–4 bytes. */
const STREAM =
  '\uFEFF: a comment first\r\n' +
  'data: {"text":\r\ndata: "Hei Åse 😀, ring "}\r\n\r\n' +
  'event: delta\rid: 7\rdata: {"text":"98 76\rdata:  54 32"}\r\r' +
  ':keep-alive\n' +
  'data\n' +
  'retry: 1000\nunknown: ignored\n\n' +
  'data:x\n\n';
const EXPECTED: SseEvent[] = [
  { type: 'message', data: '{"text":\n"Hei Åse 😀, ring "}', id: '' },
  { type: 'delta', data: '{"text":"98 76\n 54 32"}', id: '7' },
  { type: 'message', data: '', id: '7' },
  { type: 'message', data: 'x', id: '7' },
];

describe('SseParser', () => {
  it('parses every line ending, comments, event names, ids, multi-line and empty data', () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events for a split at every byte position', () => {
    const bytes = Buffer.from(STREAM, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(parseAll(splitBytes(bytes, [cut])), `cut at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('gives the same events fed one byte at a time, and one UTF-16 unit at a time', () => {
    const bytes = Buffer.from(STREAM, 'utf8');
    expect(parseAll(splitBytes(bytes, Array.from(bytes.keys())))).toEqual(EXPECTED);
    expect(parseAll(STREAM.split(''))).toEqual(EXPECTED);
  });

  it('gives the same events for any set of split points (property)', () => {
    const bytes = Buffer.from(STREAM, 'utf8');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 24 }), (cuts) => {
        expect(parseAll(splitBytes(bytes, cuts))).toEqual(EXPECTED);
      }),
      { numRuns: 500, interruptAfterTimeLimit: 2_000 },
    );
  });

  it('keeps a CR at the end of one chunk and an LF at the start of the next as one line break', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\r\n')).toEqual([{ type: 'message', data: 'a', id: '' }]);
  });

  it('returns each event as soon as its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\n')).toEqual([]);
    expect(parser.push('\ndata: tw')).toEqual([{ type: 'message', data: 'one', id: '' }]);
    expect(parser.push('o\n\n')).toEqual([{ type: 'message', data: 'two', id: '' }]);
  });

  it('dispatches an event whose final blank line never came when the stream ends', () => {
    expect(parseAll(['data: last'])).toEqual([{ type: 'message', data: 'last', id: '' }]);
    expect(parseAll(['data: last\n'])).toEqual([{ type: 'message', data: 'last', id: '' }]);
    expect(parseAll(['event: ping\n'])).toEqual([]);
  });

  it('strips only one leading space of a value, and ignores an id with NUL', () => {
    expect(parseAll(['id: 1\ndata:   two spaces\n\nid: x\u0000y\ndata:b\n\n'])).toEqual([
      { type: 'message', data: '  two spaces', id: '1' },
      { type: 'message', data: 'b', id: '1' },
    ]);
  });

  it('turns malformed UTF-8 into U+FFFD instead of failing', () => {
    expect(parseAll([new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a])])).toEqual([
      { type: 'message', data: '\uFFFD', id: '' },
    ]);
  });

  it('refuses an event that grows past its limit, whether as one line or as many', () => {
    const parser = new SseParser({ maxEventLength: 16 });
    expect(() => parser.push('data: 0123456789abcdef')).toThrow(SseLimitError);
    const lines = new SseParser({ maxEventLength: 16 });
    expect(() => lines.push('data: 01234\ndata: 56789\ndata: abcdef\n')).toThrow(SseLimitError);
    expect(new SseParser({ maxEventLength: 16 }).push('data: 0123456789\n\n')).toHaveLength(1);
  });
});
