/**
 * Keep-field paths: dot paths from the top of a JSON line, `*` for any one key or index, keys
 * compared where they stand in the line (escaped keys decoded).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEEP_FIELDS, KeepFields, MAX_KEEP_FIELDS, checkKeepField } from '../../src/redact/index.js';

/** Follow `path` (keys as JSON strings, or array indices) and say whether the value there is kept. */
function isKept(fields: KeepFields, path: readonly (string | number)[]): boolean {
  let mask = fields.all;
  path.forEach((step, k) => {
    const key = JSON.stringify(step);
    mask = typeof step === 'number' ? fields.matchIndex(mask, k + 1, step) : fields.matchKey(mask, k + 1, key, 0, key.length);
  });
  return fields.isKept(mask, path.length);
}

describe('KeepFields', () => {
  it('names values by their whole path: no more, no less', () => {
    const fields = new KeepFields(['time', 'req.headers.x-request-id', 'items.*.id', 'list.1']);
    expect(isKept(fields, ['time'])).toBe(true);
    expect(isKept(fields, ['req', 'headers', 'x-request-id'])).toBe(true);
    expect(isKept(fields, ['req', 'headers'])).toBe(false);
    expect(isKept(fields, ['req', 'headers', 'x-request-id', 'a'])).toBe(false);
    expect(isKept(fields, ['a', 'time'])).toBe(false);
    expect(isKept(fields, ['items', 3, 'id'])).toBe(true);
    expect(isKept(fields, ['items', 'x', 'id'])).toBe(true);
    expect(isKept(fields, ['list', 1])).toBe(true);
    expect(isKept(fields, ['list', 0])).toBe(false);
    expect(isKept(fields, ['Time'])).toBe(false);
    expect(fields.maxDepth).toBe(3);
  });

  it('compares escaped keys by what they decode to', () => {
    const fields = new KeepFields(['time']);
    const key = '"\\u0074ime"';
    expect(fields.isKept(fields.matchKey(fields.all, 1, key, 0, key.length, 'time'), 1)).toBe(true);
  });

  it('has the usual time-stamp fields as defaults, and keeps nothing when given none', () => {
    expect(DEFAULT_KEEP_FIELDS).toEqual(['time', 'timestamp', '@timestamp', 'ts']);
    const none = new KeepFields([]);
    expect([none.all, none.maxDepth, isKept(none, ['time'])]).toEqual([0, 0, false]);
  });

  it('refuses a path with an empty part, and more paths than a mask holds', () => {
    expect(checkKeepField('a..b')).toBe('"a..b" is not a dot path such as "req.headers.x-request-id" (an empty part)');
    expect(checkKeepField('.a')).toMatch(/an empty part/);
    expect(checkKeepField('@timestamp')).toBeUndefined();
    expect(() => new KeepFields(['a.'])).toThrow(TypeError);
    const many = Array.from({ length: MAX_KEEP_FIELDS + 1 }, (_, k) => `f${k}`);
    expect(() => new KeepFields(many)).toThrow(`at most ${MAX_KEEP_FIELDS} fields can be kept`);
    expect(new KeepFields(many.slice(1)).all).toBe(2 ** MAX_KEEP_FIELDS - 1);
  });
});
