/**
 * The redaction policy: which combinations are deleted and what stands in their place.
 *
 * @module
 */
import { z } from 'zod';
import { ALLOW_LIMITS, foldAllowEntry } from './allow-list.js';
import { hasDigit } from './unicode.js';

/**
 * Bounds and defaults of the policy settings.
 *
 * @example
 * ```ts
 * POLICY_LIMITS.minDigits; // { min: 2, max: 64, default: 7 }
 * ```
 */
export const POLICY_LIMITS = {
  minDigits: { min: 2, max: 64, default: 7 },
  maxGap: { min: 0, max: 8, default: 3 },
  replacement: { maxLength: 64, default: '' },
  allow: ALLOW_LIMITS,
} as const;

/**
 * The settings a caller may give; every one is optional.
 *
 * @example
 * ```ts
 * const options: PolicyOptions = { minDigits: 8, maxGap: 1, replacement: '[removed]' };
 * redact('ring 98 76 54 32', options).text; // 'ring [removed]'
 * ```
 */
export interface PolicyOptions {
  /** Digits that make a combination sensitive (2–64, default 7). */
  minDigits?: number;
  /** Separators allowed between two digits (0–8, default 3; 0 = contiguous digits only). */
  maxGap?: number;
  /** What stands where a combination was (≤ 64 characters, no digit; default empty). */
  replacement?: string;
  /**
   * Public numbers that are kept verbatim: a combination whose digits (folded to 0–9) are exactly
   * an entry's digits is not deleted. At most 1000 entries of 2–64 digits; separators and
   * `+ ( )` in an entry are ignored, so list each number once however it is written
   * (`'+47 21 49 60 00'` and `'21 49 60 00'` are two numbers: with and without the country code).
   */
  allow?: readonly string[];
  /**
   * For logs, never for chat: keep complete date-times (`2026-12-01T07:45:18.123Z`,
   * `2026-12-01 07:45:18,123`, `Dec  1 07:45:18`, `01/Dec/2026:07:45:18 +0000`); a bare date is
   * still deleted. Default `false`.
   */
  keepTimestamps?: boolean;
}

/**
 * A validated, frozen policy, made by {@link createPolicy}. Every function that takes policy
 * options also takes one, and then skips validation.
 *
 * @example
 * ```ts
 * const policy: Policy = createPolicy({ replacement: '█' });
 * policy.minDigits; // 7
 * ```
 */
export interface Policy {
  readonly minDigits: number;
  readonly maxGap: number;
  readonly replacement: string;
  /** The allowed numbers' digits (folded to 0–9, each once), frozen; empty for none. */
  readonly allow: readonly string[];
  readonly keepTimestamps: boolean;
}

const codePointLength = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/** No allowed numbers: one frozen array, so that every policy without them shares its compiled list. */
const NO_ALLOWED_NUMBERS: readonly string[] = Object.freeze([]);

/**
 * The `allow` setting: each entry folded to its digits (duplicates dropped), one problem per bad
 * entry naming it.
 */
const allowSchema = z
  .array(z.string({ error: 'each allowed number must be a string' }))
  .max(ALLOW_LIMITS.maxEntries, { message: `must list at most ${ALLOW_LIMITS.maxEntries} numbers` })
  .transform((entries, ctx): readonly string[] => {
    const digits = new Set<string>();
    for (const entry of entries) {
      const folded = foldAllowEntry(entry);
      if ('problem' in folded) ctx.issues.push({ code: 'custom', message: folded.problem, input: entry });
      else digits.add(folded.digits);
    }
    return digits.size === 0 ? NO_ALLOWED_NUMBERS : Object.freeze([...digits]);
  })
  .default(NO_ALLOWED_NUMBERS);

/** The zod schema of {@link PolicyOptions}; unknown keys are an error. */
export const policySchema = z.strictObject({
  minDigits: z
    .int()
    .min(POLICY_LIMITS.minDigits.min)
    .max(POLICY_LIMITS.minDigits.max)
    .default(POLICY_LIMITS.minDigits.default),
  maxGap: z
    .int()
    .min(POLICY_LIMITS.maxGap.min)
    .max(POLICY_LIMITS.maxGap.max)
    .default(POLICY_LIMITS.maxGap.default),
  replacement: z
    .string()
    .refine((text) => codePointLength(text) <= POLICY_LIMITS.replacement.maxLength, {
      message: `must be at most ${POLICY_LIMITS.replacement.maxLength} characters`,
    })
    .refine((text) => !hasDigit(text), {
      message: 'must not contain a digit (it would be redacted again)',
    })
    .refine((text) => text.isWellFormed(), { message: 'must not contain a lone surrogate' })
    .default(POLICY_LIMITS.replacement.default),
  allow: allowSchema,
  keepTimestamps: z.boolean().default(false),
});

/**
 * Thrown for a policy that breaks the rules; `problems` holds one line per bad setting.
 *
 * @example
 * ```ts
 * try {
 *   createPolicy({ minDigits: 1, replacement: '0' });
 * } catch (error) {
 *   if (error instanceof PolicyError) console.error(error.problems);
 *   // ['minDigits: Too small: expected number to be >=2', 'replacement: must not contain a digit (…)']
 * }
 * ```
 */
export class PolicyError extends TypeError {
  override readonly name = 'PolicyError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid redaction policy: ${problems.join('; ')}`);
  }
}

/** Policies this module validated, so that passing one again costs no second validation. */
const validated = new WeakSet<Policy>();

function seal(policy: Policy): Policy {
  const frozen = Object.freeze(policy);
  validated.add(frozen);
  return frozen;
}

const DEFAULT_POLICY: Policy = seal(policySchema.parse({}));

/**
 * Validate policy options and fill in the defaults.
 *
 * @throws {@link PolicyError} listing every bad setting
 * @example
 * ```ts
 * createPolicy({ minDigits: 8, replacement: '[removed]' });
 * ```
 */
export function createPolicy(options: PolicyOptions = {}): Policy {
  const result = policySchema.safeParse(options);
  if (!result.success) {
    throw new PolicyError(
      result.error.issues.map((issue) => {
        const where = issue.path.length > 0 ? issue.path.join('.') : 'policy';
        return `${where}: ${issue.message}`;
      }),
    );
  }
  return seal(result.data);
}

/**
 * The policy to use for `options`: the default when none is given, the same object when it is a
 * policy already validated here, a newly validated one otherwise.
 *
 * @throws {@link PolicyError} listing every bad setting
 */
export function resolvePolicy(options?: PolicyOptions | Policy): Policy {
  if (options === undefined) return DEFAULT_POLICY;
  if (validated.has(options as Policy)) return options as Policy;
  return createPolicy(options);
}

/** The default policy: 7 digits, gaps of up to 3 separators, deleted without replacement. */
export const defaultPolicy: Policy = DEFAULT_POLICY;
