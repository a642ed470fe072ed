/**
 * The OpenAPI 3.1 document of the HTTP API, served at `GET /openapi.json`.
 *
 * It cannot drift from the code where drift would hurt: the `/v1/redact` request and response
 * schemas are generated from the zod schemas the route itself uses (`z.toJSONSchema`, JSON Schema
 * 2020-12, which OpenAPI 3.1 adopts), and the error `code` enum from the error registry. A test
 * checks that every path here is answered by the app and every route of the app is here.
 *
 * One file over 300 lines: it is the document, written once; what it derives from code is derived
 * where it stands.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { Router } from 'express';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { CHAT_PATH } from '../gateway/upgrade-policy.js';
import { POLICY_LIMITS } from '../redact/index.js';
import { CHAT_DESCRIPTION, CHAT_FRAMES_EXTENSION, describeChatFrames } from './openapi-frames.js';
import { COUNTS_TRAILER, redactCountsSchema, redactRequestSchema, redactResponseSchema, redactStreamParametersSchema } from './redact-routes.js';
import { ASSETS_PATH, CHAT_FRAME_PATH, EMBED_SCRIPT_PATH, ENGINE_MODULE_PATH } from './static-widget.js';
import { PAGE_PASS_PATH } from './page-pass-route.js';
import { WIDGET_POLICY_PATH } from './widget-policy-route.js';

/** Where the document is served. */
export const OPENAPI_PATH = '/openapi.json';
const OPENAPI_VERSION = '3.1.0';
const SCHEMAS = '#/components/schemas';

/** The body of every HTTP error answer; `code` is one of the registry's codes. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe('Stable code from the error registry.'),
    message: z.string().describe('For people; never repeats their input.'),
  }),
});
const healthSchema = z.strictObject({ status: z.literal('ok') });
const readinessSchema = z.strictObject({ status: z.enum(['ready', 'draining']) });

/** A component schema: JSON Schema 2020-12 without the `$schema` line, which the document implies. */
function toComponent(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output' });
  return rest;
}

/** The query parameters of a zod object schema: each field's JSON Schema, and its description beside it. */
function queryParameters(schema: z.ZodObject): Record<string, unknown>[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _dialect, description, ...fieldSchema } = z.toJSONSchema(field as z.ZodType, { io: 'input' });
    return { name, in: 'query', required: false, description, schema: fieldSchema };
  });
}

