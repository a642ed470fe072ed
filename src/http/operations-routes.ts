/**
 * The routes operators and orchestrators call: liveness (`/healthz`), readiness (`/readyz`, 503
 * while the process drains on shutdown) and Prometheus metrics (`/metrics`, behind a bearer
 * token when one is configured).
 *
 * @module
 */
import { Router, type Response } from 'express';
import { CodedError } from '../errors.js';
import { HTTP_STATUS } from '../http-status.js';
import { sendJson } from './json-answer.js';
import type { CollectMetrics } from '../observability/metrics.js';
import { createSecretCheck, type SecretCheck } from '../secret-check.js';

/** Whether the process takes new traffic; the composition root flips it when draining. */
export interface Readiness {
  isReady(): boolean;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function sendStatus(res: Response, status: number, body: { status: string }): void {
  // A cached probe answer would hide a drain from the load balancer.
  sendJson(res, body, status);
}

/** `true` when an `authorization` header carries a bearer token that `isToken` accepts. */
export function hasBearerToken(header: string | undefined, isToken: SecretCheck): boolean {
  const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
  return presented !== undefined && isToken(presented);
}

/**
 * Routes `GET /healthz` → 200 `{"status":"ok"}` and `GET /readyz` → 200 `{"status":"ready"}`,
 * or 503 `{"status":"draining"}` when `readiness.isReady()` is `false`.
 */
export function createHealthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    sendStatus(res, HTTP_STATUS.ok, { status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (readiness.isReady()) sendStatus(res, HTTP_STATUS.ok, { status: 'ready' });
    else sendStatus(res, HTTP_STATUS.serviceUnavailable, { status: 'draining' });
  });
  return router;
}

/**
 * Route `GET /metrics`. With a `token`, a request without `authorization: Bearer <token>` gets
 * 401 `unauthorized` and a `www-authenticate` challenge.
 */
export function createMetricsRoute(collect: CollectMetrics, token: string | undefined): Router {
  const isToken = token === undefined ? undefined : createSecretCheck(token);
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (isToken !== undefined && !hasBearerToken(req.headers.authorization, isToken)) {
      res.set('www-authenticate', 'Bearer realm="metrics"');
      throw new CodedError('unauthorized');
    }
    const { contentType, text } = await collect();
    res.set('content-type', contentType).set('cache-control', 'no-store').send(text);
  });
  return router;
}
