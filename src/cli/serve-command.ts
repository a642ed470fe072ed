/**
 * `chat-redact serve`: run the gateway until SIGTERM or SIGINT, then stop gracefully. With
 * `WORKERS` above 1 this process becomes the cluster primary and each worker runs a gateway.
 *
 * @module
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { joinClusterMetrics } from '../cluster/worker-metrics.js';
import { ConfigError, loadConfig, type Config } from '../config/load-config.js';
import { createMetrics } from '../observability/metrics.js';
import { METRIC_LABELS } from '../metric-labels.js';
import { startGateway, type Gateway } from '../server.js';
import { EXIT, type CommandIo } from '../process-io.js';


function readConfig(env: NodeJS.ProcessEnv, io: CommandIo): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`chat-redact: cannot start, the configuration has problems:\n`);
    for (const problem of error.problems) io.stderr.write(`  ${problem}\n`);
    return undefined;
  }
}

/** Errors of an address that is no address of this machine: the fault is `HOST`'s. */
const HOST_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL']);

/** One line naming the variable to change. */
function describeListenError(error: unknown, config: Config): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const where = `${config.http.host}:${config.http.port}`;
  if (code === 'EADDRINUSE') return `PORT: ${where} is already in use (set PORT to another port)`;
  if (code === 'EACCES') return `PORT: no permission to listen on ${where} (ports below 1024 need privileges)`;
  if (HOST_ERRORS.has(code)) return `HOST: cannot listen on "${config.http.host}": no address of this machine (${code}); 0.0.0.0 listens on all of them`;
  return `HOST/PORT: cannot listen on ${where} (${code || (error as Error).message})`;
}

/**
 * Beyond the drain (`SHUTDOWN_TIMEOUT_MS`): the chats' close handshake (2 s, `gateway/chat-server.ts`)
 * and the release of the vendor's connections. A stop that is not done by then is ended.
 */
export const STOP_SLACK_MS = 3_000;

/**
 * Resolves on the first SIGTERM or SIGINT. A second one of either exits at once (130 for
 * SIGINT, 1 for SIGTERM), and whatever the stop waits on — a chat that never closes, a log
 * write into a pipe nobody reads — the process exits `deadlineMs` after the first one.
 */
function waitForStopSignal(deadlineMs: number, io: CommandIo): Promise<void> {
  return new Promise((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.failed);
      signalled = true;
      const deadline = setTimeout(() => {
        io.stderr.write(`chat-redact: the stop took longer than ${deadlineMs} ms; exiting\n`);
        process.exit(EXIT.failed);
      }, deadlineMs);
      // It ends the process only if something else keeps it alive past the deadline.
      deadline.unref();
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Start the gateway (or the cluster); resolves to the exit code once it has stopped. */
export async function runServe(io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = readConfig(env, io);
  if (config === undefined) return EXIT.usage;
  const workers = config.serve.workers === 'auto' ? availableParallelism() : config.serve.workers;
  if (workers > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('../cluster/primary.js');
    io.stderr.write(`chat-redact: starting ${workers} workers on port ${config.http.port}\n`);
    return runPrimary(workers, io);
  }
  const metrics = createMetrics(METRIC_LABELS);
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, {
      metrics,
      ...(cluster.isWorker && { collectMetrics: joinClusterMetrics(metrics) }),
    });
  } catch (error) {
    io.stderr.write(`chat-redact: cannot start: ${describeListenError(error, config)}\n`);
    return EXIT.failed;
  }
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    const shown = gateway.url.replace(/\/\/(0\.0\.0\.0|\[::\])/, '//localhost');
    io.stderr.write(`chat-redact: gateway on ${shown} — open it in a browser to chat (Ctrl+C stops)\n`);
  }
  await waitForStopSignal(config.serve.shutdownTimeoutMs + STOP_SLACK_MS, io);
  await gateway.stop();
  return EXIT.ok;
}
