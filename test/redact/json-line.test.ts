/**
 * JSON log lines: written back as valid JSON of the same shape and key order, strings and keys
 * redacted, numbers written with a sensitive combination `null`, kept fields byte for byte,
 * everything else copied. Judged by the independent JSON judge (`test/support/json-judge.ts`)
 * and `JSON.parse`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonLineRedactor, createPolicy, redactJsonLine, type PolicyOptions } from '../../src/redact/index.js';
import { MAX_JSON_DEPTH } from '../../src/redact/json-rewriter.js';
import { policyArb } from '../support/arbitraries.js';
import { jsonLine, jsonText, keepFieldsArb } from '../support/json-arbitraries.js';
import { judgeJsonLine } from '../support/json-judge.js';
import { allowListFor } from '../support/keep-arbitraries.js';

const DEFAULT_FIELDS = ['time', 'timestamp', '@timestamp', 'ts'];
const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('redactJsonLine: what the issue asked for', () => {
  it('keeps pino\'s time as written and the line valid JSON; numbers written with 7+ digits become null', () => {
    const line = '{"level":30,"time":1796111050864,"msg":"ring 98 76 54 32","user":{"id":4798765432,"score":1.23456789e9,"age":42}}';
    const result = redactJsonLine(line);
    expect(result).toEqual({
      text: '{"level":30,"time":1796111050864,"msg":"ring ","user":{"id":null,"score":null,"age":42}}',
      redactions: 3,
      kinds: { phone: 2, other: 1 }, // 4798765432: ten digits starting 47
      allowed: 0,
      kept: 0,
      keptClasses: {},
      json: true,
    });
  });

  it('redacts keys; keys that redact alike are told apart with ~, keys left alone are never renamed', () => {
    expect(redactJsonLine('{"fnr 01019012345":1,"fnr ":2,"fnr 98765432":3,"fnr ~":4}').text).toBe(
      '{"fnr ~a":1,"fnr ":2,"fnr ~b":3,"fnr ~":4}',
    );
    expect(redactJsonLine('{"a":{"12345678":1,"87654321":[{"99999999":2}]}}').text).toBe('{"a":{"":1,"~":[{"":2}]}}');
  });

  it('sees digits and separators written as escapes, and writes a changed string plainly', () => {
    expect(redactJsonLine(String.raw`{"a":"\u0039\u0038\u0037\u0036\u0035\u0034\u0033\u0032 ok","b":"98\t76\t54\t32!"}`).text).toBe(
      '{"a":" ok","b":"!"}',
    );
    // an escape that changes nothing is left as it was written
    expect(redactJsonLine(String.raw`{"a":"caf\u00e9 \/ 1234"}`).text).toBe(String.raw`{"a":"caf\u00e9 \/ 1234"}`);
  });

  it('copies white space, number formats and literals as they were written', () => {
    const line = ' { "n" : 1.50E+3 , "t" : true , "z" : null , "a" : [ 1 , -0 , 2e5 ] }\r';
    expect(redactJsonLine(line).text).toBe(line);
  });

  it('writes kept fields byte for byte: dot paths, * for any key or index, array indices', () => {
    const line = String.raw`{"ts":"ring\u0020\u0039\u0038\u0037\u0036\u0035\u0034\u0033\u0032","req":{"headers":{"x-request-id":12345678,"x-fnr":"01019012345"},"id":[98765432,98765432]},"tags":[{"id":11223344},{"id":55667788}]}`;
    const redactor = new JsonLineRedactor(undefined, { keepFields: ['ts', 'req.headers.x-request-id', 'req.id.1', 'tags.*.id'] });
    expect(redactor.redactLine(line)).toBe(
      String.raw`{"ts":"ring\u0020\u0039\u0038\u0037\u0036\u0035\u0034\u0033\u0032","req":{"headers":{"x-request-id":12345678,"x-fnr":""},"id":[null,98765432]},"tags":[{"id":11223344},{"id":55667788}]}`,
    );
    expect(redactor.keptFields).toBe(5);
  });

  it('keeps a whole object or array named, and nothing with keepFields []', () => {
    expect(new JsonLineRedactor(undefined, { keepFields: ['req'] }).redactLine('{"req":{"a":[12345678,{"b":"98765432"}]},"c":12345678}')).toBe(
      '{"req":{"a":[12345678,{"b":"98765432"}]},"c":null}',
    );
    expect(new JsonLineRedactor(undefined, { keepFields: [] }).redactLine('{"time":1796111050864}')).toBe('{"time":null}');
  });

  it('a line that is a JSON scalar is JSON too', () => {
    expect(redactJsonLine('12345678').text).toBe('null');
    expect(redactJsonLine('"tlf 98765432"').text).toBe('"tlf "');
    expect(redactJsonLine(' 1234 ').text).toBe(' 1234 ');
  });

  it.each([
    ['not json 98765432', 'not json '],
    ['{"a":98765432,}', '{"a":,}'],
    ["{'a':'98765432'}", "{'a':''}"],
    ['{"a":01234567}', '{"a":}'],
    ['{"a":NaN} 98765432', '{"a":NaN} '],
    ['{"a":"x"} {"b":98765432}', '{"a":"x"} {"b":}'],
    ['["98765432"', '[""'],
    ['{"a":"\\x98765432"}', '{"a":"\\x"}'],
    ['', ''],
  ])('a line that is not JSON is redacted as text: %s', (line, expected) => {
    const result = redactJsonLine(line);
    expect(result.text).toBe(expected);
    expect(result.json).toBe(false);
  });

  it('counts the attempt of a line that turns out not to be JSON only once, as text', () => {
    const redactor = new JsonLineRedactor();
    redactor.redactLine('{"a":"98765432","b":"12345678",');
    expect([redactor.redactions, redactor.textLines, redactor.keptFields]).toEqual([2, 1, 0]);
  });

  it('keeps allowed numbers in strings and numbers, and date-times with keepTimestamps', () => {
    const policy = createPolicy({ allow: ['21 49 60 00'], keepTimestamps: true });
    const line = '{"msg":"ring 21 49 60 00 or 21 49 60 01","n":21496000,"at":"2026-12-01T07:45:18.123Z","born":"1990-01-01"}';
    const result = redactJsonLine(line, policy, { keepFields: [] });
    expect(result.text).toBe('{"msg":"ring 21 49 60 00 or ","n":21496000,"at":"2026-12-01T07:45:18.123Z","born":""}');
    expect([result.redactions, result.allowed]).toEqual([2, 3]);
  });

  it('counts kept classes by class, on a line where nothing is deleted too, and an attempt that is no JSON once', () => {
    // Synthetic: the org number's and the fødselsnummer's check digits are right.
    const redactor = new JsonLineRedactor({ keep: ['amounts', 'org_numbers'] });
    expect(redactor.redactLine('{"msg":"beløp 1 250 000,00 kr"}')).toBe('{"msg":"beløp 1 250 000,00 kr"}');
    expect([redactor.redactions, redactor.kept, redactor.keptClasses]).toEqual([0, 1, { amounts: 1 }]);
    expect(redactor.redactLine('{"org":"923 609 016","fnr":"150765 00565"}')).toBe('{"org":"923 609 016","fnr":""}');
    expect(redactor.redactLine('{"a":"1 250 000 kr","b":"923609016",')).toBe('{"a":"1 250 000 kr","b":"923609016",');
    expect([redactor.redactions, redactor.kept, redactor.keptClasses, redactor.textLines]).toEqual([1, 4, { amounts: 2, org_numbers: 2 }, 1]);
    expect(redactJsonLine('{"n":"kr 2 000 000","m":98765432}', { keep: ['amounts'] })).toEqual({
      text: '{"n":"kr 2 000 000","m":null}',
      redactions: 1,
      kinds: { phone: 1 },
      allowed: 0,
      kept: 1,
      keptClasses: { amounts: 1 },
      json: true,
    });
  });

  it('puts a replacement that needs escaping in a valid string', () => {
    const out = redactJsonLine('{"a":"x 98765432 y"}', { replacement: '"\\"' }).text;
    expect(out).toBe('{"a":"x \\"\\\\\\" y"}');
    expect(JSON.parse(out)).toEqual({ a: 'x "\\" y' });
  });
});

describe('redactJsonLine: properties', () => {
  const lineAndPolicy = fc.tuple(jsonLine, policyArb, fc.boolean(), keepFieldsArb).chain(([line, base, keepTimestamps, keepFields]) =>
    allowListFor(line, base.maxGap).map((allow) => ({ line, keepFields, options: { ...base, allow, keepTimestamps } as PolicyOptions })),
  );

  it('valid JSON of the same shape and keys, kept fields byte for byte, no other sensitive combination (judged apart)', () => {
    fc.assert(
      fc.property(lineAndPolicy, ({ line, options, keepFields }) => {
        const policy = createPolicy(options);
        const out = new JsonLineRedactor(policy, { keepFields }).redactLine(line);
        expect(isJson(out)).toBe(true);
        judgeJsonLine(line, out, { ...policy, allow: options.allow }, keepFields);
      }),
      { numRuns: 600, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('tells JSON from not-JSON exactly as JSON.parse does, whatever is broken', () => {
    const broken = fc
      .tuple(jsonText, fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', ' ', '0', '-', 'e', '.', '\u0001', 'tru', ':', '{', '[', '\\u12', '01', '\ud800'), fc.boolean())
      .map(([text, at, insert, drop]) => {
        const k = at % (text.length + 1);
        return text.slice(0, k) + insert + text.slice(drop ? k + 1 : k);
      });
    const redactor = new JsonLineRedactor();
    fc.assert(
      fc.property(fc.oneof(broken, fc.json(), fc.string()), (line) => {
        fc.pre(!line.includes('\n'));
        const before = redactor.textLines;
        const out = redactor.redactLine(line);
        expect(redactor.textLines === before).toBe(isJson(line));
        if (isJson(line)) expect(isJson(out)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: a redacted line comes back unchanged', () => {
    fc.assert(
      fc.property(jsonLine, keepFieldsArb, (line, keepFields) => {
        const once = new JsonLineRedactor(undefined, { keepFields }).redactLine(line);
        expect(new JsonLineRedactor(undefined, { keepFields }).redactLine(once)).toBe(once);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the defaults when asked for nothing else', () => {
    expect(new JsonLineRedactor().redactLine('{"time":1,"timestamp":2,"@timestamp":3,"ts":4}')).toBe('{"time":1,"timestamp":2,"@timestamp":3,"ts":4}');
    expect(DEFAULT_FIELDS).toHaveLength(4);
  });
});

describe('redactJsonLine: hostile lines (issue 19)', () => {
  /** CPU time of `run` per input byte, ns. */
  const nsPerByte = (bytes: number, run: () => void): number => {
    run(); // warm
    const started = process.cpuUsage();
    run();
    const { user, system } = process.cpuUsage(started);
    return ((user + system) * 1000) / bytes;
  };

  it('tells apart many keys that redact alike in linear time, with output no longer than the input', () => {
    const colliding = (count: number): string =>
      `{${Array.from({ length: count }, (_, k) => `"fnr ${String(1_000_000 + k)}":${k % 10}`).join(',')}}`;
    const small = colliding(2_000);
    const large = colliding(16_000);
    const out = redactJsonLine(large);
    expect(out.text.length).toBeLessThanOrEqual(large.length);
    const keys = Object.keys(JSON.parse(out.text) as object);
    expect(new Set(keys).size).toBe(16_000);
    expect(keys.every((key) => /^fnr (?:~[a-z]*)?$/.test(key))).toBe(true);
    // Eight times the keys: linear is ~8× the time, i.e. the same per byte (the old `~~…` was cubic).
    const ratio = nsPerByte(large.length, () => redactJsonLine(large)) / nsPerByte(small.length, () => redactJsonLine(small));
    expect(ratio).toBeLessThan(3);
  });

  it('tells a redacted key apart from keys that already end in the suffixes, later ones too', () => {
    expect(redactJsonLine('{"x 1234567":1,"x ":2,"x ~":3,"x 7654321":4,"x ~a":5}').text).toBe('{"x ~b":1,"x ":2,"x ~":3,"x ~c":4,"x ~a":5}');
  });

  it(`reads a line nested deeper than ${MAX_JSON_DEPTH} levels as text, in memory of its own size`, () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}"98765432"${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    expect(redactJsonLine(deep)).toMatchObject({ text: `${'['.repeat(MAX_JSON_DEPTH + 1)}""${']'.repeat(MAX_JSON_DEPTH + 1)}`, json: false });
    const limit = `${'['.repeat(MAX_JSON_DEPTH)}98765432${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(redactJsonLine(limit)).toMatchObject({ text: `${'['.repeat(MAX_JSON_DEPTH)}null${']'.repeat(MAX_JSON_DEPTH)}`, json: true });
    const brackets = '['.repeat(1024 * 1024);
    const before = process.memoryUsage().rss;
    expect(redactJsonLine(brackets)).toMatchObject({ text: brackets, json: false });
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it('writes a string with a lone surrogate escape back well-formed, and joins nothing across a deletion', () => {
    const line = String.raw`{"msg":"\ud835` + '1234567' + String.raw`\udfcf","k\udfce":"ok"}`;
    const out = redactJsonLine(line).text;
    expect(out).toBe('{"msg":"\ufffd\ufffd","k\ufffd":"ok"}');
    expect(JSON.parse(out)).toEqual({ msg: '\ufffd\ufffd', 'k\ufffd': 'ok' });
  });
});
