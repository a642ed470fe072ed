/**
 * The HTTP side of the gateway: an express application with the redaction API, health and
 * readiness, metrics, its OpenAPI document and the chat widget (its pages, bundles, embed script
 * and the policy it redacts with). It only wires the route groups together; the composition root
 * attaches it to the `http.Server` that also carries the WebSocket upgrade.
 *
 * @module
 */
import express, { type Application, type Router } from 'express';
import type { ClientAddressOf } from '../client-address.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import { collectFrom, type CollectMetrics, type Metrics } from '../observability/metrics.js';
import { answerError, answerFailure, answerNotFound } from './error-handler.js';
import { serveOpenApi } from './openapi.js';
import { describeNativePaths, type DocumentedRoute } from './openapi-native.js';
import { createHealthRoutes, createMetricsRoute, type Readiness } from './operations-routes.js';
import type { PagePasses } from '../session/page-pass.js';
import { createPagePassRoute } from './page-pass-route.js';
import { mountRedactRoutes } from './redact-routes.js';
import { logRequests } from './request-log.js';
import { serveBeforeExpress, type FastRoute } from './fast-routes.js';
import { redactFastRoute } from './redact-fast-route.js';
import { chooseSecurityHeaders, setSecurityHeaders } from './security-headers.js';
import { serveWidget } from './static-widget.js';
import { createWidgetPolicyRoute } from './widget-policy-route.js';

export type { Readiness } from './operations-routes.js';

/** What the HTTP application needs from the composition root. */
export interface HttpAppDeps {
  readonly config: Config;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** `false` while the process drains: `/readyz` answers 503 so no new traffic arrives. */
  readonly readiness: Readiness;
  /** Where `/metrics` gets its text; default this process's registry (a cluster worker asks the primary). */
  readonly collectMetrics?: CollectMetrics;
  /** Whose request it is (`TRUST_PROXY`), for the request log and the per-client rate; default the socket's peer. */
  readonly clientAddressOf?: ClientAddressOf;
  /** With `WIDGET_TOKEN`: the passes the gateway's own pages open chats with. */
  readonly pagePasses?: PagePasses | undefined;
  /** The vendor's own API (`NATIVE_API=on`), built by the composition root: its routes (own errors, own shapes) and what they are. */
  readonly native?: { readonly router: Router; readonly routes: readonly DocumentedRoute[]; readonly fastRoutes?: readonly FastRoute[] };
  /**
   * `false`: `POST /v1/redact` and the native routes through express too, not served before it
   * (`fast-routes.ts`); the reference the two are compared against in the tests. Default `true`.
   */
  readonly fastRoutes?: boolean;
}

/**
 * Build the express application, with `POST /v1/redact` and the native API's routes served
 * before its router (`fast-routes.ts`). It sets no cookies, never logs bodies, query strings or
 * headers, and answers every error with `{"error":{"code","message"}}` from the error registry.
 *
 * @example
 * ```ts
 * const app = createHttpApp({ config, metrics, logger, readiness: { isReady: () => !draining } });
 * const server = http.createServer(app).listen(config.http.port, config.http.host);
 * ```
 */
export function createHttpApp(deps: HttpAppDeps): Application {
  const app = express();
  const clientAddressOf = deps.clientAddressOf ?? ((request) => request.socket.remoteAddress);
  app.disable('x-powered-by');
  // Dynamic answers are never cached, so an ETag would only cost a hash of every body.
  app.set('etag', false);
  // No route reads the query string; not parsing it keeps client input out of `req`.
  app.set('query parser', false);

  app.use(logRequests(deps.logger, clientAddressOf));
  const securityHeaderOptions = { embedOrigins: deps.config.http.embedOrigins };
  app.use(setSecurityHeaders(securityHeaderOptions));
  // The hot route first: every router before it is walked by every request. Behind the health
  // and metrics routers: 221 against 201 µs of server CPU per request on Node 20, 72 against 67
  // on Node 26 (50 connections, medians of 8 fresh processes, bench/micro/http-builds.js).
  const serveRedactJson = mountRedactRoutes(app, deps.config, deps.metrics, deps.logger, clientAddressOf);
  if (deps.native !== undefined) app.use(deps.native.router);
  app.use(createHealthRoutes(deps.readiness));
  app.use(createMetricsRoute(deps.collectMetrics ?? collectFrom(deps.metrics), deps.config.http.metricsToken));
  app.use(serveOpenApi(describeNativePaths(deps.native?.routes ?? [])));
  app.use(createWidgetPolicyRoute(deps.config.policy));
  app.use(createPagePassRoute(deps.pagePasses));
  app.use(serveWidget());
  app.use(answerNotFound);
  app.use(answerError(deps.logger));
  if (deps.fastRoutes === false) return app;
  // In express's order: the redaction route is mounted before the native router.
  const fastRoutes = [...(serveRedactJson === undefined ? [] : [redactFastRoute(serveRedactJson)]), ...(deps.native?.fastRoutes ?? [])];
  return serveBeforeExpress(app, fastRoutes, {
    logger: deps.logger,
    clientAddressOf,
    securityHeadersFor: chooseSecurityHeaders(securityHeaderOptions),
    answerFailure: answerFailure(deps.logger),
  });
}
