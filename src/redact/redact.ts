/**
 * One-shot redaction of a whole text: the hot path of the gateway and the HTTP API.
 *
 * @module
 */
import { defaultPolicy, resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import { EMPTY_KEPT, EMPTY_KINDS, type Counts } from './redaction-counts.js';
import type { RedactedText } from './redacted-text.js';
import { TextScanner } from './text-scanner.js';
import { createChangeCheck, findChange } from './utf16-codec.js';

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

/**
 * What one-shot calls of a policy share: its scanner, reused (one-shot calls never interleave:
 * JavaScript runs one at a time), and the check that most chat messages pass without it.
 */
interface OneShot {
  readonly scanner: TextScanner;
  /**
   * `createChangeCheck`: text it does not match comes back as it is, nothing counted, after one
   * regex pass instead of the well-formed check, the finder and the counts read back. Per message
   * of the chat corpus, against the naive replace's CPU time (bench/micro/engine-builds.js, builds
   * interleaved in one process, machine loaded by other work): every message 2.05× → 1.86× on
   * Node 20, 1.53× → 1.38× on Node 26; messages without a digit 1.33× → 1.0×, 0.90× → 0.62×.
   * With `g`, where it matched is where the scan goes on (`TextScanner.redactChanged`): the
   * finder no longer reads the text again from 0, the well-formed check reads from there, and a
   * message whose only match is an emoji is not scanned. Naive replace's CPU time over
   * `redact()`'s, fresh processes (bench/micro/engine-processes.js, 4 a build, machine loaded by
   * other work): every message 0.57× → 0.61× on Node 20, 0.65× → 0.70× on Node 26; messages with
   * a number deleted 0.18× → 0.21×, 0.19× → 0.21×.
   * A match on an emoji is passed over and the check goes on after it (`findChange`): such a
   * message no longer pays the well-formed check, a finder call and the counts read back.
   * Emoji without a digit (4.6% of the corpus), naive replace's CPU time over `redact()`'s,
   * fresh processes (engine-processes.js, 8 a build, two runs, load 8–11): 0.31× → 0.40× and
   * 0.33× → 0.37× on Node 20, 0.38× → 0.44× and 0.37× → 0.44× on Node 26; every message within
   * the noise (0.69× → 0.67×, 0.67× → 0.69×; 0.84× → 0.82×, 0.83× → 0.83×). With the check's
   * single-unit alternatives in one class (`createChangeCheck`), against the build before both
   * (8 processes a build, load ~11): every message 0.67× → 0.69× on Node 20, 0.80× → 0.83× on
   * Node 26; emoji 0.30× → 0.51×, 0.37× → 0.52×; other two-byte text without a digit 0.43× →
   * 0.47×, 0.46× → 0.50×; digits, none deleted 0.68× → 0.75×, 0.80× → 0.86×. A text without a
   * match returns from the first `test` as before: written as one condition with `findChange`,
   * Latin-1 text without a digit read 1.36× → 1.28× on Node 26 (0.87× → 0.90× on Node 20);
   * as two returns 1.36× → 1.32× and 0.87× → 0.94× (the same A/B, against that build).
   */
  readonly changes: RegExp;
}

function oneShotFor(policy: Policy): OneShot {
  return { scanner: new TextScanner(policy), changes: createChangeCheck(policy.minDigits, policy.maxGap, 'g') };
}

const oneShots = new WeakMap<Policy, OneShot>();
const defaultOneShot = oneShotFor(defaultPolicy);

function oneShotOf(policy: Policy): OneShot {
  if (policy === defaultPolicy) return defaultOneShot;
  let oneShot = oneShots.get(policy);
  if (oneShot === undefined) {
    oneShot = oneShotFor(policy);
    oneShots.set(policy, oneShot);
  }
  return oneShot;
}

/** The result of a text that is its own redaction: nothing counted. */
function unchanged(text: string): RedactResult {
  return { text: text as RedactedText, redactions: 0, kinds: EMPTY_KINDS, allowed: 0, kept: 0, keptClasses: EMPTY_KEPT };
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
  const { scanner, changes } = oneShotOf(resolvePolicy(policy));
  changes.lastIndex = 0;
  if (!changes.test(text)) return unchanged(text);
  const first = findChange(text, changes, scanner.policy.minDigits);
  if (first < 0) return unchanged(text);
  const counts = scanner.counts;
  counts.reset();
  const redacted = scanner.redactChanged(text, first);
  return { text: redacted, redactions: counts.redactions, kinds: counts.kinds, allowed: counts.allowed, kept: counts.kept, keptClasses: counts.keptClasses };
}
