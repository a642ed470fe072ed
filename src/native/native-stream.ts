/**
 * The native API's WebSocket bridge (SPEC §2 *Native endpoints*: Direct Line's stream). A client
 * upgrades at the gateway's address for the vendor's stream; its `Origin` is checked as the
 * chat's is (its own, or one of `ALLOWED_ORIGINS`). Then the gateway opens the vendor's stream
 * on the vendor road (`VendorClient.openWebSocket`, the egress every request takes) and only when
 * the vendor accepted it accepts the client's — a stream URL the vendor refuses (expired, used)
 * is refused to the client with the vendor's status, so the client renews it as the vendor's
 * rules say. From then on each message is passed through the module's redaction, or dropped;
 * a close on either side closes the other with its code and reason (Direct Line's `collision`
 * included), and the client reconnects as it would to the vendor. No text is ever logged.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import type { VendorClient } from '../chatbot/vendor-client.js';
import { MAX_JSON_BYTES } from '../chatbot/response-body.js';
import { HTTP_STATUS } from '../http-status.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Policy } from '../redact/index.js';
import type { NativeStream } from './native-api.js';
import { judgeOrigin } from './native-cors.js';
import { NativeText } from './native-text.js';

/** How long the vendor may take to accept its stream; Direct Line allows itself 60 s, a client waits less. */
const VENDOR_HANDSHAKE_TIMEOUT_MS = 20_000;
/** A client's own messages are keep-alives: none needs more. */
const CLIENT_MAX_PAYLOAD_BYTES = 4_096;
/** Close codes an endpoint may send (RFC 6455 §7.4): others stand for a close that had none. */
const SENDABLE_CLOSE = (code: number): boolean => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
const INTERNAL_ERROR_CLOSE = 1011;
/** A client that lets this much of the vendor's stream pile up unread is not reading: it is let go. */
const MAX_CLIENT_BACKLOG_BYTES = 4 * MAX_JSON_BYTES;

export interface NativeStreamOptions {
  readonly stream: NativeStream;
  readonly client: VendorClient;
  readonly policy: Policy;
  readonly allowedOrigins: readonly string[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly endpoint: string;
}

/** The bridge of a vendor's stream. */
export interface NativeStreamBridge {
  /** Take an `upgrade` when its path is the stream's; `false` leaves it to another endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Close every bridged stream (shutdown). */
  close(): void;
}

/** Answer an upgrade with a bare status: no WebSocket is opened. */
function refuse(socket: Duplex, status: number): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** Close `socket` as `code` and `reason` say, where a close may say them. */
function closeLike(socket: WebSocket, code: number, reason: Buffer): void {
  if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return;
  if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
  else if (SENDABLE_CLOSE(code)) socket.close(code, reason.subarray(0, 123));
  else socket.close(code === 1005 ? undefined : INTERNAL_ERROR_CLOSE);
}

/**
 * The bridge of `options.stream`.
 *
 * @example
 * ```ts
 * const bridge = createNativeStreamBridge({ stream: api.stream, client, policy, allowedOrigins, metrics, logger, endpoint: 'native' });
 * server.on('upgrade', (request, socket, head) => bridge.handleUpgrade(request, socket, head) || chat.handleUpgrade(request, socket, head));
 * ```
 */
export function createNativeStreamBridge(options: NativeStreamOptions): NativeStreamBridge {
  const { stream, client, policy, metrics, logger, endpoint } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: CLIENT_MAX_PAYLOAD_BYTES });
  const open = new Set<WebSocket>();

  /** Pass one message through `translate`, counting what was redacted. */
  function pass(direction: 'inbound' | 'outbound', data: RawData, isBinary: boolean, translate: (text: string, redaction: NativeText) => string | undefined): string | undefined {
    if (isBinary) return undefined;
    const redaction = new NativeText(policy);
    const started = process.hrtime.bigint();
    const text = translate(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'), redaction);
    const { tally } = redaction;
    if (tally.bytes > 0) metrics.observeRedaction(direction, tally, tally.bytes, Number(process.hrtime.bigint() - started) / 1e9, endpoint);
    return text;
  }

  function bridge(clientSocket: WebSocket, vendorSocket: WebSocket): void {
    open.add(clientSocket);
    open.add(vendorSocket);
    vendorSocket.on('message', (data, isBinary) => {
      const text = pass('outbound', data, isBinary, (message, outbound) => stream.toClient(message, outbound));
      if (text === undefined) logger.info({ endpoint }, 'native stream: a vendor message that could not be redacted was not passed on');
      else if (clientSocket.readyState === WebSocket.OPEN) {
        if (clientSocket.bufferedAmount > MAX_CLIENT_BACKLOG_BYTES) clientSocket.terminate();
        else clientSocket.send(text);
      }
    });
    clientSocket.on('message', (data, isBinary) => {
      const text = pass('inbound', data, isBinary, (message, inbound) => stream.toVendor(message, inbound));
      if (text !== undefined && vendorSocket.readyState === WebSocket.OPEN) vendorSocket.send(text);
    });
    vendorSocket.on('close', (code, reason) => {
      open.delete(vendorSocket);
      closeLike(clientSocket, code, reason);
    });
    clientSocket.on('close', (code, reason) => {
      open.delete(clientSocket);
      closeLike(vendorSocket, code, reason);
    });
    clientSocket.on('error', (error) => logger.info({ errorName: error.name }, 'native stream: client socket error'));
  }

  return {
    handleUpgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://gateway');
      if (!stream.matches(url.pathname)) return false;
      if (judgeOrigin(request, options.allowedOrigins) === 'refused') {
        logger.info({ endpoint }, 'native stream refused: origin');
        refuse(socket, HTTP_STATUS.forbidden);
        return true;
      }
      let vendorSocket: WebSocket;
      try {
        vendorSocket = client.openWebSocket(stream.vendorUrl(url.pathname, url.search), { maxPayload: MAX_JSON_BYTES, handshakeTimeout: VENDOR_HANDSHAKE_TIMEOUT_MS });
      } catch (error) {
        logger.warn({ errorName: (error as Error).name }, 'native stream: the vendor’s stream could not be opened');
        refuse(socket, HTTP_STATUS.badGateway);
        return true;
      }
      /** Until the vendor has answered the upgrade, the client's socket is ours to answer. */
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        socket.off('close', abandon);
        return true;
      };
      const abandon = (): void => {
        settled = true;
        vendorSocket.terminate();
      };
      socket.once('close', abandon);
      vendorSocket.on('error', (error) => {
        if (!settle()) return;
        logger.info({ errorName: error.name, code: (error as { code?: unknown }).code }, 'native stream: the vendor’s stream failed to open');
        refuse(socket, HTTP_STATUS.badGateway);
      });
      vendorSocket.once('unexpected-response', (_req, response) => {
        if (!settle()) return;
        // The vendor's refusal (403 for a used or expired stream URL, 404): the client renews as it would.
        refuse(socket, response.statusCode ?? HTTP_STATUS.badGateway);
        vendorSocket.terminate();
      });
      vendorSocket.once('open', () => {
        if (!settle()) {
          vendorSocket.close();
          return;
        }
        wss.handleUpgrade(request, socket, head, (clientSocket) => bridge(clientSocket, vendorSocket));
      });
      return true;
    },
    close() {
      for (const socket of open) socket.terminate();
      open.clear();
      wss.close();
    },
  };
}
