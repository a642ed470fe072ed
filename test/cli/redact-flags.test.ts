/**
 * The flags of `chat-redact redact` read into a policy and a mode: each bad flag named as the
 * user typed it, all of them at once; the keep-field defaults and how to drop them.
 */
import { describe, expect, it } from 'vitest';
import { UsageError, readRedactFlags, type OptionValues } from '../../src/cli/redact-flags.js';

const DEFAULT_FIELDS = ['time', 'timestamp', '@timestamp', 'ts'];

function problemOf(values: OptionValues): string {
  try {
    readRedactFlags(values);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('readRedactFlags', () => {
  it('reads nothing into the defaults: text mode, no allowed numbers, no date-times kept', () => {
    expect(readRedactFlags({})).toEqual({ policy: {}, json: undefined, stats: false });
  });

  it('folds --allow entries by the engine\'s rule and turns --keep-timestamps on', () => {
    expect(readRedactFlags({ allow: ['+47 21 49 60 00', '7694.05.20300'], 'keep-timestamps': true, stats: true })).toEqual({
      policy: { allow: ['4721496000', '76940520300'], keepTimestamps: true },
      json: undefined,
      stats: true,
    });
  });

  it('reads --keep as kept classes, comma-separated or repeated, and names what is no class', () => {
    expect(readRedactFlags({ keep: ['org_numbers,amounts', 'future_dates'] }).policy).toEqual({ keep: ['amounts', 'future_dates', 'org_numbers'] });
    expect(() => readRedactFlags({ keep: ['amounts,phones'] })).toThrow('--keep "phones" is no kept class: amounts, future_dates, org_numbers');
  });

  it('--json keeps the time-stamp fields; --keep-field adds to them; an empty one drops them', () => {
    expect(readRedactFlags({ json: true }).json).toEqual({ keepFields: DEFAULT_FIELDS });
    expect(readRedactFlags({ json: true, 'keep-field': ['req.id', 'time'] }).json).toEqual({ keepFields: [...DEFAULT_FIELDS, 'req.id'] });
    expect(readRedactFlags({ json: true, 'keep-field': ['', 'req.*'] }).json).toEqual({ keepFields: ['req.*'] });
    expect(readRedactFlags({ json: true, 'keep-field': [''] }).json).toEqual({ keepFields: [] });
  });

  it('names every bad flag at once, each as typed', () => {
    expect(problemOf({ allow: ['kundeservice', '7'], 'min-digits': '1', 'keep-field': ['x'] })).toBe(
      '--min-digits must be a whole number from 2 to 64, not "1"; ' +
        '--allow "kundeservice" is not a number: only digits, spaces, . , - / + ( ) may be written; ' +
        '--allow "7" has 1 digit; an allowed number has 2 to 64; --keep-field needs --json',
    );
    expect(problemOf({ json: true, 'keep-field': ['a..b'] })).toBe(
      '--keep-field "a..b" is not a dot path such as "req.headers.x-request-id" (an empty part)',
    );
    expect(problemOf({ json: true, 'keep-field': Array.from({ length: 30 }, (_, k) => `f${k}`) })).toBe(
      '--keep-field can name at most 31 fields',
    );
  });
});
