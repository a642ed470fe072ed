/**
 * What a vendor module of the native API is: the vendor's own routes, what of a request is user
 * text, what of an answer a person reads, and the vendor's own error shape. The native core
 * (`native-core.ts`) does the rest for every vendor alike — CORS, `NATIVE_TOKEN`, body limits,
 * the shared vendor core's budget, retries and breaker, metrics and logs — so a module only
 * translates its wire format.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestSpec, VendorResponse } from '../chatbot/vendor-exchange.js';
import { CodedError, type ErrorCode } from '../errors.js';
import type { NativeMarkup, NativeText } from './native-text.js';

/** A client's request as the core hands it to a module: its JSON body (`undefined` for a `GET` or none), headers and address. */
export interface NativeRequest {
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  /** The path's parameters (`{conversationId}` in the route's path), decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The query as the client wrote it, with its `?` (`''` without one): passed on as it came. */
  readonly search: string;
  /** The service's own origin as the client reached it (`https://chat.example.no`), behind a trusted proxy too. */
  readonly origin: string;
}

/** The status and media type of the client's answer; the core adds CORS, caching and passed headers. */
export interface NativeHead {
  readonly status: number;
  readonly contentType: string;
}

/** What a reader yields: first the {@link NativeHead}, then the body in pieces, already redacted. */
export type NativePiece = NativeHead | string;

/**
 * Reads one 2xx answer of the vendor into the client's answer, every text a person reads sent
 * through `outbound`; it is called afresh for every attempt. A failure before the first piece may
 * be retried by the shared core; one after it ends the answer where it stands.
 */
export type NativeReader = (response: VendorResponse, signal: AbortSignal, outbound: NativeText) => AsyncIterable<NativePiece>;

/** The vendor request a module makes of a client's request — user text already redacted — and how its answer reads. */
export interface VendorCall {
  readonly spec: RequestSpec;
  readonly read: NativeReader;
}

/** One of the vendor's own routes, served at its own path. */
export interface NativeRoute {
  readonly method: 'GET' | 'POST';
  /** The path served, and asked of the vendor under its base URL; `{name}` is a path parameter. */
  readonly path: string;
  /** A POST's body: JSON (the default), JSON or nothing, or never read (the route refuses every request). */
  readonly body?: 'json' | 'optional' | 'none';
  /** For the OpenAPI document: a unique id, a summary, and what is redacted. */
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  /**
   * The vendor request for `request`, every text a person wrote sent through `inbound`.
   *
   * @throws {@link NativeRefusal} for a request that cannot be passed on redacted
   */
  prepare(request: NativeRequest, inbound: NativeText): VendorCall;
}

/** A problem the client is told of in the vendor's own error shape. */
export interface NativeProblem {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** The request field at fault, where the vendor's shape names one (OpenAI's `param`). */
  readonly param?: string | undefined;
}

/**
 * A vendor's own WebSocket stream, bridged by the core (`native-stream.ts`): the client connects
 * to the gateway at the path the vendor uses, the gateway to the vendor, and each message is
 * passed through the module's redaction — or not at all.
 */
export interface NativeStream {
  /** For the OpenAPI document: the path served (`{name}` a parameter), a unique id, a summary, and what is redacted. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  /** Whether an upgrade's path is this stream's. */
  matches(pathname: string): boolean;
  /** The vendor's WebSocket URL for the client's path and query. */
  vendorUrl(pathname: string, search: string): string;
  /** A vendor's message as the client gets it; `undefined`: not passed on. */
  toClient(message: string, outbound: NativeText): string | undefined;
  /** A client's message as the vendor gets it; `undefined`: not passed on. */
  toVendor(message: string, inbound: NativeText): string | undefined;
}

/** The vendor's own API, as one module serves it. */
export interface NativeApi {
  readonly routes: readonly NativeRoute[];
  /** The vendor's stream, where it has one (Direct Line's `streamUrl`). */
  readonly stream?: NativeStream;
  /** Request headers passed to the vendor as they came, besides `authorization` (lower-case). */
  readonly passedRequestHeaders: readonly string[];
  /** Answer headers of the vendor passed to the client (lower-case): ids and limits, never text. */
  readonly passedAnswerHeaders: readonly string[];
  /** The body of an error answer, in the vendor's own shape. */
  errorBody(problem: NativeProblem): unknown;
  /** What the vendor's answers are written in, as its clients render them (default plain text). */
  readonly markup?: NativeMarkup;
  /**
   * The end of an answer that failed after it began (`undefined`: it is cut where it stands):
   * an OpenAI stream's `error` event, which its clients raise.
   */
  failedEnd?(problem: NativeProblem): string;
}

/** What the OpenAPI document says of a route, or of the stream as a GET that upgrades. */
export type DocumentedRoute = Pick<NativeRoute, 'method' | 'path' | 'operationId' | 'summary' | 'description' | 'body'> & { readonly upgrade?: boolean };

/** Everything `api` serves, for the OpenAPI document: its routes, and its stream as a GET that upgrades. */
export function documentedRoutes(api: NativeApi): DocumentedRoute[] {
  if (api.stream === undefined) return [...api.routes];
  const { path, operationId, summary, description } = api.stream;
  return [...api.routes, { method: 'GET', path, operationId, summary, description, upgrade: true }];
}

/** Where a module's vendor is and how much of an answer it may buffer. */
export interface NativeApiSettings {
  /** `VENDOR_URL`. */
  readonly baseUrl: string;
  /** Largest answer body buffered whole (`MAX_REPLY_BYTES`). */
  readonly answerLimitBytes: number;
}

/** Builds one vendor's module. */
export type NativeApiFactory = (settings: NativeApiSettings) => NativeApi;

/**
 * A request refused before anything reached the vendor, with a registered code, a message that
 * never repeats input, and the field at fault.
 */
export class NativeRefusal extends CodedError {
  readonly param: string | undefined;

  constructor(code: ErrorCode, message?: string, param?: string) {
    super(code, message === undefined ? undefined : { message });
    this.param = param;
  }
}

/** The problem a coded error stands for. */
export function problemOf(error: CodedError): NativeProblem {
  return { status: error.status, code: error.code, message: error.message, param: error instanceof NativeRefusal ? error.param : undefined };
}

/** The URL of `path` under the vendor's base URL, a path the base already has not repeated (`/v1` + `/v1/models`). */
export function vendorUrlOf(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  const base = url.pathname.replace(/\/+$/, '');
  const [first] = path.split('/').filter((part) => part !== '');
  url.pathname = first !== undefined && base.endsWith(`/${first}`) ? base + path.slice(first.length + 1) : base + path;
  return url.href;
}
