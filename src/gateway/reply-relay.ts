/**
 * One bot reply, from the vendor to the widget: every delta passes the streaming redactor, and
 * only what it releases is sent, so a number split across vendor chunks never reaches the widget.
 *
 * @module
 */
import { CodedError, type ErrorCode } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';
import { StreamRedactor, type Policy } from '../redact/index.js';
import type { RedactedText, VendorAdapter } from '../vendor/adapter.js';
import type { ReplyFrame } from './protocol.js';

export interface RelayRequest {
  conversationId: string;
  /** The widget's message id, used on the frames sent back to it. */
  id: string;
  /** The id the vendor sees: the widget's id, or a stand-in where it cannot have that (`VendorMessageIds`). */
  vendorMessageId: string;
  text: RedactedText;
}

export interface RelayDeps {
  vendor: VendorAdapter;
  policy: Policy;
  metrics: Metrics;
  /** Sends a frame to the widget. */
  send(frame: ReplyFrame): void;
}

/** How a relay ended: `ok`, or the error code the widget is to be told. */
export type RelayOutcome = { ok: true } | { ok: false; code: ErrorCode; error: unknown };

/**
 * Relay one reply. It never throws: a vendor failure is returned as the error code to report,
 * after whatever part of the reply was already released has been sent.
 */
export async function relayReply(request: RelayRequest, deps: RelayDeps, signal: AbortSignal): Promise<RelayOutcome> {
  const redactor = new StreamRedactor(deps.policy);
  let bytes = 0;
  let seconds = 0;
  const release = (text: string, final: boolean): void => {
    if (text !== '' || final) deps.send({ type: 'reply', id: request.id, text, final });
  };
  const timed = (step: () => string): string => {
    const started = performance.now();
    const out = step();
    seconds += (performance.now() - started) / 1000;
    return out;
  };
  try {
    const reply = deps.vendor.reply(
      { conversationId: request.conversationId, messageId: request.vendorMessageId, text: request.text },
      signal,
    );
    for await (const delta of reply) {
      bytes += Buffer.byteLength(delta);
      release(timed(() => redactor.push(delta)), false);
    }
    release(timed(() => redactor.end()), true);
    return { ok: true };
  } catch (error) {
    // What the redactor still holds is a short digit run or a gap: safe, and part of the reply.
    release(timed(() => redactor.end()), false);
    return { ok: false, code: error instanceof CodedError ? error.code : 'internal', error };
  } finally {
    deps.metrics.observeRedaction('outbound', redactor, bytes, seconds);
  }
}
