/**
 * The redaction policy: which combinations are deleted and what stands in their place, and its
 * validation — written out by hand, so that the engine loads no validation library (it runs in
 * browsers, where every kilobyte counts, and in Deno and Bun).
 *
 * One file over 300 lines: each setting's check and its plain message sit beside its default, so
 * that a setting is read in one place.
 *
 * @module
 */
import { ALLOW_LIMITS, foldAllowEntry } from './allow-list.js';
import { KEEP_CLASSES, type KeepClass } from './kept-classes.js';
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
  /**
   * Classes of numbers that identify nobody, kept verbatim: `amounts` (`1 250 000,00 kr`),
   * `future_dates` (`15.01.2099`), `org_numbers` (`923 609 016`). Digits that are a valid
   * national id, bank account or payment card are deleted however they are written. Default none.
   */
  keep?: readonly KeepClass[];
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
  /** The kept classes, each once, in {@link KEEP_CLASSES} order, frozen; empty for none. */
  readonly keep: readonly KeepClass[];
}

const codePointLength = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/** No allowed numbers: one frozen array, so that every policy without them shares its compiled list. */
const NO_ALLOWED_NUMBERS: readonly string[] = Object.freeze([]);

/**
 * One bad setting: `at` is where below the setting (`''`, or `.0` for an `allow` entry), `message`
 * what is wrong. The wording is zod 4's, which validated policies until the engine had to load
 * without it: `PolicyError.problems` read exactly as they did (test/redact/policy.test.ts holds
 * the two to the same lines).
 */
interface Problem {
  readonly at: string;
  readonly message: string;
}

/** The name of `value`'s type as zod's English messages give it (`NaN`, `Infinity`, `array`, `Date`). */
function typeName(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'number' : String(value);
  if (typeof value !== 'object') return typeof value;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const { constructor } = value as { constructor?: { name?: unknown } };
  return Object.getPrototypeOf(value) !== Object.prototype && 'constructor' in value && constructor ? String(constructor.name) : 'object';
}

const wrongType = (expected: string, value: unknown): Problem => ({ at: '', message: `Invalid input: expected ${expected}, received ${typeName(value)}` });

