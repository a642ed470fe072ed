/**
 * `POST /v1/redact` served before express: a step in front of the express application's own
 * handling of a request (`app.handle`, which Node's server reaches through `app` as its request
 * listener) that takes this one route and hands every other request to express unchanged. The
 * application stays what it was — its router, its settings, `app.listen` — for whatever walks or
 * mounts it; mounted inside another express application (called with a `next`), it is express's
 * all through. It does what express's layers do for the route, with their own pieces — the request
 * log line (`request-log.ts`), the security headers (`security-headers.ts`), the guard, the
 * checks, the body and the answer of the route (`redact-routes.ts`), the error handler's answer
 * (`error-handler.ts`) — so that nothing a client, a log reader or a metrics scrape sees differs
 * (test/http/redact-fast-route.test.ts compares the two doors request by request).
 *
 * It takes a request only when express would route it to `POST /v1/redact` by the plainest
 * reading: the method `POST`, the path `/v1/redact` in any case with at most its trailing slash,
 * no query, and a body `json-body.ts` reads itself (UTF-8, not compressed). Anything else — a
 * query, an absolute-form URL, another method, a gzip body — goes to express, which answers it
 * as it always has.
 *
 * Why: express's application and router cost most of what the route costs beyond Node's own
 * HTTP work — the figures are at {@link serveRedactBeforeExpress}.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Application, NextFunction, Request, Response } from 'express';
import type { ClientAddressOf } from '../client-address.js';
import type { Logger } from '../observability/logger.js';
import type { AnswerFailure } from './error-handler.js';
import { isPlainJsonRequest } from './json-body.js';
import { REDACT_PATHS, type ServeRedactJson } from './redact-routes.js';
import { logRequest } from './request-log.js';
import { writeSecurityHeaders, type SecurityHeaders } from './security-headers.js';

const [JSON_PATH] = REDACT_PATHS;
type ExpressHandle = (req: Request, res: Response, next?: NextFunction) => void;
const METHOD = 'POST';
const SLASH = '/';

/** What the route served before express is made of: the pieces express's layers use for it. */
export interface FastRouteParts {
  /** The route's guard, checks, body and answer (`mountRedactRoutes`). */
  readonly serveRedactJson: ServeRedactJson;
  readonly logger: Logger;
  readonly clientAddressOf: ClientAddressOf;
  /** The security headers by path (`chooseSecurityHeaders`). */
  readonly securityHeadersFor: (path: string) => SecurityHeaders;
  /** The error handler's answer (`answerFailure`). */
  readonly answerFailure: AnswerFailure;
}

/**
 * Whether express's router would take `url` for the route `/v1/redact` as it is mounted (any
 * case, one trailing slash allowed; path-to-regexp's `sensitive: false`, `trailing: true`),
 * among the URLs without a query or percent-escapes.
 */
export function isRedactJsonUrl(url: string): boolean {
  const { length } = JSON_PATH;
  return (url.length === length || (url.length === length + 1 && url.endsWith(SLASH))) && url.slice(0, length).toLowerCase() === JSON_PATH;
}

/** Whether the route served before express takes `req` (see the module). */
function isTaken(req: IncomingMessage): boolean {
  return req.method === METHOD && isRedactJsonUrl(req.url ?? '') && isPlainJsonRequest(req);
}

/**
 * Put the route before `app`'s own handling: `POST /v1/redact` served here, everything else by
 * express. Returns `app`.
 *
 * Against the route through express (main's build), bench/micro/http-builds.js, 6 rounds of 4 s,
 * fresh processes interleaved, load average 8-9: Node 20 175 → 48 and 170 → 54 µs of server CPU
 * per request (two runs), Node 26 83 → 66 and 44 → 42. In `npm run bench:http` (load average
 * 10-11) the route then made 1.13× the bare express route's requests per second on Node 20 and
 * 0.79× on Node 26 (0.75× and 0.59× through express in the last full run).
 *
 * @example
 * ```ts
 * http.createServer(serveRedactBeforeExpress(app, { serveRedactJson, logger, clientAddressOf, securityHeadersFor, answerFailure }));
 * ```
 */
export function serveRedactBeforeExpress(app: Application, parts: FastRouteParts): Application {
  const { serveRedactJson, logger, clientAddressOf, securityHeadersFor, answerFailure } = parts;
  const describePath = (): string => JSON_PATH;
  // express's own step, undeclared in its types: `app(req, res, next)` is `app.handle(req, res, next)`.
  const handled = app as unknown as { handle: ExpressHandle };
  const handleInExpress = handled.handle.bind(app);
  handled.handle = (req, res, next) => {
    if (next !== undefined || !isTaken(req)) {
      handleInExpress(req, res, next);
      return;
    }
    serve(req, res);
  };
  function serve(req: IncomingMessage, res: ServerResponse): void {
    // The order of express's layers: the log line's start, the security headers, the route.
    logRequest(logger, req, res, clientAddressOf(req), describePath);
    writeSecurityHeaders(res, securityHeadersFor(req.url ?? SLASH));
    serveRedactJson(req, res, (error) => answerFailure(error, req, res));
  }
  return app;
}
