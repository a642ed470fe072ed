/**
 * One log line per request: method, route, status, duration and the anonymised client address.
 * Never a body, a query string or a header. The duration is in whole milliseconds: with decimals
 * (`10516.04`) it would read as a seven-digit number, which the logger writes as `null`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler, Response } from 'express';
import type { ClientAddressOf } from '../client-address.js';
import { isErrorStatus } from '../http-status.js';
import { anonymizeIp } from '../observability/anonymize-ip.js';
import type { Logger } from '../observability/logger.js';

/** Logged in place of an address nothing answered: such paths are client input, not ours. */
export const UNMATCHED_PATH = '(unmatched)';
/** Static asset paths are short; anything longer is cut so one request cannot flood a line. */
const MAX_LOGGED_PATH = 128;

/**
 * The path to log: the route pattern when a route answered, the asset path when a static file
 * did, and {@link UNMATCHED_PATH} otherwise. The query string never comes along.
 */
function describePath(req: Request, res: Response): string {
  const routePath: unknown = req.route?.path;
  if (typeof routePath === 'string') return routePath;
  if (isErrorStatus(res.statusCode)) return UNMATCHED_PATH;
  const path = req.originalUrl.split('?', 1)[0] ?? '';
  return path.slice(0, MAX_LOGGED_PATH);
}

/** Middleware that logs each request once, when its response is finished or abandoned, with its client's address anonymised. */
export function logRequests(logger: Logger, clientAddressOf: ClientAddressOf = (request) => request.socket.remoteAddress): RequestHandler {
  return (req, res, next) => {
    logRequest(logger, req, res, clientAddressOf(req), () => describePath(req, res));
    next();
  };
}

/**
 * Log `req` once, when `res` is finished or abandoned: the line of {@link logRequests}, with the
 * path that `describe` gives then. `client` is read by the caller as the request starts: by the
 * time a cut-off answer closes, the request may have lost its socket. Shared with the routes
 * served before express (`fast-routes.ts`).
 */
export function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, client: string | undefined, describe: () => string): void {
  const started = performance.now();
  res.once('close', () => {
    logger.info(
      {
        method: req.method,
        path: describe(),
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
        ip: anonymizeIp(client),
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'request',
    );
  });
}
