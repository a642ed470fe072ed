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

function describeListenError(error: unknown, config: Config): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.http.host}:${config.http.port}`;
  if (code === 'EADDRINUSE') return `${where} is already in use (set PORT to another port)`;
  if (code === 'EACCES') return `no permission to listen on ${where}`;
  return (error as Error).message;
}

/** Resolves on the first SIGTERM or SIGINT; a second SIGINT exits at once. */
function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled && signal === 'SIGINT') process.exit(EXIT.interrupted);
      signalled = true;
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
  await waitForStopSignal();
  await gateway.stop();
  return EXIT.ok;
}
