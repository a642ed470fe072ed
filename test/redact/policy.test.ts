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
    expect(defaultPolicy).toEqual({ minDigits: 7, maxGap: 3, replacement: '' });
    expect(Object.isFrozen(defaultPolicy)).toBe(true);
    expect(createPolicy({ minDigits: 8 })).toEqual({ minDigits: 8, maxGap: 3, replacement: '' });
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
