/**
 * One bot reply, from the vendor to the widget: every delta passes the streaming redactor, and
 * only what it releases is sent, so a number split across vendor chunks never reaches the widget.
 *
 * @module
 */
import { CodedError, type ErrorCode } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';
import { StreamRedactor, type Policy } from '../redact/index.js';
import type { RedactedText, VendorAdapter } from '../chatbot/adapter.js';
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
  const frames = new FrameBatcher(request.id, deps.send);
  let bytes = 0;
  let seconds = 0;
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
      frames.add(timed(() => redactor.push(delta)));
    }
    frames.add(timed(() => redactor.end()));
    frames.close(true);
    return { ok: true };
  } catch (error) {
    // What the redactor still holds is a short digit run or a gap: safe, and part of the reply.
    frames.add(timed(() => redactor.end()));
    frames.close(false);
    return { ok: false, code: error instanceof CodedError ? error.code : 'internal', error };
  } finally {
    deps.metrics.observeRedaction('outbound', redactor, bytes, seconds);
  }
}

/**
 * Gathers the text released within one turn of the event loop into one frame. A streamed reply
 * arrives a word or a token at a time, and one frame per delta cost one socket write each
 * (measured: `writev` was half the gateway's CPU with the demo bot); a JSON reply, whose parts
 * all arrive in one turn, becomes one final frame.
 */
class FrameBatcher {
  #text = '';
  #scheduled = false;
  #closed = false;

  constructor(
    private readonly id: string,
    private readonly send: (frame: ReplyFrame) => void,
  ) {}

  add(text: string): void {
    if (text === '' || this.#closed) return;
    this.#text += text;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#closed) this.#flush(false);
    });
  }

  /** Send what is left: as the final frame, or (after a failure) as a last non-final one. */
  close(final: boolean): void {
    this.#closed = true;
    this.#flush(final);
  }

  #flush(final: boolean): void {
    if (this.#text === '' && !final) return;
    this.send({ type: 'reply', id: this.id, text: this.#text, final });
    this.#text = '';
  }
}
