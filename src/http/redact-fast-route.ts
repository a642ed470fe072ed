/**
 * `POST /v1/redact` served before express (`fast-routes.ts`): its entry in the table of routes
 * served there. It does what the express route does with the route's own pieces — the guard,
 * the checks, the body and the answer (`redact-routes.ts`) — while the table's step does what
 * express's application-wide layers do (log line, security headers, error handler's answer).
 * test/http/redact-fast-route.test.ts compares the two doors request by request.
 *
 * It takes a request only when express would route it to `POST /v1/redact` by the plainest
 * reading: the method `POST`, the path `/v1/redact` in any case with at most its trailing slash,
 * no query, and a body `json-body.ts` reads itself (UTF-8, not compressed). Anything else — a
 * query, an absolute-form URL, another method, a gzip body — goes to express, which answers it
 * as it always has.
 *
 * @module
 */
import { matchRoutePath, type FastRoute } from './fast-routes.js';
import { isPlainJsonRequest } from './json-body.js';
import { REDACT_PATHS, type ServeRedactJson } from './redact-routes.js';

const [JSON_PATH] = REDACT_PATHS;
const matchJsonPath = matchRoutePath(JSON_PATH);

/**
 * Whether express's router would take `url` for the route `/v1/redact` as it is mounted (any
 * case, one trailing slash allowed; path-to-regexp's `sensitive: false`, `trailing: true`),
 * among the URLs without a query or percent-escapes.
 */
export function isRedactJsonUrl(url: string): boolean {
  return !url.includes('?') && matchJsonPath(url) !== undefined;
}

/**
 * The route `POST /v1/redact` for the table served before express (`serveBeforeExpress`).
 *
 * Against the route through express (main's build), bench/micro/http-builds.js, 6 rounds of 4 s,
 * fresh processes interleaved, load average 8-9: Node 20 175 → 48 and 170 → 54 µs of server CPU
 * per request (two runs), Node 26 83 → 66 and 44 → 42. In `npm run bench:http` (load average
 * 10-11) the route then made 1.13× the bare express route's requests per second on Node 20 and
 * 0.79× on Node 26 (0.75× and 0.59× through express in the last full run).
 *
 * @example
 * ```ts
 * serveBeforeExpress(app, [redactFastRoute(serveRedactJson)], parts);
 * ```
 */
export function redactFastRoute(serveRedactJson: ServeRedactJson): FastRoute {
  return {
    method: 'POST',
    path: JSON_PATH,
    takes: isPlainJsonRequest,
    serve: (req, res, _params, fail) => serveRedactJson(req, res, fail),
  };
}
