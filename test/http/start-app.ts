/**
 * Starts the real HTTP application on an ephemeral loopback port with real configuration,
 * metrics and a logger whose lines are captured in memory; and sends requests byte for byte
 * where `fetch` would tidy the path or the headers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { createHttpApp } from '../../src/http/app.js';
import type { NativeDoor } from '../../src/native/native-door.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { redact } from '../../src/redact/index.js';
import { captureLogs } from '../support/log-capture.js';

export interface RunningApp {
  readonly baseUrl: string;
  readonly port: number;
  readonly metrics: Metrics;
  /** Every log line written so far, parsed. */
  logLines(): Record<string, unknown>[];
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/** How {@link startApp} builds the app. */
export interface StartOptions {
  readonly fastRoutes?: boolean;
  readonly openNative?: (shared: { config: Config; metrics: Metrics; logger: Logger }) => NativeDoor;
}

/**
 * Start the app with an environment of its own (defaults for everything not given);
 * `fastRoutes: false` serves `POST /v1/redact` and the
 * native routes through express too (the reference); `openNative` opens the native API with the
 * app's configuration, metrics and logger (closed with the app).
 */
export async function startApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningApp> {
  const config = loadConfig(env);
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const logs = captureLogs();
  const logger = createLogger({ level: 'debug', scrub: (text) => redact(text, config.policy).text, destination: logs.stream });
  let ready = true;
  const { fastRoutes } = options;
  const native = options.openNative?.({ config, metrics, logger });
  const app = createHttpApp({
    config,
    metrics,
    logger,
    readiness: { isReady: () => ready },
    ...(fastRoutes !== undefined && { fastRoutes }),
    ...(native !== undefined && { native }),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    metrics,
    logLines: () => logs.lines(),
    setReady: (value) => {
      ready = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
        void native?.close();
      }),
  };
}

/**
 * Start an app before the tests of the enclosing `describe` (or file) and close it after them;
 * the returned function gives the running app.
 */
export function useApp(env: Record<string, string> = {}): () => RunningApp {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startApp(env);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (app === undefined) throw new Error('the app is started in beforeAll; use it inside a test');
    return app;
  };
}

/**
 * Serve `handler` (an express app of the test's own) on an ephemeral loopback port before the
 * tests and close it after them; the returned function gives the port.
 */
export function useListener(handler: http.RequestListener): () => number {
  const server = http.createServer(handler);
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return () => (server.address() as AddressInfo).port;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The body's bytes as they came (not decoded: a compressed body stays compressed). */
  readonly bytes: Buffer;
  /** The trailer fields after a chunked body (empty when none). */
  readonly trailers: NodeJS.Dict<string>;
}

/** One request with the path sent exactly as given (no URL normalisation, unlike `fetch`). */
export function requestRaw(
  port: number,
  options: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: bytes.toString('utf8'), bytes, trailers: response.trailers });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Write raw bytes to the port and collect whatever comes back until the server closes. */
export function exchangeBytes(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

/** Poll until `check` holds or the time is up; returns whether it held. */
export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}
