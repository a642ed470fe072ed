/**
 * The native API's one core (SPEC §2 *Native endpoints*): it serves a vendor module's routes
 * and does for every vendor alike what is not its wire format. For each request, in order:
 * the origin (CORS for `ALLOWED_ORIGINS`, preflights answered), `NATIVE_TOKEN`, the body's type
 * and size (refused before it is buffered), the module's redaction of what a person wrote,
 * then the exchange over the shared vendor core — its budget, its retries (only while nothing
 * was passed on, and for a POST only when the vendor surely did not act on it), its breaker,
 * the egress — and the module's redaction of the answer as it streams. Anything that cannot be
 * parsed or redacted is refused in the vendor's own error shape; nothing passes as it came.
 * Metrics carry `endpoint="native"`; logs carry codes, never text.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { VendorClient } from '../chatbot/vendor-client.js';
import type { RequestSpec, VendorResponse } from '../chatbot/vendor-exchange.js';
import { failureFromStatus } from '../chatbot/vendor-failure.js';
import { isJsonMediaType, readBodyText, readMediaType, releaseBody } from '../chatbot/response-body.js';
import { CodedError } from '../errors.js';
import { closeLingering } from '../http/lingering-close.js';
import { HTTP_STATUS, isSuccessStatus } from '../http-status.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Policy } from '../redact/index.js';
import { createSecretCheck } from '../secret-check.js';
import {
  NativeRefusal,
  problemOf,
  type NativeApi,
  type NativeHead,
  type NativePiece,
  type NativeReader,
  type NativeRoute,
} from './native-api.js';
import { allowOrigin, answerPreflight, judgeOrigin } from './native-cors.js';
import { expressPath, isBodiless, readJsonBody, requestOf } from './native-request.js';
import { NativeText, type RedactionTally } from './native-text.js';

/** The `endpoint` label of everything the native API counts. */
export const NATIVE_ENDPOINT = 'native';
/** A vendor's refusal (4xx) is read this far to pass it on, redacted; its bodies are a few hundred bytes. */
const ERROR_BODY_LIMIT_BYTES = 65_536;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const NANOSECONDS_PER_SECOND = 1e9;
const JSON_TYPE = 'application/json';
const EVENT_STREAM = 'text/event-stream';

