/**
 * The one judge of leaks: whether a frame, request body, log line, metric or HTTP answer holds
 * a sensitive number combination, decided by the plain reference reading of the policy
 * (`reference.ts`, written apart from the engine), never by the engine's own `redact()` — a
 * check must not be judged by the code it checks.
 *
 * The tests import it directly; the benchmarks and the soak (plain JavaScript) load this same
 * file through `bench/lib/judge.js`, so there is one judge and no copy of it.
 */
import { DEFAULTS, findCombinations, type ReferencePolicy } from './reference.js';

/** Fields pino writes of its own on every line: a clock, a process id, a machine name. */
export const LOGGER_OWN_FIELDS: readonly string[] = ['time', 'pid', 'hostname'];

/** Sensitive combinations (`minDigits` or more digits) in `text`, by the reference. */
export function countLeaks(text: string, policy: ReferencePolicy = DEFAULTS): number {
  let leaks = 0;
  for (const combination of findCombinations(text, policy.maxGap)) if (combination.digits.length >= policy.minDigits) leaks += 1;
  return leaks;
}

/**
 * Sensitive combinations in what a client reads of a JSON value: its strings as they are once
 * parsed, each on a line of its own — not the JSON text, whose escapes (`\u0000`, `\ud835`) are
 * digits no reader sees. `skip` sets aside fields (by key) or string values that are no user text.
 */
export function countJsonLeaks(value: unknown, skip: (key: string, field: unknown) => boolean = () => false, policy: ReferencePolicy = DEFAULTS): number {
  const texts: string[] = [];
  JSON.stringify(value, (key, field: unknown) => {
    if (key !== '' && skip(key, field)) return undefined;
    if (typeof field === 'string') texts.push(field);
    return field;
  });
  return countLeaks(texts.join('\n'), policy);
}

/**
 * Sensitive combinations in a log line, pino's own fields aside; a line that is not JSON is
 * judged whole.
 */
export function countLogLineLeaks(line: string | Record<string, unknown>, policy: ReferencePolicy = DEFAULTS): number {
  let fields: unknown = line;
  if (typeof line === 'string') {
    try {
      fields = JSON.parse(line);
    } catch {
      return countLeaks(line, policy);
    }
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return countLeaks(JSON.stringify(fields), policy);
  const rest = Object.fromEntries(Object.entries(fields).filter(([key]) => !LOGGER_OWN_FIELDS.includes(key)));
  return countLeaks(JSON.stringify(rest), policy);
}

/** A sample's value at the end of its line, and a histogram bucket's bound. */
const SAMPLE_VALUE = / \S+$/;
const BUCKET_BOUND = /le="[^"]*"/;

/**
 * Sensitive combinations in a Prometheus text exposition, sample values and histogram bounds
 * aside: those are counts and the code's own constants (`le="0.0000025"` reads as eight
 * digits), not content. Comments (`# HELP`, `# TYPE`) are the code's own text too.
 */
export function countMetricsLeaks(exposition: string, policy: ReferencePolicy = DEFAULTS): number {
  let leaks = 0;
  for (const line of exposition.split('\n')) {
    if (line !== '' && !line.startsWith('#')) leaks += countLeaks(line.replace(SAMPLE_VALUE, '').replace(BUCKET_BOUND, ''), policy);
  }
  return leaks;
}
