import { describe, expect, it } from 'vitest';
import { PolicyError, StreamRedactor, createPolicy, defaultPolicy, redact } from '../../src/redact/index.js';

function problemsOf(options: unknown): readonly string[] {
  try {
    createPolicy(options as never);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).problems;
  }
  throw new Error('expected a PolicyError');
}

describe('policy', () => {
  it('has the documented defaults', () => {
    const defaults = { minDigits: 7, maxGap: 3, replacement: '', allow: [], keepTimestamps: false };
    expect(defaultPolicy).toEqual(defaults);
    expect(Object.isFrozen(defaultPolicy)).toBe(true);
    expect(createPolicy({ minDigits: 8 })).toEqual({ ...defaults, minDigits: 8 });
  });

  it('rejects each bad setting with a line naming it', () => {
    expect(problemsOf({ minDigits: 1 })[0]).toMatch(/^minDigits: .*>=2/);
    expect(problemsOf({ minDigits: 65 })[0]).toMatch(/^minDigits: .*<=64/);
    expect(problemsOf({ minDigits: 7.5 })[0]).toMatch(/^minDigits: /);
    expect(problemsOf({ maxGap: -1 })[0]).toMatch(/^maxGap: /);
    expect(problemsOf({ maxGap: 9 })[0]).toMatch(/^maxGap: .*<=8/);
    expect(problemsOf({ replacement: 'x1' })[0]).toBe(
      'replacement: must not contain a digit (it would be redacted again)',
    );
    expect(problemsOf({ replacement: '٣' })[0]).toMatch(/digit/);
    expect(problemsOf({ replacement: 'x'.repeat(65) })[0]).toBe('replacement: must be at most 64 characters');
    expect(problemsOf({ replacement: '\ud800' })[0]).toBe('replacement: must not contain a lone surrogate');
    expect(problemsOf({ minDigits: '7' })[0]).toMatch(/^minDigits: .*number/);
  });

  it('rejects unknown keys and lists every problem at once', () => {
    expect(problemsOf({ minDigit: 7 })[0]).toMatch(/minDigit/);
    const problems = problemsOf({ minDigits: 1, maxGap: 99, replacement: '9' });
    expect(problems).toHaveLength(3);
    const error = (() => {
      try {
        createPolicy({ minDigits: 1, maxGap: 99 });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^Invalid redaction policy: minDigits: .*; maxGap: /);
  });

  it('validates options given straight to redact and the stream redactor', () => {
    expect(() => redact('x', { minDigits: 1 })).toThrow(PolicyError);
    expect(() => new StreamRedactor({ replacement: '1' })).toThrow(PolicyError);
  });

  it('accepts a 64-character replacement counted in code points', () => {
    const replacement = '🔒'.repeat(64);
    expect(createPolicy({ replacement }).replacement).toBe(replacement);
    expect(redact('1234567', { replacement }).text).toBe(replacement);
  });
});

describe('policy: allowed numbers', () => {
  it('folds each entry to its digits, ignoring separators and + ( ), any script, each number once', () => {
    const policy = createPolicy({
      allow: ['+47 21 49 60 00', '21 49 60 00', '7694.05.20300', '7694 05 20300', '(0) ２１ ４９', '21\u200b49\u00a060-00'],
    });
    expect(policy.allow).toEqual(['4721496000', '21496000', '76940520300', '02149']);
    expect(Object.isFrozen(policy.allow)).toBe(true);
    // re-validating a policy's own fields gives the same list
    expect(createPolicy({ ...policy }).allow).toEqual(policy.allow);
  });

  it('names each bad entry on a line of its own, and refuses more than 1000', () => {
    expect(problemsOf({ allow: ['call us', '1', '98765432'] })).toEqual([
      'allow: "call us" is not a number: only digits, spaces, . , - / + ( ) may be written',
      'allow: "1" has 1 digit; an allowed number has 2 to 64',
    ]);
    expect(problemsOf({ allow: ['1'.repeat(65)] })[0]).toBe(`allow: "${'1'.repeat(40)}…" has 65 digits; an allowed number has 2 to 64`);
    expect(problemsOf({ allow: ['12', 'x\n34'] })).toEqual([
      'allow: "x\\n34" is not a number: only digits, spaces, . , - / + ( ) may be written',
    ]);
    expect(problemsOf({ allow: Array.from({ length: 1001 }, (_, k) => String(1_000_000 + k)) })[0]).toBe(
      'allow: must list at most 1000 numbers',
    );
    expect(problemsOf({ allow: [12345678] })[0]).toBe('allow.0: each allowed number must be a string');
    expect(problemsOf({ keepTimestamps: 'yes' })[0]).toMatch(/^keepTimestamps: .*boolean/);
  });

  it('accepts 1000 entries of 64 digits', () => {
    const allow = Array.from({ length: 1000 }, (_, k) => String(1000 + k).padStart(64, '5'));
    expect(createPolicy({ allow }).allow).toHaveLength(1000);
  });
});
