/**
 * The composition root: builds every part from the configuration and wires them together. It
 * holds no logic of its own beyond start and stop.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { createClientAddress } from './client-address.js';
import type { Config } from './config/load-config.js';
import { createChatServer, type ChatServer } from './gateway/chat-server.js';
import { createHttpApp } from './http/app.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type CollectMetrics, type Metrics } from './observability/metrics.js';
import { METRIC_LABELS } from './metric-labels.js';
import type { Chatbot } from './chatbot/chatbot.js';
import { createChatbot, type ClientOverrides } from './chatbot/create-chatbot.js';
import { redact } from './redact/index.js';
import { createPagePasses } from './session/page-pass.js';
import { createSessionSealer, type SessionSealer } from './session/session-sealer.js';
import { openNativeDoor, type NativeDoor } from './native/native-door.js';

const MS_PER_SECOND = 1_000;

/** A running gateway. */
export interface Gateway {
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly chat: ChatServer;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /**
   * Graceful stop: readiness turns 503 at once, new chats are refused, every acked message gets
   * its reply or an error frame (within `shutdownTimeoutMs`), chats close with 1001, then the
   * HTTP server closes.
   */
  stop(): Promise<void>;
}

export interface GatewayOverrides {
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream;
  /** A chatbot to use instead of the configured one. */
  chatbot?: Chatbot;
  /** Retry, breaker or egress settings of the configured vendor's core (a test's own clock). */
  vendorClient?: ClientOverrides;
  /** Session sealing to use instead of one from the configuration (a test's own clock). */
  sessions?: SessionSealer;
  /** How long a new chat waits for a `resume` frame before it starts a conversation. */
  startGraceMs?: number;
  /** Metrics to use (the cluster worker passes its own); default a new set. */
  metrics?: Metrics;
  /** Where `/metrics` gets its text (a cluster worker asks the primary); default this process's registry. */
  collectMetrics?: CollectMetrics;
}

/** Build the gateway from `config` and start listening. */
export async function startGateway(config: Config, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const { policy } = config;
  const logger = createLogger({
    level: config.log.level,
    scrub: (text) => redact(text, policy).text,
    ...(overrides.logDestination !== undefined && { destination: overrides.logDestination }),
  });
  const metrics = overrides.metrics ?? createMetrics(METRIC_LABELS);
  const chatbot = overrides.chatbot ?? createChatbot(config.vendor, metrics, logger.child({ part: 'vendor' }), overrides.vendorClient);
  const sessions = overrides.sessions ?? createSessionSealer(config.session);
  const clientAddressOf = createClientAddress(config.http.trustProxy);
  const widgetToken = config.chat.widgetToken;
  const pagePasses = widgetToken === undefined ? undefined : createPagePasses(widgetToken);
  let draining = false;
  const native: NativeDoor | undefined =
    config.native.enabled && config.vendor.kind !== 'demo'
      ? openNativeDoor({
          vendor: config.vendor,
          token: config.native.token,
          policy,
          allowedOrigins: config.chat.allowedOrigins,
          maxMessageBytes: config.chat.limits.maxMessageBytes,
          maxReplyBytes: config.chat.limits.maxReplyBytes,
          metrics,
          logger: logger.child({ part: 'native' }),
          isDraining: () => draining,
          ...(overrides.vendorClient !== undefined && { overrides: overrides.vendorClient }),
        })
      : undefined;
  let ready = false;
  const app = createHttpApp({
    config,
    metrics,
    logger,
    clientAddressOf,
    pagePasses,
    readiness: { isReady: () => ready },
    ...(overrides.collectMetrics !== undefined && { collectMetrics: overrides.collectMetrics }),
    ...(native !== undefined && { native }),
  });
  const server = createServer(app);
  const chat = createChatServer({
    ...config.chat,
    policy,
    chatbot,
    sessions,
    sessionTtlMs: config.session.ttlSeconds * MS_PER_SECOND,
    metrics,
    clientAddressOf,
    pagePasses,
    logger: logger.child({ part: 'chat' }),
    ...(overrides.startGraceMs !== undefined && { startGraceMs: overrides.startGraceMs }),
  });
  // The native API's stream (Direct Line's) where the path is its; every other upgrade is the chat's.
  server.on('upgrade', (request, socket, head) => {
    if (native?.handleUpgrade(request, socket, head) !== true) chat.handleUpgrade(request, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  ready = true;
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  logger.info({ port, vendor: chatbot.kind }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    chat,
    metrics,
    logger,
    stop() {
      stopping ??= (async () => {
        ready = false;
        draining = true;
        logger.info({ openChats: chat.size }, 'draining');
        await chat.drain(config.serve.shutdownTimeoutMs);
        await chatbot.close();
        await native?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
