/**
 * The seam between the gateway and a chatbot vendor.
 *
 * @module
 */

import type { RedactedText } from '../redact/index.js';

export type { RedactedText };

/** One widget message, redacted, on its way to the vendor. */
export interface VendorRequest {
  /** Stable for one chat connection. */
  readonly conversationId: string;
  /** The widget's message id. */
  readonly messageId: string;
  readonly text: RedactedText;
}

/**
 * A chatbot vendor. `reply` yields the reply's text in order, as it arrives (one delta per SSE
 * event, or one per reply of a JSON answer, separate replies joined by a blank line). It may
 * retry only until it has yielded its first delta. It fails with a `CodedError` whose code is
 * `vendor_unavailable`, `vendor_timeout` or `vendor_error`, and stops when `signal` aborts.
 */
export interface VendorAdapter {
  reply(request: VendorRequest, signal: AbortSignal): AsyncIterable<string>;
  /** Release connections; pending replies end. */
  close(): Promise<void>;
}
