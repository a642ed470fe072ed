/**
 * Redaction on the user's device: the engine's own one-shot `redact()`, with the gateway's
 * policy, run on a message before it is sent, so that a number the user typed never leaves the
 * browser — nor a number sent in pieces (`split-numbers.ts`): the leading digits of a message
 * that would complete the last one's are deleted too. The gateway does both all the same.
 *
 * @module
 */
import { redact } from '../redact/redact.js';
import { POLICY_SETTINGS, createPolicy, defaultPolicy, type Policy } from '../redact/policy.js';
import { SPLIT_KIND, SplitNumbers, type CountedKindCounts } from '../redact/split-numbers.js';

/**
 * Where the gateway serves its policy (`src/http/widget-policy-route.ts`).
 *
 * @example
 * ```ts
 * await fetch(new URL(WIDGET_POLICY_PATH, 'https://chat.example.no')); // GET /widget-policy.json
 * ```
 */
export const WIDGET_POLICY_PATH = '/widget-policy.json';

/**
 * What redacting one message on the device gave.
 *
 * @example
 * ```ts
 * const local: LocalRedaction = createLocalRedactor().redact('ring 98 76 54 32'); // { text: 'ring ', redactions: 1, removed: { phone: 1 } }
 * ```
 */
export interface LocalRedaction {
  /** The text as it will be sent. */
  readonly text: string;
  /** How many combinations were deleted. */
  readonly redactions: number;
  /** Deletions by kind (`split` for a number sent in pieces), for the message frame's `removed`; kinds with none are absent. */
  readonly removed: CountedKindCounts;
  /** The leading digits were deleted: they would complete the number the last message ended in. */
  readonly split: boolean;
}

/**
 * Redacts messages on the device with one policy.
 *
 * @example
 * ```ts
 * const redactor: LocalRedactor = createLocalRedactor(policy);
 * hint.hidden = redactor.redact(input.value).redactions === 0;
 * ```
 */
export interface LocalRedactor {
  readonly policy: Policy;
  /** Redact `text` as it would be sent now, remembering nothing: what the widget's hint counts while the user types. */
  redact(text: string): LocalRedaction;
  /** Redact `text` to send it now: as {@link LocalRedactor.redact}, and remember how it ends for the next message. */
  take?(text: string): LocalRedaction;
}

/**
 * A redactor for `policy` (default: the engine's defaults).
 *
 * @example
 * ```ts
 * const local = createLocalRedactor(await fetchWidgetPolicy('https://chat.example.no'));
 * local.redact('ring 98 76 54 32'); // { text: 'ring ', redactions: 1, removed: { phone: 1 }, split: false }
 * local.take('fnr 010190');
 * local.redact('12345 takk'); // { text: ' takk', redactions: 1, removed: { split: 1 }, split: true }
 * ```
 */
export function createLocalRedactor(policy: Policy = defaultPolicy, now: () => number = Date.now): LocalRedactor {
  const pieces = new SplitNumbers(policy);
  const local = (text: string, remember: boolean): LocalRedaction => {
    const result = redact(text, policy);
    const joined = remember ? pieces.next(result.text, now()) : pieces.peek(result.text, now());
    const removed: CountedKindCounts = { ...result.kinds };
    if (joined.split) removed[SPLIT_KIND] = 1;
    return { text: joined.text, redactions: result.redactions + (joined.split ? 1 : 0), removed, split: joined.split };
  };
  return { policy, redact: (text) => local(text, false), take: (text) => local(text, true) };
}

/**
 * The policy in a gateway's answer. Settings this engine does not know are left out — a newer
 * gateway may know more — and the rest is validated by the engine itself.
 *
 * @throws `PolicyError` when a known setting is out of range
 *
 * @example
 * ```ts
 * const policy = readWidgetPolicy({ minDigits: 8, maxGap: 3, replacement: '', allow: [] });
 * policy.minDigits; // 8
 * ```
 */
export function readWidgetPolicy(value: unknown): Policy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('The widget policy is not a JSON object.');
  const known: readonly string[] = POLICY_SETTINGS;
  return createPolicy(Object.fromEntries(Object.entries(value).filter(([key]) => known.includes(key))));
}

/**
 * Fetch the policy of the gateway at `baseUrl` (`https://chat.example.no`).
 *
 * @throws when the gateway cannot be reached, answers other than 200, or sends no valid policy
 *
 * @example
 * ```ts
 * const redactor = createLocalRedactor(await fetchWidgetPolicy('https://chat.example.no'));
 * ```
 */
export async function fetchWidgetPolicy(baseUrl: string | URL, fetchPolicy: typeof fetch = fetch): Promise<Policy> {
  const response = await fetchPolicy(new URL(WIDGET_POLICY_PATH, baseUrl), { credentials: 'omit', cache: 'no-cache' });
  if (!response.ok) throw new Error(`The gateway answered ${response.status} for its widget policy.`);
  return readWidgetPolicy(await response.json());
}