/** What the core needs from the composition root. */
export interface NativeCoreOptions {
  readonly api: NativeApi;
  /** The shared vendor core, counting with `endpoint="native"`; it sends `VENDOR_TOKEN` only when `nativeToken` is set. */
  readonly client: VendorClient;
  readonly policy: Policy;
  /** `ALLOWED_ORIGINS`; empty: only the service's own origin. */
  readonly allowedOrigins: readonly string[];
  /** `NATIVE_TOKEN`: when set, clients present it and the vendor gets `VENDOR_TOKEN` instead. */
  readonly nativeToken: string | undefined;
  /** Largest request body, in bytes. */
  readonly requestLimitBytes: number;
  /** `true` while the process drains: a new request is refused with 503 `shutting_down`, which clients retry elsewhere. */
  readonly isDraining?: () => boolean;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/** A head as the client gets it: with the vendor's passed headers. */
interface WrittenHead extends NativeHead {
  readonly headers: Readonly<Record<string, string>>;
}

function isHead(piece: NativePiece | WrittenHead): piece is WrittenHead {
  return typeof piece !== 'string';
}

/**
 * One route to serve before express: what `http/fast-routes.ts` takes as a `FastRoute`, by its
 * shape (native/ does not import the HTTP app; the composition root hands the one to the other).
 */
export interface NativeFastRoute {
  readonly method: string;
  /** The path as it is mounted in express, and logged. */
  readonly path: string;
  /** A query is taken (passed on to the vendor as it came). */
  readonly query: true;
  serve(req: IncomingMessage, res: ServerResponse, params: Readonly<Record<string, string>>, fail: (error: unknown) => void): void;
}

/** The native API's routes: for the express application, and the same served before it. */
export interface NativeRoutes {
  /** Every route, and the preflights, for the express application (mounted by the composition root). */
  readonly router: Router;
  /**
   * The vendor's routes for the table served before express (`http/fast-routes.ts`), in the
   * router's order, each with the handler its express route calls; the preflights stay in express.
   */
  readonly fastRoutes: readonly NativeFastRoute[];
}

/**
 * The routes of `options.api`, for the express application (mounted by the composition root).
 *
 * @example
 * ```ts
 * app.use(createNativeRoutes({ api: NATIVE_APIS.openai({ baseUrl, answerLimitBytes }), client, policy, allowedOrigins: [], nativeToken, requestLimitBytes, metrics, logger }));
 * ```
 */
export function createNativeRoutes(options: NativeCoreOptions): Router {
  return openNativeRoutes(options).router;
}

/**
 * The routes of `options.api` for the express application, and the same routes to serve before
 * it — one handler for both doors.
 *
 * Served before express against through it (main's build), bench/micro/native-builds.js paired
 * (`BENCH_NATIVE_PAIRED=1`: both gateways at once, the client alternating; 8 rounds of 1000
 * streamed turns; medians over rounds of each round's difference): Node 20 time to first token
 * p50 3.97 → 3.69 ms (−0.34 ms, every round faster), gateway CPU 3170 → 2750 µs per request
 * (−405 µs, every round); Node 26 p50 5.40 → 5.03 ms (−0.16 ms, every round), 2110 → 2035 µs
 * (−85 µs, every round) — at load 7-12 on 2 cores (the full test suite ran beside the Node 26
 * run), where p99 moved by more than either build's difference (Node 20 −1.8 ms, Node 26
 * +8.5 ms of 70). A second Node 26 run, the test suite again beside it: p50 3.44 → 3.28 ms
 * (−0.12 ms), 1995 → 1905 µs (−85 µs, every round), p99 +0.8 ms of 52. Unpaired, 10 rounds of
 * 1500 on Node 26: 1590 → 1463 µs, p50 added 1.24 → 1.11 ms.
 */
export function openNativeRoutes(options: NativeCoreOptions): NativeRoutes {
  const { api, allowedOrigins } = options;
  const router = Router();
  const methodsOf = new Map<string, string[]>();
  for (const route of api.routes) methodsOf.set(route.path, [...(methodsOf.get(route.path) ?? []), route.method]);
  for (const [path, methods] of methodsOf) {
    router.options(expressPath(path), (req, res) => {
      const verdict = judgeOrigin(req, allowedOrigins);
      if (verdict === 'refused') return refuse(api, req, res, new NativeRefusal('forbidden_origin'));
      answerPreflight(req, res, verdict, [...methods, 'OPTIONS']);
    });
  }
  const serve = createServe(options);
  const fastRoutes: NativeFastRoute[] = [];
  for (const route of api.routes) {
    const path = expressPath(route.path);
    const handler = (req: Request, res: Response): Promise<void> => serve(route, req, res, req.originalUrl, req.params as Record<string, string>);
    if (route.method === 'GET') router.get(path, handler);
    else router.post(path, handler);
    fastRoutes.push({
      method: route.method,
      path,
      query: true,
      serve: (req, res, params, fail) => {
        serve(route, req, res, req.url ?? '', params).catch(fail);
      },
    });
  }
  return { router, fastRoutes };
}

/** Serve one request of `route`: `url` as the client sent it, `params` its path's parameters. */
type Serve = (route: NativeRoute, req: IncomingMessage, res: ServerResponse, url: string, params: Readonly<Record<string, string>>) => Promise<void>;

function createServe(options: NativeCoreOptions): Serve {
  const { api, client, policy, metrics, logger } = options;
  const isNativeToken = options.nativeToken === undefined ? undefined : createSecretCheck(options.nativeToken);

  /** Headers the vendor gets from the client: the module's list, and the client's own key unless `NATIVE_TOKEN` stands for ours. */
  function passedHeaders(req: IncomingMessage): Record<string, string> {
    const headers: Record<string, string> = {};
    const names = isNativeToken === undefined ? ['authorization', ...api.passedRequestHeaders] : api.passedRequestHeaders;
    for (const name of names) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return headers;
  }

  function observe(direction: 'inbound' | 'outbound', tally: RedactionTally, seconds?: number): void {
    if (tally.bytes > 0) metrics.observeRedaction(direction, tally, tally.bytes, seconds, NATIVE_ENDPOINT);
  }

  return async function serve(route, req, res, url, params) {
    const verdict = judgeOrigin(req, options.allowedOrigins);
    allowOrigin(req, res, verdict);
    if (verdict === 'refused') return refuse(api, req, res, new NativeRefusal('forbidden_origin'));
    if (options.isDraining?.() === true) return refuse(api, req, res, new NativeRefusal('shutting_down'));
    if (isNativeToken !== undefined && !isNativeToken(BEARER.exec(req.headers.authorization ?? '')?.[1] ?? '')) {
      return refuse(api, req, res, new NativeRefusal('unauthorized'));
    }
    const inbound = new NativeText(policy);
    let spec: RequestSpec;
    let read: NativeReader;
    try {
      const body = route.method === 'POST' ? await readJsonBody(req, options.requestLimitBytes, route.body ?? 'json') : undefined;
      const started = process.hrtime.bigint();
      ({ spec, read } = route.prepare(requestOf(req, url, params, body), inbound));
      observe('inbound', inbound.tally, Number(process.hrtime.bigint() - started) / NANOSECONDS_PER_SECOND);
    } catch (error) {
      // Fail closed in the vendor's own shape, whatever went wrong: nothing was forwarded.
      const refusal = error instanceof CodedError ? error : new CodedError('internal', { cause: error });
      if (refusal.code === 'internal') logger.error({ route: route.path, err: error }, 'native request failed before forwarding');
      else logger.info({ route: route.path, code: refusal.code }, 'native request refused');
      // A body never read (a refused upload): the client may still be sending it.
      if (route.body === 'none' && !isBodiless(req)) closeLingering(req, res);
      return refuse(api, req, res, refusal);
    }
    const outbound = new NativeText(policy, api.markup);
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort(new CodedError('vendor_error'));
    };
    res.once('close', onClose);
    const sent: RequestSpec = { ...spec, headers: { ...passedHeaders(req), ...spec.headers } };
    const readAnswer = (response: VendorResponse, signal: AbortSignal) => readNativeAnswer(api, read, response, signal, outbound);
    try {
      for await (const piece of client.turn(controller.signal, (turn) => turn.exchange(sent, readAnswer))) {
        if (isHead(piece)) res.writeHead(piece.status, { ...piece.headers, ...headersOf(piece.contentType) });
        else if (!res.write(piece)) await drained(res, controller.signal);
      }
      res.end();
    } catch (error) {
      if (controller.signal.aborted && res.destroyed) return;
      const failure = error instanceof CodedError ? error : new CodedError('internal');
      if (!(error instanceof CodedError)) logger.error({ route: route.path, err: error }, 'native request failed');
      if (!res.headersSent) return refuse(api, req, res, failure);
      const end = api.failedEnd?.(problemOf(failure));
      if (end === undefined) res.destroy();
      else res.end(end);
    } finally {
      res.off('close', onClose);
      observe('outbound', outbound.tally);
    }
  };
}

