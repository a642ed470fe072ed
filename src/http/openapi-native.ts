/**
 * The native API's operations in the OpenAPI document (`NATIVE_API=on`): each route the vendor
 * module serves, as the module names and describes it, with the answers the native core gives
 * every vendor alike. The bodies are the vendor's own (OpenAI's, Rasa's), documented by the
 * vendor; the document says which vendor and where the redaction applies.
 *
 * @module
 */
import { operation } from './openapi.js';

/** What the document needs of a native route: the module's own words for it. */
export interface DocumentedRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  /** A POST's body: JSON (the default), optional, or never read. */
  readonly body?: 'json' | 'optional' | 'none';
  /** A GET that upgrades to the vendor's WebSocket stream (Direct Line's), bridged and redacted. */
  readonly upgrade?: boolean;
}

/** The answers of a stream's upgrade. */
const UPGRADE_ANSWERS = {
  101: { description: 'Switching Protocols: the vendor’s stream, bridged, each message redacted.' },
  403: { description: 'The Origin is neither the service’s own nor in ALLOWED_ORIGINS, or the vendor refused the stream URL (used or expired).' },
  '4XX': { description: 'The vendor refused the stream with this status.' },
  502: { description: 'The vendor’s stream could not be opened.' },
};

/** The path parameters of `path` (`{conversationId}`), each a required string. */
function pathParameters(path: string): Record<string, unknown>[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, description: `The vendor’s ${name}, passed as it came.`, schema: { type: 'string' } }));
}

const PATH_PARAMETER = /:(\w+)/g;
const vendorBody = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

/** The answers of every native operation but its 200, by status. */
const REFUSALS = {
  401: vendorBody('NATIVE_TOKEN is set and the bearer token is missing or wrong (`code`: `unauthorized`), in the vendor’s error shape.'),
  403: vendorBody('The Origin is neither the service’s own nor in ALLOWED_ORIGINS (`code`: `forbidden_origin`).'),
  '4XX': vendorBody('The vendor’s own refusal, passed on with its status, every string in it redacted.'),
  502: vendorBody('The vendor’s answer could not be read or redacted: nothing of it is passed on (`code`: `vendor_error`).'),
  503: vendorBody('The vendor could not be reached, or its circuit breaker is open (`code`: `vendor_unavailable`).'),
  504: vendorBody('The vendor did not answer within VENDOR_TIMEOUT_MS (`code`: `vendor_timeout`).'),
};
const BODY_REFUSALS = {
  400: vendorBody('The body is no JSON, or holds what cannot be passed on redacted (`invalid_request`, `unsupported_content`).'),
  413: vendorBody('The body is over max(MAX_MESSAGE_BYTES, 1 MiB) (`message_too_large`).'),
  415: vendorBody('The body is not `application/json`, or is compressed (`unsupported_media_type`).'),
};

/**
 * The path items of `routes`: each operation, and each path's CORS preflight.
 *
 * @example
 * ```ts
 * serveOpenApi(describeNativePaths(nativeDoor.routes));
 * ```
 */
export function describeNativePaths(routes: readonly DocumentedRoute[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    // An express parameter (`:id`) is an OpenAPI template (`{id}`), declared on the path.
    const names = [...route.path.matchAll(PATH_PARAMETER)].map((match) => match[1]!);
    const item = (paths[route.path.replace(PATH_PARAMETER, '{$1}')] ??= {});
    if (names.length > 0) item.parameters = names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const ok = route.method === 'POST' ? { 200: { description: 'The vendor’s answer, redacted.', content: { 'application/json': { schema: { type: 'object' } }, 'text/event-stream': { schema: { type: 'string' } } } } } : { 200: vendorBody('The vendor’s answer.') };
    const parameters = pathParameters(route.path);
    const hasBody = route.method === 'POST' && route.body !== 'none';
    if (route.upgrade === true) {
      item.get = operation(route.operationId, route.summary, { description: route.description, ...(parameters.length > 0 && { parameters }), responses: UPGRADE_ANSWERS });
      continue;
    }
    item[route.method.toLowerCase()] = operation(route.operationId, route.summary, {
      description: route.description,
      ...(parameters.length > 0 && { parameters }),
      ...(hasBody && { requestBody: { required: route.body !== 'optional', content: { 'application/json': { schema: { type: 'object' } } } } }),
      responses: { ...ok, ...(hasBody && BODY_REFUSALS), ...REFUSALS },
    });
    item.options ??= operation(`${route.operationId}Preflight`, `CORS preflight of ${route.path}`, {
      ...(parameters.length > 0 && { parameters }),
      responses: {
        204: { description: 'The origin is allowed: the methods, the asked headers and a max-age.' },
        403: vendorBody('The Origin is neither the service’s own nor in ALLOWED_ORIGINS.'),
      },
    });
  }
  return paths;
}
