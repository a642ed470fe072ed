/**
 * The OpenAPI 3.1 document of the HTTP API, served at `GET /openapi.json`.
 *
 * It cannot drift from the code where drift would hurt: the `/v1/redact` request and response
 * schemas are generated from the zod schemas the route itself uses (`z.toJSONSchema`, JSON Schema
 * 2020-12, which OpenAPI 3.1 adopts), and the error `code` enum from the error registry. A test
 * checks that every path here is answered by the app and every route of the app is here.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { Router } from 'express';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { CHAT_PATH, CHAT_SUBPROTOCOL } from '../gateway/upgrade-policy.js';
import { redactRequestSchema, redactResponseSchema, redactStreamParametersSchema } from './redact-routes.js';
import { CHAT_FRAME_PATH } from './static-widget.js';
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

const CHAT_DESCRIPTION = `The chat WebSocket. Send a GET with \`Upgrade: websocket\`; the server answers 101 and from then on
speaks JSON text frames:

- on open the server sends \`{"type":"notice","text":"…"}\`;
- the widget sends \`{"type":"message","id":"1–64 characters","text":"…"}\`;
- the server answers \`{"type":"ack","id":"…","redactions":N,"text":"<redacted>"}\` before it forwards the text, then
  \`{"type":"reply","id":"…","text":"…","final":false|true}\` frames with the bot's redacted reply;
- problems come as \`{"type":"error","id":"…","code":"…","message":"…"}\`, with a \`code\` from the Error schema.

The upgrade is refused with a bare status, before any WebSocket exists: 403 for an origin not in
\`ALLOWED_ORIGINS\`, 401 when \`WIDGET_TOKEN\` is set and not presented (as \`?token=\` or as a
\`Sec-WebSocket-Protocol\` value beside \`${CHAT_SUBPROTOCOL}\`). A GET without the upgrade is answered 404.`;

function buildDocument(): Record<string, unknown> {
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
    paths: {
      '/v1/redact': {
        post: {
          summary: 'Redact one text',
          description: 'At most max(MAX_MESSAGE_BYTES, 1 MiB) of JSON; longer texts go to /v1/redact/stream.',
          requestBody: { required: true, content: json('RedactRequest') },
          responses: {
            200: { description: 'The redacted text and what was deleted.', content: json('RedactResponse') },
            400: errorAnswer('The body is not valid JSON or not `{"text":"…"}`', 'invalid_request'),
            413: errorAnswer('The body is larger than the route accepts', 'message_too_large'),
            415: errorAnswer('The body is not `application/json`, not UTF-8, or compressed', 'unsupported_media_type'),
            500: errorAnswer('An unexpected failure', 'internal'),
          },
        },
      },
      '/v1/redact/stream': {
        post: {
          summary: 'Redact a text of any size, streamed',
          description:
            'The body (UTF-8 text of any length and any content type) is redacted as it arrives and streamed back in ' +
            'constant memory; a number split across network packets is still found. For logs, `format=json` writes ' +
            'each JSON line back as valid JSON (strings and keys redacted, a number written with seven or more digits ' +
            '`null`, the `keepField`s as they came; a line over 1 MiB as text), and `keepTimestamps=1` keeps complete ' +
            'date-times.',
          parameters: queryParameters(redactStreamParametersSchema),
          requestBody: { required: true, content: plainText },
          responses: {
            200: { description: 'The redacted text, streamed.', content: { 'text/plain; charset=utf-8': { schema: { type: 'string' } } } },
            400: errorAnswer('A query parameter is not valid; the message names it', 'invalid_request'),
            415: errorAnswer('A charset other than UTF-8, or a content encoding such as gzip', 'unsupported_media_type'),
            500: errorAnswer('An unexpected failure before the answer started', 'internal'),
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          responses: { 200: { description: 'The process runs.', content: json('Health') } },
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness',
          responses: {
            200: { description: 'Takes new traffic: `{"status":"ready"}`.', content: json('Readiness') },
            503: { description: 'Draining for shutdown: `{"status":"draining"}`.', content: json('Readiness') },
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          description: 'Counts and durations only; no label or value carries message content.',
          security: [{}, { metricsToken: [] }],
          responses: {
            200: { description: 'Prometheus text format.', content: plainText },
            401: errorAnswer('METRICS_TOKEN is set and the bearer token is missing or wrong', 'unauthorized'),
          },
        },
      },
      [CHAT_PATH]: {
        get: {
          summary: 'Chat (WebSocket upgrade)',
          description: CHAT_DESCRIPTION,
          parameters: [
            { name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'The WIDGET_TOKEN, when set.' },
          ],
          responses: {
            101: { description: 'Switching protocols: the WebSocket is open.' },
            401: { description: 'WIDGET_TOKEN is set and was not presented.' },
            403: { description: 'The Origin is not allowed.' },
          },
        },
      },
      [WIDGET_POLICY_PATH]: {
        get: {
          summary: 'The redaction policy, for the widget',
          description:
            'The settings of the policy the gateway redacts with (minDigits, maxGap, replacement, and allowed numbers ' +
            'where configured), so that the widget runs the same engine with them in the browser before sending.',
          responses: { 200: { description: 'The policy.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      [CHAT_FRAME_PATH]: {
        get: {
          summary: 'The chat page for the embed launcher',
          description: 'The widget page that `/embed.js` frames; only the origins in EMBED_ORIGINS may frame it.',
          responses: { 200: { description: 'The page.', content: { 'text/html; charset=utf-8': { schema: { type: 'string' } } } } },
        },
      },
      [OPENAPI_PATH]: {
        get: {
          summary: 'This document',
          responses: { 200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
    components: {
      schemas: {
        RedactRequest: toComponent(redactRequestSchema),
        RedactResponse: toComponent(redactResponseSchema),
        Error: toComponent(errorBodySchema),
        Health: toComponent(healthSchema),
        Readiness: toComponent(readinessSchema),
      },
      securitySchemes: {
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN, when one is configured.' },
      },
    },
  };
}

let document: Record<string, unknown> | undefined;

/**
 * The OpenAPI 3.1 document of the HTTP API, built once.
 *
 * @example
 * ```ts
 * const doc = describeHttpApi();
 * Object.keys(doc.paths as object); // ['/v1/redact', '/v1/redact/stream', '/healthz', …]
 * ```
 */
export function describeHttpApi(): Record<string, unknown> {
  document ??= buildDocument();
  return document;
}

/**
 * Route `GET /openapi.json`: the document, as JSON.
 *
 * @example
 * ```ts
 * app.use(serveOpenApi());
 * ```
 */
export function serveOpenApi(): Router {
  const body = JSON.stringify(describeHttpApi());
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
