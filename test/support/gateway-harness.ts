/**
 * Starts the real gateway (the composition root, as `serve` does) on an ephemeral loopback port,
 * pointed at a real HTTP vendor stub, with its log captured in memory.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { captureLogs, type LogCapture } from './log-capture.js';
import { startVendorStub, type VendorStub } from './vendor-stub.js';

export interface RunningGateway {
  gateway: Gateway;
  stub: VendorStub;
  logs: LogCapture;
  /** `ws://127.0.0.1:<port>/chat` */
  chatUrl: string;
  /** `http://127.0.0.1:<port>` */
  httpUrl: string;
  stop(): Promise<void>;
}

/**
 * Start stub and gateway; `env` adds or overrides configuration variables, `vendorUrlOf` says
 * what `VENDOR_URL` is for the stub (default its endpoint; a vendor kind may want its base URL).
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  vendorUrlOf: (stub: VendorStub) => string = (stub) => stub.url,
): Promise<RunningGateway> {
  const stub = await startVendorStub();
  const logs = captureLogs();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    VENDOR_URL: vendorUrlOf(stub),
    VENDOR_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'debug',
    RATE_LIMIT_PER_MINUTE: '6000',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...env,
  });
  const gateway = await startGateway(config, { logDestination: logs.stream });
  const httpUrl = `http://127.0.0.1:${gateway.port}`;
  return {
    gateway,
    stub,
    logs,
    httpUrl,
    chatUrl: `ws://127.0.0.1:${gateway.port}/chat`,
    async stop() {
      await gateway.stop();
      await stub.close();
    },
  };
}

/**
 * One gateway for the test file that calls it, with `env`: started before its tests, its stub
 * reset after each, stopped after all. Call the function inside a test or a hook.
 */
export function useTestGateway(env: Record<string, string> = {}): () => RunningGateway {
  let running: RunningGateway | undefined;
  const gateway = (): RunningGateway => {
    if (running === undefined) throw new Error('the gateway starts in beforeAll; use it inside a test or a hook');
    return running;
  };
  beforeAll(async () => {
    running = await startTestGateway(env);
  });
  afterEach(() => gateway().stub.reset());
  afterAll(() => gateway().stop());
  return gateway;
}

/**
 * The value of one series in the gateway's `/metrics`, written as it appears there
 * (`chat_redact_ws_closes_total{code="1009"}`); `NaN` when the series is absent.
 */
export async function readMetric(httpUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}
