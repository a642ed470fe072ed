/**
 * One-shot redaction of a whole text: the hot path of the gateway and the HTTP API.
 *
 * @module
 */
import { defaultPolicy, resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import type { Counts } from './redaction-counts.js';
import type { RedactedText } from './redacted-text.js';
import { TextScanner } from './text-scanner.js';

/**
 * What {@link redact} returns: the redacted text and what was counted on the way.
 *
 * @example
 * ```ts
 * const { text, redactions, kinds, allowed }: RedactResult = redact('ring 98 76 54 32');
 * // text 'ring ', redactions 1, kinds { phone: 1 }, allowed 0, kept 0, keptClasses {}
 * ```
 */
export interface RedactResult extends Counts {
  /** The text with every sensitive combination replaced. */
  readonly text: RedactedText;
}

/** One scanner per policy, reused: one-shot calls never interleave (JavaScript runs one at a time). */
const scanners = new WeakMap<Policy, TextScanner>();

const defaultScanner = new TextScanner(defaultPolicy);

function scannerFor(policy: Policy): TextScanner {
  if (policy === defaultPolicy) return defaultScanner;
  let scanner = scanners.get(policy);
  if (scanner === undefined) {
    scanner = new TextScanner(policy);
    scanners.set(policy, scanner);
  }
  return scanner;
}

/**
 * Delete every number combination of `minDigits` or more digits from `text`.
 *
 * Pass a policy made once with `createPolicy` on a hot path; plain options are validated on
 * every call.
 *
 * @throws `PolicyError` for invalid policy options
 * @example
 * ```ts
 * redact('Kontonummer: 7694.05.20300');
 * // { text: 'Kontonummer: ', redactions: 1, kinds: { bank_account: 1 }, allowed: 0, kept: 0, keptClasses: {} }
 * redact('fnr 010190 12345', { replacement: '[removed]' }).text; // 'fnr [removed]'
 * redact('Betal til 7694.05.20300', { allow: ['7694.05.20300'] });
 * // { text: 'Betal til 7694.05.20300', redactions: 0, kinds: {}, allowed: 1, kept: 0, keptClasses: {} }
 * redact('forfall 15.01.2099: 1 250 000,00 kr', { keep: ['amounts', 'future_dates'] }).keptClasses;
 * // { amounts: 1, future_dates: 1 }
 * ```
 */
export function redact(text: string, policy?: PolicyOptions | Policy): RedactResult {
  const scanner = scannerFor(resolvePolicy(policy));
  const counts = scanner.counts;
  counts.reset();
  const redacted = scanner.redactWhole(text);
  return { text: redacted, redactions: counts.redactions, kinds: counts.kinds, allowed: counts.allowed, kept: counts.kept, keptClasses: counts.keptClasses };
}