function readPackageVersion(): string {
  // src/http/ under tests, dist/http/ when built or installed: the package root is two levels up.
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

const ref = (name: string) => ({ $ref: `${SCHEMAS}/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorAnswer = (description: string, ...codes: ErrorCode[]) => ({
  description: `${description} (\`code\`: ${codes.map((code) => `\`${code}\``).join(', ')})`,
  content: json('Error'),
});
const plainText = { 'text/plain': { schema: { type: 'string' } } };
/** Node answers any request whose headers pass its limit with a bare 431, before a route sees it. */
const HEADERS_TOO_LARGE = { $ref: '#/components/responses/HeadersTooLarge' };
const text = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });

/** An operation: its id, its summary, and its answers, each with the 431 every request may get. */
export function operation(operationId: string, summary: string, details: { responses: Record<string, unknown> } & Record<string, unknown>): Record<string, unknown> {
  const { responses, ...rest } = details;
  return { operationId, summary, ...rest, responses: { ...responses, 431: HEADERS_TOO_LARGE } };
}

const page = (operationId: string, summary: string, description: string) =>
  operation(operationId, summary, { description, responses: { 200: text('text/html; charset=utf-8', 'The page (no-cache; brotli or gzip as accepted).') } });
const script = (operationId: string, summary: string, description: string) =>
  operation(operationId, summary, {
    description: `${description} Revalidated on every load (no-cache, ETag); brotli or gzip as accepted.`,
    responses: {
      200: text('text/javascript; charset=utf-8', 'The script.'),
      304: { description: 'Not modified: the ETag in If-None-Match is current.' },
    },
  });

/** The widget's files: the pages, the stable scripts (revalidated) and the hashed files (immutable). */
function describeWidgetFiles(): Record<string, unknown> {
  const anyText = { type: 'string' };
  return {
    '/': { get: page('getChatPage', 'The chat widget page', 'No cookies, no third-party scripts; it loads hashed files under /assets/.') },
    [CHAT_FRAME_PATH]: {
      get: page('getChatFramePage', 'The chat page for the embed launcher', 'The widget page that `/embed.js` frames; only the origins in EMBED_ORIGINS may frame it.'),
    },
    '/widget.js': { get: script('getWidgetScript', "The widget's script", 'An ES module that imports the hashed widget module.') },
    [ENGINE_MODULE_PATH]: {
      get: script(
        'getEngineModule',
        'The redaction engine as an ES module',
        'For a web team’s own UI on any origin (CORS: `access-control-allow-origin: *`): `import { redact, readWidgetPolicy } from "https://<gateway>/redact.js"`.',
      ),
    },
    [EMBED_SCRIPT_PATH]: {
      get: script('getEmbedScript', 'The embed launcher', 'A classic script for any page: one script element with `src="https://<gateway>/embed.js"` and `defer` adds a launcher that opens the chat in a frame.'),
    },
    [`${ASSETS_PATH}{file}`]: {
      get: operation('getAsset', 'A file with a content hash in its name', {
        description:
          'Scripts, style and icon under content-hashed names, as the page and the modules name them: cached for a ' +
          'year (`immutable`), readable from any origin, brotli or gzip as accepted.',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]+-[A-Z0-9]{8}\\.(js|css|svg)$' } }],
        responses: {
          200: {
            description: 'The file.',
            content: { 'text/javascript; charset=utf-8': { schema: anyText }, 'text/css; charset=utf-8': { schema: anyText }, 'image/svg+xml': { schema: anyText } },
          },
          404: errorAnswer('No file of this name in this build', 'not_found'),
        },
      }),
    },
  };
}

/** What the redaction API's guard answers (`http/redact-api-guard.ts`), on both routes. */
const GUARD_ANSWERS = {
  401: errorAnswer('REDACT_API_TOKEN is set and `authorization: Bearer <token>` is missing or wrong', 'unauthorized'),
  429: errorAnswer('More than REDACT_API_RATE_PER_MINUTE requests from this client; `Retry-After` says how long to wait', 'rate_limited'),
};

function describePaths(): Record<string, unknown> {
  return {
    '/v1/redact': {
      post: operation('redactText', 'Redact one text', {
        description:
          'At most MAX_REDACT_BYTES (1 MiB) of JSON; longer texts go to /v1/redact/stream. No query parameters: the ' +
          'policy is the gateway’s. With REDACT_API=off the route is absent (404).',
        requestBody: { required: true, content: json('RedactRequest') },
        responses: {
          200: { description: 'The redacted text, what was deleted and what was kept on purpose (counts only).', content: json('RedactResponse') },
          400: errorAnswer('The body is not valid JSON or not `{"text":"…"}`, or a query parameter was given', 'invalid_request'),
          ...GUARD_ANSWERS,
          413: errorAnswer('The body is larger than MAX_REDACT_BYTES', 'message_too_large'),
          415: errorAnswer('The body is not `application/json`, not UTF-8, or compressed', 'unsupported_media_type'),
          500: errorAnswer('An unexpected failure', 'internal'),
        },
      }),
    },
    '/v1/redact/stream': {
      post: operation('redactStream', 'Redact a text of any size, streamed', {
        description:
          'The body (UTF-8 text of any length and any content type) is redacted as it arrives and streamed back in ' +
          'constant memory; a number split across network packets is still found. For logs, `format=json` writes ' +
          'each JSON line back as valid JSON (strings and keys redacted, a number written with seven or more digits ' +
          '`null`, the `keepField`s as they came; a line over 1 MiB as text), and `keepTimestamps=1` keeps complete ' +
          'date-times. The policy, kept classes (REDACT_KEEP) included, is the gateway’s. What was deleted and kept ' +
          `comes after the body, in the HTTP/1.1 trailer field \`${COUNTS_TRAILER}\`: the JSON of \`RedactCounts\`, as ` +
          '/v1/redact counts (a stream that fails or is cut off ends without it).',
        parameters: queryParameters(redactStreamParametersSchema),
        requestBody: { required: true, content: plainText },
        responses: {
          200: {
            ...text('text/plain; charset=utf-8', 'The redacted text, streamed, then its counts in a trailer.'),
            headers: {
              Trailer: { description: 'Names the trailer field that follows the body.', schema: { type: 'string', const: COUNTS_TRAILER } },
              [COUNTS_TRAILER]: {
                description: 'A trailer field, after the body: what was deleted and kept, in counts (absent when the stream failed).',
                content: json('RedactCounts'),
              },
            },
          },
          400: errorAnswer('A query parameter is not valid or names a policy setting; the message names it', 'invalid_request'),
          ...GUARD_ANSWERS,
          413: errorAnswer('The body is announced larger than MAX_STREAM_BYTES (one that grows past it is cut off)', 'message_too_large'),
          415: errorAnswer('A charset other than UTF-8, or a content encoding such as gzip', 'unsupported_media_type'),
          500: errorAnswer('An unexpected failure before the answer started', 'internal'),
        },
      }),
    },
    '/healthz': {
      get: operation('getHealth', 'Liveness', { responses: { 200: { description: 'The process runs.', content: json('Health') } } }),
    },
    '/readyz': {
      get: operation('getReadiness', 'Readiness', {
        responses: {
          200: { description: 'Takes new traffic: `{"status":"ready"}`.', content: json('Readiness') },
          503: { description: 'Draining for shutdown: `{"status":"draining"}`.', content: json('Readiness') },
        },
      }),
    },
    '/metrics': {
      get: operation('getMetrics', 'Prometheus metrics', {
        description: 'Counts and durations only; no label or value carries message content.',
        security: [{}, { metricsToken: [] }],
        responses: {
          200: { description: 'Prometheus text format.', content: plainText },
          401: errorAnswer('METRICS_TOKEN is set and the bearer token is missing or wrong', 'unauthorized'),
        },
      }),
    },
    [CHAT_PATH]: {
      get: operation('openChat', 'Chat (WebSocket upgrade)', {
        description: CHAT_DESCRIPTION,
        ...CHAT_FRAMES_EXTENSION,
        parameters: [
          { name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'The WIDGET_TOKEN, when set.' },
          { name: 'resume', in: 'query', required: false, schema: { enum: ['0', '1'] }, description: '1: a resume frame follows (the gateway waits for it); 0: start at once.' },
        ],
        responses: {
          101: { description: 'Switching protocols: the WebSocket is open; frames as described.' },
          401: { description: 'WIDGET_TOKEN is set and was not presented.' },
          403: { description: 'The Origin is not allowed.' },
          404: { description: 'A GET without `Upgrade: websocket`.' },
          503: { description: 'MAX_CONNECTIONS chats are open, or the gateway is draining.' },
        },
      }),
    },
    [WIDGET_POLICY_PATH]: {
      get: operation('getWidgetPolicy', 'The redaction policy, for the widget', {
        description:
          'The settings of the policy the gateway redacts with, so that the widget runs the same engine with them in ' +
          'the browser before sending. Readable from any origin; revalidated on every load.',
        responses: { 200: { description: 'The policy.', content: json('WidgetPolicy') } },
      }),
    },
    [PAGE_PASS_PATH]: {
      get: operation('getPagePass', 'A pass for the gateway’s own pages', {
        description:
          'With WIDGET_TOKEN set, `{"pass":"…"}`: a short-lived pass (ten minutes) that the chat page and the embed ' +
          'frame present on `/chat` instead of the token. Without a token, `{}`. Same-origin only: no CORS, and a ' +
          'browser request from another site is refused. Never cached.',
        responses: {
          200: { description: 'The pass, or `{}` when none is needed.', content: { 'application/json': { schema: { type: 'object', properties: { pass: { type: 'string', pattern: '^[a-zA-F]+$' } } } } } },
          403: errorAnswer('A browser asked from another site', 'forbidden_origin'),
        },
      }),
    },
    ...describeWidgetFiles(),
    [OPENAPI_PATH]: {
      get: operation('getOpenApiDocument', 'This document', {
        responses: { 200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      }),
    },
  };
}

