/**
 * A widget message's text made fit to go on: its line breaks written as `\n` (before redaction,
 * as a deletion can put a `\r` next to a `\n`), redacted by the gateway whatever the widget did
 * before sending, its leading digits deleted when they complete the chat's last message
 * (`split-numbers.ts`), and counted — the numbers the widget says it removed in the browser, and
 * what the gateway removed, its bytes and the time it took.
 *
 * @module
 */
import { normalizeLineBreaks } from '../line-breaks.js';
import type { Metrics } from '../observability/metrics.js';
import { COUNTED_KINDS, SPLIT_KIND, redact, type Policy, type RedactedText, type SplitNumbers } from '../redact/index.js';
import type { MessageFrame } from './protocol.js';

const MS_PER_SECOND = 1_000;

/**
 * The redacted text of `frame`, counted in `metrics`; with `split`, the chat's watch for a number
 * sent in pieces. Throws when redaction fails: the caller forwards nothing then.
 *
 * @example
 * ```ts
 * const { text, redactions } = redactInbound({ type: 'message', id: 'm1', text: 'fnr 01019012345' }, policy, metrics); // 'fnr ', 1
 * ```
 */
export function redactInbound(frame: MessageFrame, policy: Policy, metrics: Metrics, split?: SplitNumbers): { text: RedactedText; redactions: number } {
  if (frame.removed !== undefined) {
    for (const kind of COUNTED_KINDS) {
      const count = frame.removed[kind];
      if (count !== undefined && count > 0) metrics.widgetRedactions.inc({ kind }, count);
    }
  }
  const started = performance.now();
  const result = redact(normalizeLineBreaks(frame.text), policy);
  metrics.observeRedaction('inbound', result, Buffer.byteLength(frame.text), (performance.now() - started) / MS_PER_SECOND);
  if (split === undefined) return result;
  const joined = split.next(result.text, Date.now());
  if (!joined.split) return result;
  metrics.redactions.inc({ direction: 'inbound', kind: SPLIT_KIND });
  return { text: joined.text, redactions: result.redactions + 1 };
}
