/**
 * A worker's view of the cluster's metrics: it offers its own registry to the primary's
 * aggregator and asks the primary for the sum over all workers.
 *
 * @module
 */
import client from 'prom-client';
import type { CollectMetrics, Metrics } from '../observability/metrics.js';
import { isMetricsResponse, type MetricsRequest } from './messages.js';

/** How long a worker waits for the primary's aggregated metrics. */
const CLUSTER_METRICS_TIMEOUT_MS = 5000;

/**
 * Make this worker's metrics part of the cluster's, and return a function that fetches the
 * cluster-wide metrics through the primary.
 */
export function joinClusterMetrics(metrics: Metrics): CollectMetrics {
  client.AggregatorRegistry.setRegistries([metrics.registry]);
  // prom-client installs a worker's answer to the primary's requests only when an
  // AggregatorRegistry is constructed in that worker (prom-client 15, lib/cluster.js).
  new client.AggregatorRegistry();
  let nextId = 0;
  return () =>
    new Promise((resolve, reject) => {
      const requestId = nextId++;
      const onMessage = (message: unknown): void => {
        if (!isMetricsResponse(message) || message.requestId !== requestId) return;
        cleanup();
        if (message.text !== undefined) {
          resolve({ text: message.text, contentType: message.contentType ?? client.register.contentType });
        } else {
          reject(new Error(`cluster metrics failed: ${message.error ?? 'no answer'}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error('cluster metrics timed out'));
      }, CLUSTER_METRICS_TIMEOUT_MS);
      const cleanup = (): void => {
        clearTimeout(timer);
        process.off('message', onMessage);
      };
      process.on('message', onMessage);
      const request: MetricsRequest = { type: 'chat-redact:metrics-request', requestId };
      process.send?.(request);
    });
}
