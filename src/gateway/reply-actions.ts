/**
 * A reply's buttons, quick replies and links as the widget may see them: labels redacted like
 * reply text, links passed only when they are `http(s)` and hold no sensitive combination (a
 * link that carries a number is dropped and counted as a redaction), and the vendor's payload
 * exchanged for an opaque id that the chat remembers. How a link is judged is `chatbot/link-check.ts`.
 *
 * @module
 */
import type { VendorAction } from '../chatbot/chatbot.js';
import { judgeLink } from '../chatbot/link-check.js';
import { normalizeLineBreaks } from '../line-breaks.js';
import type { Metrics } from '../observability/metrics.js';
import { redact, type Policy } from '../redact/index.js';
import type { ActionRegistry } from './action-registry.js';
import type { ActionView } from './protocol.js';

export interface ActionDeps {
  policy: Policy;
  metrics: Metrics;
  actions: ActionRegistry;
}

/**
 * The link the widget may open for `url`, or `undefined` when it may not (`link-check.ts`); a
 * link dropped for a number is counted as a redaction.
 */
export function checkLink(url: string, deps: Omit<ActionDeps, 'actions'>): string | undefined {
  const verdict = judgeLink(url, deps.policy);
  if (verdict.found !== undefined) deps.metrics.countRedactions('outbound', verdict.found);
  return verdict.href;
}

/**
 * The widget's view of `actions`, remembered in the chat's registry. An action with a link the
 * widget may not open is dropped whole: its label alone would be a button that does nothing.
 */
export function viewActions(actions: readonly VendorAction[], deps: ActionDeps): ActionView[] {
  const views: ActionView[] = [];
  for (const action of actions) {
    const url = action.url === undefined ? undefined : checkLink(action.url, deps);
    if (action.url !== undefined && url === undefined) continue;
    if (url === undefined && action.payload === undefined) continue;
    const label = redact(normalizeLineBreaks(action.label), deps.policy);
    deps.metrics.countRedactions('outbound', label);
    const id = deps.actions.remember({ label: label.text, ...(action.payload !== undefined && { payload: action.payload }) });
    views.push({ id, label: label.text, ...(url !== undefined && { url }), ...(url !== undefined && action.attachment !== undefined && { attachment: action.attachment }) });
  }
  return views;
}
