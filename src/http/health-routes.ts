/**
 * Liveness and readiness probes: `/healthz` says the process answers, `/readyz` whether it
 * should get new traffic (503 while it drains on shutdown).
 *
 * @module
 */
import { Router, type Response } from 'express';

/** Whether the process takes new traffic; the composition root flips it when draining. */
export interface Readiness {
  isReady(): boolean;
}

const HTTP_OK = 200;
const HTTP_SERVICE_UNAVAILABLE = 503;

function sendStatus(res: Response, status: number, body: { status: string }): void {
  // A cached probe answer would hide a drain from the load balancer.
  res.status(status).set('cache-control', 'no-store').json(body);
}

/**
 * Routes `GET /healthz` → 200 `{"status":"ok"}` and `GET /readyz` → 200 `{"status":"ready"}`,
 * or 503 `{"status":"draining"}` when `readiness.isReady()` is `false`.
 */
export function createHealthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    sendStatus(res, HTTP_OK, { status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (readiness.isReady()) sendStatus(res, HTTP_OK, { status: 'ready' });
    else sendStatus(res, HTTP_SERVICE_UNAVAILABLE, { status: 'draining' });
  });
  return router;
}
