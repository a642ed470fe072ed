/**
 * The IPC messages between the cluster primary and its workers.
 *
 * @module
 */

/** A worker asks the primary for the metrics of the whole cluster. */
export interface MetricsRequest {
  type: 'chat-redact:metrics-request';
  requestId: number;
}

/** The primary's answer: Prometheus text summed over every worker, or why it failed. */
export interface MetricsResponse {
  type: 'chat-redact:metrics-response';
  requestId: number;
  text?: string;
  contentType?: string;
  error?: string;
}

export function isMetricsRequest(message: unknown): message is MetricsRequest {
  return (message as MetricsRequest | undefined)?.type === 'chat-redact:metrics-request';
}

export function isMetricsResponse(message: unknown): message is MetricsResponse {
  return (message as MetricsResponse | undefined)?.type === 'chat-redact:metrics-response';
}
