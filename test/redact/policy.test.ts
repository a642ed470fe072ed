import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ALLOW_LIMITS,
  KEEP_CLASSES,
  POLICY_LIMITS,
  PolicyError,
  StreamRedactor,
  createPolicy,
  defaultPolicy,
  foldAllowEntry,
  redact,
} from '../../src/redact/index.js';
import { hasDigit } from '../../src/redact/unicode.js';

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
    const defaults = { minDigits: 7, maxGap: 3, replacement: '', allow: [], keepTimestamps: false, keep: [] };
    expect(defaultPolicy).toEqual(defaults);
    expect(Object.isFrozen(defaultPolicy)).toBe(true);
    expect(createPolicy({ minDigits: 8 })).toEqual({ ...defaults, minDigits: 8 });
  });

  it('reads keep: known classes once each, in their own order; anything else named', () => {
    expect(createPolicy({ keep: ['org_numbers', 'amounts', 'amounts'] }).keep).toEqual(['amounts', 'org_numbers']);
    expect(Object.isFrozen(createPolicy({ keep: ['amounts'] }).keep)).toBe(true);
    expect(problemsOf({ keep: ['amounts', 'phones'] })).toEqual(['keep: "phones" is no kept class: amounts, future_dates, org_numbers']);
    expect(problemsOf({ keep: 'amounts' })).toEqual(['keep: Invalid input: expected array, received string']);
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

/**
 * The schema policies were validated with until the engine had to load without zod, kept here as
 * the judge of the hand-written checks: every problem line must read as it did.
 */
const codePoints = (text: string): number => [...text].length;
const zodPolicySchema = z.strictObject({
  minDigits: z.int().min(POLICY_LIMITS.minDigits.min).max(POLICY_LIMITS.minDigits.max).default(POLICY_LIMITS.minDigits.default),
  maxGap: z.int().min(POLICY_LIMITS.maxGap.min).max(POLICY_LIMITS.maxGap.max).default(POLICY_LIMITS.maxGap.default),
  replacement: z
    .string()
    .refine((text) => codePoints(text) <= POLICY_LIMITS.replacement.maxLength, { message: 'must be at most 64 characters' })
    .refine((text) => !hasDigit(text), { message: 'must not contain a digit (it would be redacted again)' })
    .refine((text) => text.isWellFormed(), { message: 'must not contain a lone surrogate' })
    .default(''),
  allow: z
    .array(z.string({ error: 'each allowed number must be a string' }))
    .max(ALLOW_LIMITS.maxEntries, { message: `must list at most ${ALLOW_LIMITS.maxEntries} numbers` })
    .transform((entries, ctx) => {
      const digits = new Set<string>();
      for (const entry of entries) {
        const folded = foldAllowEntry(entry);
        if ('problem' in folded) ctx.issues.push({ code: 'custom', message: folded.problem, input: entry });
        else digits.add(folded.digits);
      }
      return [...digits];
    })
    .default([]),
  keepTimestamps: z.boolean().default(false),
  keep: z.array(z.enum(KEEP_CLASSES)).default([]),
});

function zodProblems(options: unknown): readonly string[] | undefined {
  // createPolicy() takes no options as {}, as it always did.
  const result = zodPolicySchema.safeParse(options === undefined ? {} : options);
  if (result.success) return undefined;
  return result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'policy'}: ${issue.message}`);
}

function handWrittenProblems(options: unknown): readonly string[] | undefined {
  try {
    createPolicy(options as never);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).problems;
  }
}

class Custom {}
/** Values of every JavaScript type zod names differently, and the edges of each setting. */
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, true, false, Number.NaN, Infinity, -Infinity, 0, -0, 1, 2, 7, 8, 9, 64, 65, 2 ** 53, -(2 ** 53), 1e20, 7.5, 7n),
  fc.integer({ min: -100, max: 100 }),
  fc.double(),
  fc.string({ maxLength: 70 }),
  fc.constantFrom('', 'x1', '٣', '\ud800', '[fjernet]', '🔒'.repeat(65), 'x'.repeat(65)),
  fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('+47 21 49 60 00', '7694.05.20300', '1', '１２'), fc.integer()), { maxLength: 5 }),
  fc.constantFrom([], {}, new Date(0), new Map(), new Custom(), Object.create(null) as object, () => 1, Symbol.for('s')),
);
const options = fc.oneof(
  fc.record(
    { minDigits: anyValue, maxGap: anyValue, replacement: anyValue, allow: anyValue, keepTimestamps: anyValue, minDigit: anyValue, extra: anyValue },
    { requiredKeys: [] },
  ),
  anyValue,
);

describe('policy: the hand-written checks read as zod did', () => {
  it('gives the same problem lines as the zod schema for any options (property)', () => {
    fc.assert(
      fc.property(options, (given) => {
        expect(handWrittenProblems(given)).toEqual(zodProblems(given));
      }),
      { numRuns: 3_000 },
    );
  });

  it('agrees on the edges: too many entries, entries that are no strings, inherited keys', () => {
    const many = Array.from({ length: 1001 }, (_, k): unknown => (k % 100 === 5 ? k : String(1_000_000 + k)));
    const inherited = Object.create({ minDigits: 1, other: 2 }) as object;
    for (const given of [{ allow: many }, { allow: [5, 'x', '1'] }, { allow: [, '12'] }, inherited, { minDigits: 1e20, maxGap: 0.5 }]) {
      expect(handWrittenProblems(given)).toEqual(zodProblems(given));
    }
  });

  it('fills in the same defaults and keeps what is valid', () => {
    for (const given of [{}, { minDigits: 8, replacement: '[x]' }, { allow: ['+47 21 49 60 00', '21 49 60 00', '21.49.60.00'], keepTimestamps: true }]) {
      expect({ ...createPolicy(given) }).toEqual(zodPolicySchema.parse(given));
    }
  });
});
