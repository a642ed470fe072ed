/**
 * The cluster primary (`WORKERS` > 1): forks the workers, replaces one that dies, answers their
 * requests for cluster-wide metrics, and passes a shutdown signal on to all of them.
 *
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import client from 'prom-client';
import { EXIT, type CommandIo } from '../process-io.js';
import { isMetricsRequest, type MetricsResponse } from './messages.js';

/** A worker that dies sooner than this after its start is not replaced (it would crash-loop). */
const MIN_WORKER_LIFETIME_MS = 5000;

/**
 * Run as the primary of `count` workers until SIGTERM or SIGINT; resolves to the exit code once
 * every worker has exited.
 */
export async function runPrimary(count: number, io: CommandIo): Promise<number> {
  const aggregator = new client.AggregatorRegistry();
  let stopping = false;
  let failed = false;
  const startedAt = new Map<Worker, number>();

  const answer = async (worker: Worker, requestId: number): Promise<void> => {
    const response: MetricsResponse = { type: 'chat-redact:metrics-response', requestId };
    try {
      response.text = await aggregator.clusterMetrics();
      response.contentType = aggregator.contentType;
    } catch (error) {
      response.error = (error as Error).message;
    }
    if (worker.isConnected()) worker.send(response);
  };

  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if (isMetricsRequest(message)) void answer(worker, message.requestId);
    });
  };

  const exited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? 0);
      startedAt.delete(worker);
      if (!stopping) {
        if (lived < MIN_WORKER_LIFETIME_MS) {
          io.stderr.write(`chat-redact: a worker exited at start (code ${code ?? signal}); stopping\n`);
          failed = true;
          stopping = true;
          for (const other of startedAt.keys()) other.process.kill('SIGTERM');
        } else {
          io.stderr.write(`chat-redact: a worker exited (code ${code ?? signal}); starting another\n`);
          fork();
        }
      }
      if (startedAt.size === 0) resolve();
    });
  });

  for (let i = 0; i < count; i++) fork();
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await exited;
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  return failed ? EXIT.failed : EXIT.ok;
}
