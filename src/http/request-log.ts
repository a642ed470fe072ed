/**
 * One log line per request: method, route, status, duration and the anonymised client address.
 * Never a body, a query string or a header. The duration is in whole milliseconds: with decimals
 * (`10516.04`) it would read as a seven-digit number, which the logger writes as `null`.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler, Response } from 'express';
import { anonymizeIp } from '../observability/anonymize-ip.js';
import type { Logger } from '../observability/logger.js';

/** Logged in place of an address nothing answered: such paths are client input, not ours. */
export const UNMATCHED_PATH = '(unmatched)';
const FIRST_CLIENT_ERROR = 400;
/** Static asset paths are short; anything longer is cut so one request cannot flood a line. */
const MAX_LOGGED_PATH = 128;

/**
 * The path to log: the route pattern when a route answered, the asset path when a static file
 * did, and {@link UNMATCHED_PATH} otherwise. The query string never comes along.
 */
function describePath(req: Request, res: Response): string {
  const routePath: unknown = req.route?.path;
  if (typeof routePath === 'string') return routePath;
  if (res.statusCode >= FIRST_CLIENT_ERROR) return UNMATCHED_PATH;
  const path = req.originalUrl.split('?', 1)[0] ?? '';
  return path.slice(0, MAX_LOGGED_PATH);
}

/** Middleware that logs each request once, when its response is finished or abandoned. */
export function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      logger.info(
        {
          method: req.method,
          path: describePath(req, res),
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
          ip: anonymizeIp(req.socket.remoteAddress),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    next();
  };
}
