/**
 * `GET /metrics`: the Prometheus text format of the process's registry, behind a bearer token
 * when one is configured.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { CodedError } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * `true` when an `authorization` header carries exactly the expected bearer token. Both sides
 * are hashed first so the comparison takes the same time whatever the length of the guess.
 */
export function hasBearerToken(header: string | undefined, expectedDigest: Buffer): boolean {
  const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (presented === undefined) return false;
  return timingSafeEqual(digestOf(presented), expectedDigest);
}

/**
 * Route `GET /metrics`. With a `token`, a request without `authorization: Bearer <token>` gets
 * 401 `unauthorized` and a `www-authenticate` challenge.
 */
export function createMetricsRoute(metrics: Metrics, token: string | undefined): Router {
  const expectedDigest = token === undefined ? undefined : digestOf(token);
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (expectedDigest !== undefined && !hasBearerToken(req.headers.authorization, expectedDigest)) {
      res.set('www-authenticate', 'Bearer realm="metrics"');
      throw new CodedError('unauthorized');
    }
    const text = await metrics.registry.metrics();
    res.set('content-type', metrics.registry.contentType).set('cache-control', 'no-store').send(text);
  });
  return router;
}