/** A whole number in `[min, max]`; every bound it breaks is a problem of its own, as in zod. */
function checkWholeNumber(value: unknown, { min, max }: { min: number; max: number }): Problem[] {
  if (typeof value !== 'number' || !Number.isFinite(value)) return [wrongType('number', value)];
  if (!Number.isInteger(value)) return [wrongType('int', value)];
  const problems: Problem[] = [];
  if (value > Number.MAX_SAFE_INTEGER) problems.push({ at: '', message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
  if (value < Number.MIN_SAFE_INTEGER) problems.push({ at: '', message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
  if (value < min) problems.push({ at: '', message: `Too small: expected number to be >=${min}` });
  if (value > max) problems.push({ at: '', message: `Too big: expected number to be <=${max}` });
  return problems;
}

function checkReplacement(value: unknown): Problem[] {
  if (typeof value !== 'string') return [wrongType('string', value)];
  const problems: string[] = [];
  if (codePointLength(value) > POLICY_LIMITS.replacement.maxLength) problems.push(`must be at most ${POLICY_LIMITS.replacement.maxLength} characters`);
  if (hasDigit(value)) problems.push('must not contain a digit (it would be redacted again)');
  if (!value.isWellFormed()) problems.push('must not contain a lone surrogate');
  return problems.map((message) => ({ at: '', message }));
}

/**
 * The `allow` setting: each entry folded to its digits (duplicates dropped), one problem per bad
 * entry naming it. Too many entries is the only problem then reported, and entries that are not
 * strings hide what is wrong with the others, as zod's array check and transform did.
 */
function readAllow(value: unknown, problems: Problem[]): readonly string[] {
  const tooMany = Array.isArray(value) && value.length > ALLOW_LIMITS.maxEntries;
  if (!Array.isArray(value) || tooMany) {
    problems.push(tooMany ? { at: '', message: `must list at most ${ALLOW_LIMITS.maxEntries} numbers` } : wrongType('array', value));
    return NO_ALLOWED_NUMBERS;
  }
  const entries: string[] = [];
  for (let index = 0; index < value.length; index++) {
    const entry: unknown = value[index];
    if (typeof entry === 'string') entries.push(entry);
    else problems.push({ at: `.${index}`, message: 'each allowed number must be a string' });
  }
  if (entries.length < value.length) return NO_ALLOWED_NUMBERS;
  const digits = new Set<string>();
  for (const entry of entries) {
    const folded = foldAllowEntry(entry);
    if ('problem' in folded) problems.push({ at: '', message: folded.problem });
    else digits.add(folded.digits);
  }
  return digits.size === 0 ? NO_ALLOWED_NUMBERS : Object.freeze([...digits]);
}

/** No kept classes: one frozen array shared by every policy without them. */
const NO_KEPT_CLASSES: readonly KeepClass[] = Object.freeze([]);

/** The `keep` setting: a list of known classes, read into {@link KEEP_CLASSES} order. */
function readKeep(value: unknown, problems: Problem[]): readonly KeepClass[] {
  if (!Array.isArray(value)) {
    problems.push(wrongType('array', value));
    return NO_KEPT_CLASSES;
  }
  const unknown = value.filter((entry) => !(KEEP_CLASSES as readonly unknown[]).includes(entry));
  for (const entry of unknown) {
    problems.push({ at: '', message: `${JSON.stringify(String(entry)).slice(0, 40)} is no kept class: ${KEEP_CLASSES.join(', ')}` });
  }
  const kept = KEEP_CLASSES.filter((name) => value.includes(name));
  return kept.length === 0 ? NO_KEPT_CLASSES : Object.freeze(kept);
}

/** Each setting's reader: the value to keep (the default when absent), and what is wrong with it. */
const SETTINGS: { readonly [K in keyof Policy]: (value: unknown, problems: Problem[]) => Policy[K] } = {
  minDigits: (value, problems) => readNumber(value, POLICY_LIMITS.minDigits, problems),
  maxGap: (value, problems) => readNumber(value, POLICY_LIMITS.maxGap, problems),
  replacement(value, problems) {
    if (value === undefined) return POLICY_LIMITS.replacement.default;
    problems.push(...checkReplacement(value));
    return value as string;
  },
  allow: (value, problems) => (value === undefined ? NO_ALLOWED_NUMBERS : readAllow(value, problems)),
  keepTimestamps(value, problems) {
    if (value === undefined) return false;
    if (typeof value !== 'boolean') problems.push(wrongType('boolean', value));
    return value === true;
  },
  keep: (value, problems) => (value === undefined ? NO_KEPT_CLASSES : readKeep(value, problems)),
};

function readNumber(value: unknown, limits: { min: number; max: number; default: number }, problems: Problem[]): number {
  if (value === undefined) return limits.default;
  problems.push(...checkWholeNumber(value, limits));
  return value as number;
}

/** The names of the policy settings, in the order a policy lists them. */
export const POLICY_SETTINGS = Object.freeze(Object.keys(SETTINGS) as Array<keyof PolicyOptions>);

/**
 * One setting read alone, for a caller that names the settings its own way (the command line's
 * flags, the gateway's variables): its value as a policy holds it, and one message per problem.
 *
 * @example
 * ```ts
 * readPolicySetting('allow', ['+47 21 49 60 00']); // { value: ['4721496000'], problems: [] }
 * readPolicySetting('replacement', 'x1').problems;  // ['must not contain a digit (it would be redacted again)']
 * ```
 */
export function readPolicySetting<K extends keyof PolicyOptions>(key: K, value: unknown): { value: Policy[K]; problems: string[] } {
  const problems: Problem[] = [];
  const read = SETTINGS[key](value, problems);
  return { value: read, problems: problems.map((problem) => problem.message) };
}

/** Validate `options` whole: the policy, or every problem as `setting: message` lines. */
function checkPolicy(options: unknown): { policy: Policy } | { problems: string[] } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return { problems: [`policy: ${wrongType('object', options).message}`] };
  }
  const problems: string[] = [];
  const policy: Record<string, unknown> = {};
  const given = options as Record<string, unknown>;
  for (const key of POLICY_SETTINGS) {
    const found: Problem[] = [];
    policy[key] = SETTINGS[key](given[key], found);
    problems.push(...found.map(({ at, message }) => `${key}${at}: ${message}`));
  }
  const unknown: string[] = [];
  // for…in, as zod: an inherited enumerable key is as unknown as an own one.
  for (const key in given) if (!(POLICY_SETTINGS as readonly string[]).includes(key)) unknown.push(`"${key}"`);
  if (unknown.length > 0) problems.push(`policy: Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  return problems.length > 0 ? { problems } : { policy: policy as unknown as Policy };
}

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

const DEFAULT_POLICY: Policy = seal(createCheckedPolicy({}));

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
  return seal(createCheckedPolicy(options));
}

function createCheckedPolicy(options: unknown): Policy {
  const checked = checkPolicy(options);
  if ('problems' in checked) throw new PolicyError(checked.problems);
  return checked.policy;
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
