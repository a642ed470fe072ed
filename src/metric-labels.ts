/**
 * The label values of the service's metrics, gathered from the parts whose vocabulary they are:
 * the engine's kinds (and `split`, a number sent in pieces), the session part's outcomes, the gateway's refusal reasons and the error
 * registry's close codes. Observability counts them and owns none of them; the composition root
 * hands this to `createMetrics`.
 *
 * @module
 */
import { CLOSE_CODES, UNCHOSEN_CLOSE_CODES } from './errors.js';
import { UPGRADE_REFUSALS } from './gateway/upgrade-policy.js';
import { closeCodeLabels, type MetricLabels } from './observability/metrics.js';
import { COUNTED_KINDS, KEEP_CLASSES } from './redact/index.js';
import { SESSION_OUTCOMES } from './session/chat-session.js';

/**
 * Every label set of the metrics. Closes are counted by the codes the gateway closes with and the
 * two reported locally (1005: closed without a code; 1006: connection lost); `ws`'s 1002 and what
 * a peer picks count as `other`.
 */
export const METRIC_LABELS: MetricLabels = Object.freeze({
  kinds: COUNTED_KINDS,
  keptClasses: KEEP_CLASSES,
  sessionOutcomes: SESSION_OUTCOMES,
  upgradeRefusals: UPGRADE_REFUSALS,
  closeCodes: Object.freeze([...Object.values(CLOSE_CODES), UNCHOSEN_CLOSE_CODES.noStatusReceived, UNCHOSEN_CLOSE_CODES.abnormalClosure]),
});

/** The `code` label values of `ws_closes_total`: {@link METRIC_LABELS}' close codes, then `other`. */
export const WS_CLOSE_LABELS: readonly string[] = closeCodeLabels(METRIC_LABELS.closeCodes);
