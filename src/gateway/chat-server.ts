/**
 * The chat WebSocket endpoint: upgrade checks, the open connections, and the drain on shutdown.
 *
 * @module
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { ClientAddressOf } from '../client-address.js';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES, UNCHOSEN_CLOSE_CODES } from '../errors.js';
import { HTTP_STATUS } from '../http-status.js';
import { normalizeLineBreaks } from '../line-breaks.js';
import type { Metrics } from '../observability/metrics.js';
import { NOTICE_LANGUAGES, maxUnreadBytes, noticeLanguageOf, type ChatContext } from './chat-context.js';
import { ChatConnection, type ConnectionDeps } from './connection.js';
import { readResumeIntent } from './resume-intent.js';
import { HEARTBEAT_INTERVAL_MS, startHeartbeat } from './heartbeat.js';
import { WriteCoalescer } from './write-coalescer.js';
import { CHAT_SUBPROTOCOL, createUpgradePolicy, type UpgradeRefusal, type UpgradeRules } from './upgrade-policy.js';

/** What the chat endpoint is made of: what every chat shares, and who may open one. */
export interface ChatServerOptions extends ChatContext, UpgradeRules {
  /** Ping interval of the keep-alive (default {@link HEARTBEAT_INTERVAL_MS}). */
  heartbeatMs?: number;
  /** Whose upgrade it is (`TRUST_PROXY`), for the log; default the socket's peer. */
  clientAddressOf?: ClientAddressOf;
}

export interface ChatServer {
  /** Hand an HTTP `upgrade` event to the chat endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open chats. */
  readonly size: number;
  /**
   * Stop taking chats and messages, wait up to `timeoutMs` for every acked message to get its
   * reply or error frame, then close every chat with 1001.
   */
  drain(timeoutMs: number): Promise<void>;
}

/** How long a client gets to answer the server's close frame on shutdown. */
const CLOSE_HANDSHAKE_GRACE_MS = 2000;

/** Close codes `ws` sends when it drops a connection for a protocol error (RFC 6455 §7.4.1). */
const WS_ERROR_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: CLOSE_CODES.messageTooBig,
  WS_ERR_INVALID_UTF8: CLOSE_CODES.invalidPayload,
};

/** Answer an upgrade with a plain HTTP status and close it, counted under `reason`: no WebSocket is ever opened. */
function refuse(socket: Duplex, status: number, reason: UpgradeRefusal, metrics: Metrics): void {
  metrics.wsRejected.inc({ reason });
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

export function createChatServer(options: ChatServerOptions): ChatServer {
  const { metrics, logger } = options;
  const clientAddressOf = options.clientAddressOf ?? ((request: IncomingMessage) => request.socket.remoteAddress);
  const connections = new Set<ChatConnection>();
  let draining = false;
  let upgrading = 0;
  const upgradePolicy = createUpgradePolicy(options);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.limits.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
    // A browser that offered protocols must get one back, or it drops the connection.
    handleProtocols(protocols) {
      for (const protocol of protocols) {
        if (upgradePolicy.isWidgetToken(protocol)) return protocol;
      }
      return protocols.has(CHAT_SUBPROTOCOL) ? CHAT_SUBPROTOCOL : false;
    },
  });
  const connectionDeps: ConnectionDeps = {
    ...options,
    privacyNotice: normalizeLineBreaks(options.privacyNotice),
    maxBufferedBytes: maxUnreadBytes(options.limits),
    writeCoalescer: new WriteCoalescer(),
  };
  // One set of deps per notice language: a chat that said its language hears the notice in it alone.
  const depsByLanguage = new Map<string, ConnectionDeps>(
    NOTICE_LANGUAGES.map((language): [string, ConnectionDeps] => {
      const notice = options.privacyNotices?.[language];
      return [language, notice === undefined ? connectionDeps : { ...connectionDeps, privacyNotice: normalizeLineBreaks(notice) }];
    }),
  );

  const heartbeat = startHeartbeat(options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS, () =>
    logger.info('closing a chat whose client stopped answering pings'),
  );

  function open(ws: WebSocket, request: IncomingMessage): void {
    const language = noticeLanguageOf(request.url);
    const deps = (language === undefined ? undefined : depsByLanguage.get(language)) ?? connectionDeps;
    const connection = new ChatConnection(ws, deps, readResumeIntent(request.url));
    connections.add(connection);
    heartbeat.watch(ws);
    metrics.wsConnections.inc();
    const log = logger.child({ conversationId: connection.conversationId });
    log.info({ ip: clientAddressOf(request) }, 'chat opened');
    // On a protocol error ws sends its close code and drops the socket, and a client that does
    // not read is dropped before it takes the close frame: 'close' reports 1006 for both. Count
    // the code the client was actually sent.
    let protocolErrorCode: number | undefined;
    ws.on('error', (error) => {
      const errorCode = (error as NodeJS.ErrnoException).code ?? '';
      protocolErrorCode = WS_ERROR_CLOSE_CODES[errorCode] ?? UNCHOSEN_CLOSE_CODES.protocolError;
      log.info({ errorCode, closeCode: protocolErrorCode }, 'chat protocol error');
    });
    ws.on('close', (code) => {
      const sentCode = protocolErrorCode ?? connection.closeCodeSent ?? code;
      connections.delete(connection);
      metrics.wsConnections.dec();
      metrics.observeClose(sentCode);
      log.info({ code: sentCode, ...(sentCode !== code && { receivedCode: code }) }, 'chat closed');
    });
  }

  return {
    get size() {
      return connections.size;
    },

    handleUpgrade(request, socket, head) {
      if (draining) {
        refuse(socket, HTTP_STATUS.serviceUnavailable, 'draining', metrics);
        return;
      }
      if (connections.size + upgrading >= options.limits.maxConnections) {
        logger.warn({ openChats: connections.size }, 'chat upgrade refused: at capacity');
        refuse(socket, HTTP_STATUS.serviceUnavailable, 'capacity', metrics);
        return;
      }
      const verdict = upgradePolicy.check(request);
      if (!verdict.ok) {
        logger.info({ reason: verdict.reason, status: verdict.status, ip: clientAddressOf(request) }, 'chat upgrade refused');
        refuse(socket, verdict.status, verdict.reason, metrics);
        return;
      }
      // Upgrades in flight count against the capacity too, so a burst cannot overshoot it.
      upgrading += 1;
      let settled = false;
      const release = (): void => {
        if (!settled) {
          settled = true;
          upgrading -= 1;
        }
      };
      socket.once('close', release);
      wss.handleUpgrade(request, socket, head, (ws) => {
        release();
        open(ws, request);
      });
    },

    async drain(timeoutMs) {
      draining = true;
      heartbeat.stop();
      for (const connection of connections) connection.startDraining();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.all([...connections].map((c) => c.settled)), timedOut]);
      clearTimeout(timer);
      // Pending replies past the deadline end with an error frame before the close.
      for (const connection of connections) connection.abortPending();
      await Promise.all([...connections].map((c) => c.settled));
      await Promise.all(
        [...connections].map((c) => c.closeWithin(CLOSE_CODES.goingAway, 'server shutting down', CLOSE_HANDSHAKE_GRACE_MS)),
      );
      wss.close();
    },
  };
}
