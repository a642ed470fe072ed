/**
 * Hot routes served before express: a step in front of the express application's own handling
 * of a request (`app.handle`, which Node's server reaches through `app` as its request listener)
 * that takes a small table of exact routes and hands every other request to express unchanged.
 * The application stays what it was — its router, its settings, `app.listen` — for whatever
 * walks or mounts it; mounted inside another express application (called with a `next`), it is
 * express's all through.
 *
 * For a route it takes, it does what express's application-wide layers do, with their own
 * pieces — the request log line (`request-log.ts`) with the route's path as express logs it, the
 * security headers (`security-headers.ts`), the error handler's answer (`error-handler.ts`) for
 * a failure the route hands on — and the route itself does the rest, with the same handler its
 * express route calls. The routes: `POST /v1/redact` (`redact-fast-route.ts`) and the native
 * API's routes (`native-core.ts`); test/http/redact-fast-route.test.ts and
 * test/http/native-fast-route.test.ts compare the two doors request by request.
 *
 * A route is taken only by the plainest reading of its URL, as express's router would match it
 * (path-to-regexp: any case, at most one trailing slash, a parameter one segment): the URL a path
 * from the root, without percent-escapes (express would decode them), and without a query
 * unless the route takes one. Anything else — an absolute-form URL, another method, a query the
 * route does not take — goes to express, which answers it as it always has.
 *
 * Why: express's application and router cost most of what a route costs beyond Node's own HTTP
 * work — figures at `redact-fast-route.ts` and `native-core.ts`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Application, NextFunction, Request, Response } from 'express';
import type { ClientAddressOf } from '../client-address.js';
import type { Logger } from '../observability/logger.js';
import type { AnswerFailure } from './error-handler.js';
import { logRequest } from './request-log.js';
import { writeSecurityHeaders, type SecurityHeaders } from './security-headers.js';

type ExpressHandle = (req: Request, res: Response, next?: NextFunction) => void;
/** A route's path parameters, by name (as express's `req.params`). */
export type RouteParams = Readonly<Record<string, string>>;
const NO_PARAMS: RouteParams = Object.freeze({});

/** One route served before express. */
export interface FastRoute {
  readonly method: string;
  /** The path as it is mounted in express (`/v1/redact`, `/v3/…/conversations/:conversationId/activities`), and logged. */
  readonly path: string;
  /** Whether a URL with a query (`?…`) is taken; default not. */
  readonly query?: boolean;
  /** Whether the route takes `req` besides its method and URL (its body's type, say); default every one. */
  readonly takes?: (req: IncomingMessage) => boolean;
  /** Serve `req` as the express route does; a failure handed to `fail` is answered as express's error handler does. */
  serve(req: IncomingMessage, res: ServerResponse, params: RouteParams, fail: (error: unknown) => void): void;
}

/** What the routes served before express share with express's application-wide layers. */
export interface FastRouteParts {
  readonly logger: Logger;
  readonly clientAddressOf: ClientAddressOf;
  /** The security headers by path (`chooseSecurityHeaders`). */
  readonly securityHeadersFor: (path: string) => SecurityHeaders;
  /** The error handler's answer (`answerFailure`). */
  readonly answerFailure: AnswerFailure;
}

/** Matches a URL's path against one route's: its parameters, or `undefined`. */
export type RouteMatcher = (path: string) => RouteParams | undefined;

/**
 * The matcher of the express path `path` (literal segments and `:name` parameters) for paths
 * without a query or percent-escapes: any case, at most one trailing slash, a parameter one
 * non-empty segment (path-to-regexp's `sensitive: false`, `trailing: true`).
 */
export function matchRoutePath(path: string): RouteMatcher {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/%?]+)';
    })
    .join('/');
  const pattern = new RegExp(`^${source}/?$`, 'i');
  return (url) => {
    if (url.includes('%')) return undefined;
    const found = pattern.exec(url);
    if (found === null) return undefined;
    if (names.length === 0) return NO_PARAMS;
    return Object.fromEntries(names.map((name, at) => [name, found[at + 1]!]));
  };
}

interface TableEntry {
  readonly route: FastRoute;
  readonly match: RouteMatcher;
}

/** The route of the table that takes `req`, first first (express's order), and its parameters. */
function findRoute(table: readonly TableEntry[], req: IncomingMessage): { route: FastRoute; params: RouteParams; path: string } | undefined {
  const url = req.url ?? '';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  for (const { route, match } of table) {
    if (req.method !== route.method || (queryAt !== -1 && route.query !== true)) continue;
    const params = match(path);
    if (params !== undefined) return route.takes === undefined || route.takes(req) ? { route, params, path } : undefined;
  }
  return undefined;
}

/**
 * Put `routes` before `app`'s own handling, in their order (the order express would reach them
 * in): a request one of them takes is served here, everything else by express. Returns `app`.
 *
 * @example
 * ```ts
 * http.createServer(serveBeforeExpress(app, [redactFastRoute(serveRedactJson)], { logger, clientAddressOf, securityHeadersFor, answerFailure }));
 * ```
 */
export function serveBeforeExpress(app: Application, routes: readonly FastRoute[], parts: FastRouteParts): Application {
  if (routes.length === 0) return app;
  const { logger, clientAddressOf, securityHeadersFor, answerFailure } = parts;
  const table: TableEntry[] = routes.map((route) => ({ route, match: matchRoutePath(route.path) }));
  // express's own step, undeclared in its types: `app(req, res, next)` is `app.handle(req, res, next)`.
  const handled = app as unknown as { handle: ExpressHandle };
  const handleInExpress = handled.handle.bind(app);
  handled.handle = (req, res, next) => {
    const found = next === undefined ? findRoute(table, req) : undefined;
    if (found === undefined) {
      handleInExpress(req, res, next);
      return;
    }
    serve(found.route, found.params, found.path, req, res);
  };
  function serve(route: FastRoute, params: RouteParams, path: string, req: IncomingMessage, res: ServerResponse): void {
    // The order of express's layers: the log line's start, the security headers, the route.
    logRequest(logger, req, res, clientAddressOf(req), () => route.path);
    writeSecurityHeaders(res, securityHeadersFor(path));
    route.serve(req, res, params, (error) => answerFailure(error, req, res));
  }
  return app;
}
