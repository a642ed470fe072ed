/**
 * The way out to the vendor: the one place where the connections of vendor requests are made —
 * the undici dispatcher of every HTTP request and the WebSocket of Direct Line's stream — and
 * handed to the shared core, which hands them to every adapter. What reaches a vendor takes
 * this road and no other, so a setting of the road (a keep-alive, an egress proxy) holds for
 * every request of every vendor kind.
 *
 * @module
 */
import { Agent, type Dispatcher } from 'undici';
import WebSocket, { type ClientOptions } from 'ws';

/** Idle keep-alive connections are kept this long (ms), below common server idle timeouts. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

/** How requests and streams reach the vendor. */
export interface VendorEgress {
  /** Every HTTP request to the vendor is sent through it. */
  readonly dispatcher: Dispatcher;
  /** A WebSocket to the vendor (Direct Line's activity stream), on the same road as the requests. */
  openWebSocket(url: string, options: ClientOptions): WebSocket;
  /** Release every connection; what is still in flight fails. */
  close(): Promise<void>;
}

/** Settings of {@link createVendorEgress}; each has a default. */
export interface VendorEgressOptions {
  /** How long an idle keep-alive connection is kept, in ms (default 4 s). */
  readonly keepAliveTimeoutMs?: number;
}

/**
 * The road to the vendor: a keep-alive pool for requests, and WebSockets opened directly.
 *
 * @example
 * ```ts
 * const egress = createVendorEgress();
 * await request(url, { dispatcher: egress.dispatcher });
 * const socket = egress.openWebSocket(streamUrl, { maxPayload: 1_048_576 });
 * ```
 */
export function createVendorEgress(options: VendorEgressOptions = {}): VendorEgress {
  const dispatcher = new Agent({ keepAliveTimeout: options.keepAliveTimeoutMs ?? KEEP_ALIVE_TIMEOUT_MS });
  return {
    dispatcher,
    openWebSocket: (url, socketOptions) => new WebSocket(url, socketOptions),
    close: () => dispatcher.destroy(),
  };
}