/** The policy as `/widget-policy.json` gives it: every setting, with the engine's bounds. */
const widgetPolicySchema = {
  type: 'object',
  required: ['minDigits', 'maxGap', 'replacement', 'allow', 'keepTimestamps'],
  properties: {
    minDigits: { type: 'integer', minimum: POLICY_LIMITS.minDigits.min, maximum: POLICY_LIMITS.minDigits.max },
    maxGap: { type: 'integer', minimum: POLICY_LIMITS.maxGap.min, maximum: POLICY_LIMITS.maxGap.max },
    replacement: { type: 'string', maxLength: POLICY_LIMITS.replacement.maxLength },
    allow: {
      type: 'array',
      maxItems: POLICY_LIMITS.allow.maxEntries,
      items: { type: 'string', pattern: `^[0-9]{${POLICY_LIMITS.allow.minDigits},${POLICY_LIMITS.allow.maxDigits}}$` },
      description: 'Allowed public numbers, as their digits.',
    },
    keepTimestamps: { type: 'boolean' },
  },
};

function buildDocument(extraPaths: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'chat-redact',
      version: readPackageVersion(),
      description:
        'Streaming privacy filter for customer-service chat: deletes every number combination of seven or more ' +
        'digits (any script, with spaces, dots, dashes or invisible characters between them) before anything is ' +
        'logged or forwarded. The policy is the service\'s configuration (REDACT_MIN_DIGITS, REDACT_MAX_GAP, ' +
        'REDACT_REPLACEMENT, and REDACT_ALLOW for public numbers that are kept). The chat widget page is served at ' +
        '`/`, and `/embed.js` adds it to any page.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'The gateway that serves this document.' }],
    // No route needs credentials but /metrics when METRICS_TOKEN is set (its own `security`).
    security: [{}],
    paths: { ...describePaths(), ...extraPaths },
    components: {
      schemas: {
        RedactRequest: toComponent(redactRequestSchema),
        RedactResponse: toComponent(redactResponseSchema),
        RedactCounts: toComponent(redactCountsSchema),
        Error: toComponent(errorBodySchema),
        Health: toComponent(healthSchema),
        Readiness: toComponent(readinessSchema),
        WidgetPolicy: widgetPolicySchema,
        ...describeChatFrames(),
      },
      responses: {
        HeadersTooLarge: { description: 'The request headers are over 16 KiB: a bare 431, and the connection closes.' },
      },
      securitySchemes: {
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN, when one is configured.' },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the HTTP API, with `extraPaths` (the native API's, when it is on).
 *
 * @example
 * ```ts
 * const doc = describeHttpApi();
 * Object.keys(doc.paths as object); // ['/v1/redact', '/v1/redact/stream', '/healthz', …]
 * ```
 */
export function describeHttpApi(extraPaths: Record<string, unknown> = {}): Record<string, unknown> {
  return buildDocument(extraPaths);
}

/**
 * Route `GET /openapi.json`: the document (with `extraPaths`), built once, as JSON.
 *
 * @example
 * ```ts
 * app.use(serveOpenApi());
 * ```
 */
export function serveOpenApi(extraPaths: Record<string, unknown> = {}): Router {
  const body = JSON.stringify(describeHttpApi(extraPaths));
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