/** The headers of an answer of `contentType`: never cached, and a stream never buffered by a proxy on the way. */
function headersOf(contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': 'no-store' };
  if (contentType === EVENT_STREAM) headers['x-accel-buffering'] = 'no';
  return headers;
}

/** Answer `error` in the vendor's own shape. */
function refuse(api: NativeApi, req: IncomingMessage, res: ServerResponse, error: CodedError): void {
  const problem = problemOf(error);
  // A body refused before it was read: the client may still be sending it.
  if (problem.status === HTTP_STATUS.payloadTooLarge) closeLingering(req, res);
  res.writeHead(problem.status, headersOf(JSON_TYPE));
  res.end(JSON.stringify(api.errorBody(problem)));
}

/** Wait until `res` takes more, or the request ends. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The vendor's answer headers the module passes on. */
function pickHeaders(api: NativeApi, response: VendorResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of api.passedAnswerHeaders) {
    const value = response.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/**
 * One answer of the vendor as the client gets it. A 2xx answer is the module's to read; a status
 * another attempt may cure (429, 502, 503, 504) is thrown for the shared core to retry; any other
 * refusal of the vendor is passed on with its status — a JSON body with every string redacted,
 * any other body replaced by the vendor's error shape. The body is released however reading ends.
 */
async function* readNativeAnswer(
  api: NativeApi,
  read: NativeReader,
  response: VendorResponse,
  signal: AbortSignal,
  outbound: NativeText,
): AsyncGenerator<NativePiece | WrittenHead, void> {
  const { body, statusCode } = response;
  const headers = pickHeaders(api, response);
  try {
    if (isSuccessStatus(statusCode)) {
      for await (const piece of read(response, signal, outbound)) yield typeof piece === 'string' ? piece : { ...piece, headers };
      return;
    }
    const failure = failureFromStatus(statusCode, response.headers['retry-after']);
    if (failure.retryable) throw failure;
    const text = await readBodyText(response, ERROR_BODY_LIMIT_BYTES);
    const isJson = isJsonMediaType(readMediaType(response));
    yield { status: statusCode, contentType: JSON_TYPE, headers };
    yield isJson ? outbound.redactJson(text) : JSON.stringify(api.errorBody({ ...problemOf(new CodedError('vendor_error')), status: statusCode }));
  } finally {
    releaseBody(body);
  }
}
