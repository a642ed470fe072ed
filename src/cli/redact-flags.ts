/**
 * The flags of `chat-redact redact`, read into a policy and a mode: every bad flag is reported at
 * once, each by the name the user typed.
 *
 * @module
 */
import type { parseArgs } from 'node:util';
import { chooseKeepFields } from '../redact/keep-fields.js';
import { POLICY_LIMITS, readPolicySetting, type PolicyOptions } from '../redact/policy.js';

/** A command line that cannot be run; main prints it on one line and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The options of both commands, as `parseArgs` reads them. */
export const OPTIONS = {
  'min-digits': { type: 'string' },
  'max-gap': { type: 'string' },
  replacement: { type: 'string' },
  allow: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  'keep-field': { type: 'string', multiple: true },
  'keep-timestamps': { type: 'boolean', default: false },
  keep: { type: 'string', multiple: true },
  stats: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** The values `parseArgs` hands over for {@link OPTIONS} (`strict: false` lets any through). */
export type OptionValues = Partial<ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']>;

/** What the flags of `redact` ask for. */
export interface RedactFlags {
  policy: PolicyOptions;
  /** JSON-lines mode and the fields it keeps; `undefined` for text mode. */
  json: { keepFields: readonly string[] } | undefined;
  stats: boolean;
}

/** The flag that sets each policy setting, so that problems name what the user typed. */
const POLICY_FLAGS: Readonly<Record<keyof PolicyOptions, string>> = {
  minDigits: '--min-digits',
  maxGap: '--max-gap',
  replacement: '--replacement',
  allow: '--allow',
  keepTimestamps: '--keep-timestamps',
  keep: '--keep',
};

function readWholeNumber(flag: 'minDigits' | 'maxGap', value: string, problems: string[]): number {
  const { min, max } = POLICY_LIMITS[flag];
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    problems.push(`${POLICY_FLAGS[flag]} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return number;
}

/** A setting through the engine's own rule, so the flag and the library cannot drift apart. */
function readSetting<K extends 'replacement' | 'allow' | 'keep'>(key: K, value: unknown, problems: string[]): PolicyOptions[K] {
  const checked = readPolicySetting(key, value);
  if (checked.problems.length === 0) return checked.value as PolicyOptions[K];
  problems.push(...checked.problems.map((problem) => `${POLICY_FLAGS[key]} ${problem}`));
  return undefined;
}

/**
 * Read the flags of `redact`.
 *
 * @throws {@link UsageError} naming every bad flag
 * @example
 * ```ts
 * readRedactFlags({ allow: ['21 49 60 00'], json: true, 'keep-field': ['req.id'] });
 * // { policy: { allow: ['21496000'] }, json: { keepFields: ['time', 'timestamp', '@timestamp', 'ts', 'req.id'] }, stats: false }
 * ```
 */
export function readRedactFlags(values: OptionValues): RedactFlags {
  const problems: string[] = [];
  const policy: PolicyOptions = {};
  if (typeof values['min-digits'] === 'string') policy.minDigits = readWholeNumber('minDigits', values['min-digits'], problems);
  if (typeof values['max-gap'] === 'string') policy.maxGap = readWholeNumber('maxGap', values['max-gap'], problems);
  if (typeof values.replacement === 'string') policy.replacement = readSetting('replacement', values.replacement, problems);
  if (Array.isArray(values.allow)) policy.allow = readSetting('allow', values.allow, problems);
  if (values['keep-timestamps'] === true) policy.keepTimestamps = true;
  if (Array.isArray(values.keep)) policy.keep = readSetting('keep', values.keep.flatMap((list) => list.split(',')).map((name) => name.trim()), problems);
  const named = Array.isArray(values['keep-field']) ? values['keep-field'] : undefined;
  if (named !== undefined && values.json !== true) problems.push('--keep-field needs --json');
  let json: RedactFlags['json'];
  if (values.json === true) {
    const chosen = chooseKeepFields(named ?? []);
    problems.push(...chosen.problems.map((problem) => `--keep-field ${problem}`));
    json = { keepFields: chosen.fields };
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { policy, json, stats: values.stats === true };
}
