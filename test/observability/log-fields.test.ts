/**
 * The rules of what a log line may carry, on values directly: scrubValue and scrubField.
 */
import { describe, expect, it } from 'vitest';
import { CENSOR, SECRET_FIELD, URL_FIELD, scrubField, scrubValue, type Scrub } from '../../src/observability/log-fields.js';
import { createPolicy, redact } from '../../src/redact/index.js';
import { countLeaks } from '../support/leak-judge.js';

const scrub: Scrub = (text) => redact(text).text;

describe('scrubField', () => {
  it('censors secrets, anonymises addresses, cuts URLs at the query, scrubs the rest', () => {
    expect(scrubField('apiKey', 'k', scrub, 1)).toBe(CENSOR);
    expect(scrubField('x-forwarded-for', '203.0.113.45, 10.1.2.3', scrub, 1)).toBe('203.0.x.x, 10.1.x.x');
    expect(scrubField('ip', 42, scrub, 1)).toBe('unknown');
    expect(scrubField('url', '/a/98765432?token=x#f', scrub, 1)).toBe('/a/');
    expect(scrubField('note', { deep: 'tlf 98765432' }, scrub, 1)).toEqual({ deep: 'tlf ' });
    expect(SECRET_FIELD.test('maxTokens')).toBe(false);
    expect(URL_FIELD.test('href')).toBe(true);
  });
});

describe('scrubValue', () => {
  it('writes a number that reads as a sensitive combination as null, by the policy of the scrubber, and keeps the rest', () => {
    const values = [0, 7, -9, 200, 999_999, -999_999, 1_000_000, 1_048_576, 10516.04, 123.45, 1.2345678e-7, 1e21, Number.NaN, Number.MAX_SAFE_INTEGER];
    const written = values.map((value) => scrubValue(value, scrub));
    expect(written).toEqual([0, 7, -9, 200, 999_999, -999_999, null, null, null, 123.45, null, 1e21, Number.NaN, null]);
    // Asked again (the verdict is remembered), the same.
    expect(values.map((value) => scrubValue(value, scrub))).toEqual(written);
    for (const value of written) expect(countLeaks(JSON.stringify({ value })), String(value)).toBe(0);
    // Another policy, another verdict: four digits are sensitive here.
    const strict: Scrub = (text) => redact(text, createPolicy({ minDigits: 4 })).text;
    expect([200, 1234, 12.34, 5].map((value) => scrubValue(value, strict))).toEqual([200, null, null, 5]);
    expect(scrubValue({ durationMs: 10516.04, status: 200 }, scrub)).toEqual({ durationMs: null, status: 200 });
  });

  it('copies, scrubs strings and keys, serialises errors, honours toJSON, and stops at depth 8', () => {
    const input = { a: ['x 12345678', 7, true, null, undefined], 'k 12345678': 1, when: new Date(0), u: new URL('https://e.example/?q=1') };
    expect(scrubValue(input, scrub)).toEqual({
      a: ['x ', 7, true, null, undefined],
      'k ': 1,
      when: 'T00:00:00.000Z', // an ISO date is itself a number combination: log instants as numbers
      u: 'https://e.example/?q=1',
    });
    expect(input.a[0]).toBe('x 12345678');
    expect(scrubValue(new Error('e 12345678'), scrub)).toMatchObject({ type: 'Error', message: 'e ' });
    let deep: unknown = 'leaf';
    for (let k = 0; k < 10; k++) deep = { d: deep };
    expect(JSON.stringify(scrubValue(deep, scrub))).toBe(`${'{"d":'.repeat(8)}"[too deep]"${'}'.repeat(8)}`);
  });

  it('survives a circular structure', () => {
    const loop: Record<string, unknown> = { name: 'loop 12345678' };
    loop.self = loop;
    const out = JSON.stringify(scrubValue(loop, scrub));
    expect(out).toContain('[too deep]');
    expect(out).not.toContain('12345678');
  });

  it('scrubs a string by the policy of its scrubber, however often it is asked and past the bound of the remembered ones', () => {
    const strict: Scrub = (text) => redact(text, createPolicy({ minDigits: 4 })).text;
    const line = 'attempt 1234 of 12345678';
    for (let round = 0; round < 2; round++) {
      expect(scrubValue(line, scrub)).toBe('attempt 1234 of ');
      expect(scrubValue(line, strict)).toBe('attempt  of ');
    }
    // More distinct strings than are remembered: each still scrubbed, the first ones again too.
    const lines = Array.from({ length: 3000 }, (_, k) => `frame ${k} at 9876543${k % 10}`);
    for (const text of [...lines, ...lines.slice(0, 10)]) expect(scrubValue(text, scrub)).toBe(`frame ${text.split(' ')[1]} at `);
    // A long string is scrubbed, not remembered: still right.
    const long = `${'a'.repeat(300)} 12345678`;
    expect(scrubValue(long, scrub)).toBe(`${'a'.repeat(300)} `);
  });
});

