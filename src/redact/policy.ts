/**
 * The redaction policy: which combinations are deleted and what stands in their place.
 *
 * @module
 */
import { z } from 'zod';
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
}

const codePointLength = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

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
