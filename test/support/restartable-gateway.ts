/**
 * The real gateway on a loopback port that can be stopped and started again on the same port with
 * the same `SESSION_SECRET` — a server restart or a rolling deploy as a widget sees it — pointed
 * at one vendor stub that outlives the restarts (or at the built-in demo bot), with every
 * instance's log captured.
 */
import type { Socket } from 'node:net';
import type { Chatbot } from '../../src/chatbot/chatbot.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { captureLogs, type LogCapture } from './log-capture.js';
import { startVendorStub, type VendorStub } from './vendor-stub.js';

/** A secret of letters (at least 32 characters), shared by every instance of one test's gateway. */
export const TEST_SESSION_SECRET = 'restartable-gateway-shared-session-secret';

export interface RestartableGateway {
  /** The instance running now. */
  readonly gateway: Gateway;
  /** `undefined` with the demo bot or a chatbot of the test's. */
  readonly stub: VendorStub | undefined;
  /** Each instance's log, in order. */
  readonly logs: readonly LogCapture[];
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly httpUrl: string;
  /** `ws://127.0.0.1:<port>/chat` */
  readonly chatUrl: string;
  /** Cut every TCP connection of the instance without a close frame, as a crash or a network drop does. */
  dropConnections(): void;
  /** Stop the instance (a graceful drain: 1001). */
  stopInstance(): Promise<void>;
  /** Start a new instance on the same port with the same configuration, changed by `env` (another secret). */
  startInstance(env?: Record<string, string>): Promise<void>;
  /** Stop the instance and the stub. */
  stop(): Promise<void>;
}

/** What to start with. */
export interface RestartableOptions {
  /** Configuration variables added to (or overriding) the test defaults. */
  readonly env?: Record<string, string>;
  /** Answer with the built-in demo bot instead of a vendor stub. */
  readonly demoBot?: boolean;
  /** Answer with this chatbot (a scripted one) instead of a vendor stub; kept across restarts. */
  readonly chatbot?: Chatbot;
}

/** Start a stub (unless `demoBot`) and the first gateway instance on a free port. */
export async function startRestartableGateway(options: RestartableOptions = {}): Promise<RestartableGateway> {
  const stub = options.demoBot === true || options.chatbot !== undefined ? undefined : await startVendorStub();
  const logs: LogCapture[] = [];
  let port = 0;
  let gateway: Gateway | undefined;
  let sockets = new Set<Socket>();

  async function startInstance(env: Record<string, string> = {}): Promise<void> {
    const capture = captureLogs();
    logs.push(capture);
    const config = loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(stub !== undefined && { VENDOR_URL: stub.url }),
      VENDOR_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'debug',
      RATE_LIMIT_PER_MINUTE: '6000',
      SHUTDOWN_TIMEOUT_MS: '1000',
      SESSION_SECRET: TEST_SESSION_SECRET,
      ...options.env,
      ...env,
    });
    gateway = await startGateway(config, { logDestination: capture.stream, ...(options.chatbot !== undefined && { chatbot: options.chatbot }) });
    port = gateway.port;
    sockets = new Set();
    const own = sockets;
    gateway.server.on('connection', (socket: Socket) => {
      own.add(socket);
      socket.once('close', () => own.delete(socket));
    });
  }

  async function stopInstance(): Promise<void> {
    const running = gateway;
    gateway = undefined;
    await running?.stop();
  }

  await startInstance();
  return {
    get gateway() {
      if (gateway === undefined) throw new Error('the gateway is stopped');
      return gateway;
    },
    stub,
    logs,
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    chatUrl: `ws://127.0.0.1:${port}/chat`,
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    stopInstance,
    startInstance,
    async stop() {
      await stopInstance();
      await stub?.close();
    },
  };
}
