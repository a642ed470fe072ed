/**
 * `keepTimestamps`: complete date-times survive, exactly — a bare date, a date-time to the
 * minute, an impossible day and a date-time with digits joined to it are judged as any number —
 * in one piece and split at every offset, as strings and as bytes. Judged by the reference's own
 * field-by-field reading of date-times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRedactor, DATE_TIME_MAX_LENGTH, StreamRedactor, createPolicy, redact } from '../../src/redact/index.js';
import { DATE_TIME_MAX_DIGITS } from '../../src/redact/date-times.js';
import { cutAt, policyArb, rawCuts, streamThrough } from '../support/arbitraries.js';
import { dateTimeish, logText } from '../support/keep-arbitraries.js';
import { findCombinations, findDateTimes, referenceRedact } from '../support/reference.js';

const KEEP = createPolicy({ keepTimestamps: true });

describe('keepTimestamps: what is kept', () => {
  it.each([
    ['ISO 8601 with Z', 'at 2026-12-01T07:45:18.123Z: fnr 010190 12345', 'at 2026-12-01T07:45:18.123Z: fnr '],
    ['RFC 3339 with an offset', '2026-12-01T07:45:18.123456789-05:00 ok', '2026-12-01T07:45:18.123456789-05:00 ok'],
    ['a space and a comma (Python logging)', '2026-12-01 07:45:18,123 - INFO - tlf 98765432', '2026-12-01 07:45:18,123 - INFO - tlf '],
    ['an offset after a space (git)', '2026-12-01 07:45:18.5 +0100 x', '2026-12-01 07:45:18.5 +0100 x'],
    ['year-first slashes (nginx error log)', '2026/12/01 07:45:18 [error] 4242#0: *1234567 x', '2026/12/01 07:45:18 [error] 4242#0: * x'],
    ['syslog', 'Dec  1 07:45:18 web-1 sshd[4242]: ok', 'Dec  1 07:45:18 web-1 sshd[4242]: ok'],
    ['common log format', '[01/Dec/2026:07:45:18 +0000] "GET /a?n=98765432"', '[01/Dec/2026:07:45:18 +0000] "GET /a?n="'],
    ['29 February of a leap year', '2028-02-29T00:00:00Z', '2028-02-29T00:00:00Z'],
  ])('%s', (_name, input, output) => {
    expect(redact(input, KEEP).text).toBe(output);
    expect(referenceRedact(input, KEEP).text).toBe(output);
  });

  it.each([
    ['a bare date', 'født 1990-01-01, takk', 'født , takk'],
    ['a dotted date', 'født 01.01.1990', 'født '],
    ['a date-time to the minute', '2026-12-01 07:45 ok', ':45 ok'],
    ['an impossible day', '2026-02-30T07:45:18Z', 'T07:45:18Z'],
    ['29 February of a common year', '2027-02-29T07:45:18Z', 'T07:45:18Z'],
    ['mixed date separators', '2026-12/01T07:45:18Z', 'T07:45:18Z'],
    ['digits joined before it', 'ref 12 2026-12-01T07:45:18Z', 'ref T07:45:18Z'],
    ['digits joined after it', '2026-12-01 07:45:18 1234567 x', ':45: x'],
    ['digits in other scripts', '２０２６-１２-０１T07:45:18Z', 'T07:45:18Z'],
  ])('%s is judged as any number', (_name, input, output) => {
    expect(redact(input, KEEP).text).toBe(output);
    expect(referenceRedact(input, KEEP).text).toBe(output);
  });

  it('is off by default, and the count of kept combinations is never the digits', () => {
    expect(redact('2026-12-01T07:45:18Z').text).toBe('T07:45:18Z');
    expect(redact('2026-12-01 07:45:18 and 2026-12-01T07:45:18.1234567-05:00', KEEP)).toEqual({
      text: '2026-12-01 07:45:18 and 2026-12-01T07:45:18.1234567-05:00',
      redactions: 0,
      kinds: {},
      allowed: 3,
      kept: 0,
      keptClasses: {},
    });
  });
});

describe('keepTimestamps: properties', () => {
  const logPolicy = policyArb.map((options) => createPolicy({ ...options, keepTimestamps: true }));

  it('keeps exactly the date-times that stand alone, as the reference reads them', () => {
    fc.assert(
      fc.property(logText, logPolicy, (text, policy) => {
        const result = redact(text, policy);
        const expected = referenceRedact(text, policy);
        expect(result.text).toBe(expected.text);
        expect([result.redactions, result.allowed]).toEqual([expected.spans.length, expected.kept.length]);
        for (const { start, end } of findDateTimes(text, policy.maxGap)) expect(result.text).toContain(text.slice(start, end));
      }),
      { numRuns: 1500 },
    );
  });

  it('a date-time split at every offset, as UTF-16 or as UTF-8 bytes, comes out as in one piece', () => {
    fc.assert(
      fc.property(dateTimeish, fc.constantFrom('', 'fnr 010190 12345 ', '😀 ', '٣ '), logPolicy, (dateTime, before, policy) => {
        const text = `${before}${dateTime} 98 76 54 32 ø`;
        const expected = redact(text, policy).text;
        const bytes = Buffer.from(text);
        for (let cut = 0; cut <= text.length; cut++) {
          expect(streamThrough(new StreamRedactor(policy), [text.slice(0, cut), text.slice(cut)])).toBe(expected);
        }
        for (let cut = 0; cut <= bytes.length; cut++) {
          const redactor = new ByteRedactor(policy);
          const out = Buffer.concat([redactor.push(bytes.subarray(0, cut)), redactor.push(bytes.subarray(cut)), redactor.end()]);
          expect(out.toString()).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('holds back no more than its bound, whatever the chunking', () => {
    fc.assert(
      fc.property(logText, logPolicy, rawCuts(20), (text, policy, cuts) => {
        const redactor = new StreamRedactor(policy);
        for (const chunk of cutAt(text, cuts)) {
          redactor.push(chunk);
          expect(redactor.heldLength).toBeLessThanOrEqual(redactor.maxHeldLength);
        }
      }),
      { numRuns: 300 },
    );
  });

  it(`no date-time is longer than ${DATE_TIME_MAX_LENGTH} units, nor holds a combination of more than ${DATE_TIME_MAX_DIGITS} digits`, () => {
    expect('2026-12-01T07:45:18.123456789+01:00').toHaveLength(DATE_TIME_MAX_LENGTH);
    const widest = findCombinations('2026-12-01T07:45:18.123456789-0500', 3);
    expect(Math.max(...widest.map((c) => c.digits.length))).toBe(DATE_TIME_MAX_DIGITS);
    expect(redact('2026-12-01T07:45:18.123456789-0500 ok', { minDigits: 2, keepTimestamps: true }).text).toBe('2026-12-01T07:45:18.123456789-0500 ok');
    fc.assert(
      fc.property(dateTimeish, fc.integer({ min: 0, max: 8 }), (text, maxGap) => {
        for (const { start, end } of findDateTimes(text, maxGap)) {
          expect(end - start).toBeLessThanOrEqual(DATE_TIME_MAX_LENGTH);
          const inside = findCombinations(text.slice(start, end), maxGap);
          expect(Math.max(0, ...inside.map((c) => c.digits.length))).toBeLessThanOrEqual(DATE_TIME_MAX_DIGITS);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
