/**
 * The redaction API: `POST /v1/redact` for one JSON text, `POST /v1/redact/stream` for a body of
 * any size, streamed through the redactor in constant memory — as text, or as JSON lines
 * (`?format=json&keepField=…&keepTimestamps=1`, the command line's `--json`, `--keep-field`
 * and `--keep-timestamps`). Both say what they deleted and kept, in counts: the JSON answer
 * beside its text, the stream in a trailer after its body. The policy, `keep` included, is the
 * gateway's (`REDACT_KEEP`): a request cannot change it.
 *
 * The two routes share the guard, the checks before the body (`redact-request-checks.ts`) and
 * the answer's counts; apart they would each carry a copy.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IRouter } from 'express';
import { z } from 'zod';
import type { ClientAddressOf } from '../client-address.js';
import type { Config } from '../config/load-config.js';
import { CodedError } from '../errors.js';
import { HTTP_STATUS } from '../http-status.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import {
  JsonLinesTransform,
  KEEP_CLASSES,
  KINDS,
  MAX_KEEP_FIELDS,
  RedactTransform,
  chooseKeepFields,
  createPolicy,
  redact,
  type Policy,
} from '../redact/index.js';
import { describeBytes, describeTooLarge } from './error-handler.js';
import { readJsonBody, readPlainJsonBody } from './json-body.js';
import { sendJson } from './json-answer.js';
import { createRedactApiCheck } from './redact-api-guard.js';
import { beforeNext, readQuery, refuseAnnouncedOversize, refuseQuery, requireJson, requireUtf8Stream, type RequestCheck } from './redact-request-checks.js';

/** The routes of the redaction API, each guarded by the check of `redact-api-guard.ts`. */
export const REDACT_PATHS = ['/v1/redact', '/v1/redact/stream'] as const;
const MS_PER_SECOND = 1000;
/** What Node reports when the client goes away in the middle of a stream. */
const ABORT_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'ECONNABORTED']);

/**
 * The one accepted body of `POST /v1/redact`; messages are ours, so no input is echoed. The
 * OpenAPI document's request schema is generated from it.
 */
export const redactRequestSchema = z.strictObject(
  { text: z.string({ error: 'The field "text" must be a string.' }).describe('The text to redact.') },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'Only the field "text" is accepted.'
        : 'The body must be a JSON object like {"text":"…"}.',
  },
);

/**
 * What a redaction did, in counts only: the answer of `POST /v1/redact` without its text, and the
 * {@link COUNTS_TRAILER} of `POST /v1/redact/stream`. The OpenAPI document's schemas are generated
 * from it.
 */
export const redactCountsSchema = z.strictObject({
  redactions: z.int().min(0).describe('How many combinations were deleted.'),
  kinds: z
    .partialRecord(z.enum(KINDS), z.int().min(1))
    .describe('Deletions by kind; kinds with none are absent. The digits themselves are never returned.'),
  allowed: z.int().min(0).describe('Sensitive combinations kept because REDACT_ALLOW lists them (or as date-times, where asked).'),
  kept: z.int().min(0).describe('Combinations kept because they are of a class REDACT_KEEP names (amounts, future dates, org numbers).'),
  keptClasses: z.partialRecord(z.enum(KEEP_CLASSES), z.int().min(1)).describe('Kept combinations by class; classes with none are absent.'),
});

/** The answer of `POST /v1/redact`; the OpenAPI document's response schema is generated from it. */
export const redactResponseSchema = z.strictObject({
  text: z.string().describe('The text with every sensitive number combination replaced.'),
  ...redactCountsSchema.shape,
});

/**
 * The trailer field that ends every complete answer of `POST /v1/redact/stream`: its counts, as
 * the JSON of {@link redactCountsSchema} — counts are known only once the body has been read, so
 * they come after it (HTTP/1.1 chunked trailers; a client that reads no trailers loses nothing).
 */
export const COUNTS_TRAILER = 'Redact-Counts';

/** The counts of a redaction, as {@link redactCountsSchema} words them. */
function countsOf(result: z.infer<typeof redactCountsSchema>): z.infer<typeof redactCountsSchema> {
  const { redactions, kinds, allowed, kept, keptClasses } = result;
  return { redactions, kinds, allowed, kept, keptClasses };
}

/**
 * The answer of `POST /v1/redact` to a redaction (the benchmarks' bare baseline answers the same).
 *
 * @example
 * ```ts
 * redactAnswer(redact('ring 98765432')); // { text: 'ring ', redactions: 1, kinds: { phone: 1 }, allowed: 0, kept: 0, keptClasses: {} }
 * ```
 */
export function redactAnswer(result: z.infer<typeof redactResponseSchema>): z.infer<typeof redactResponseSchema> {
  return { text: result.text, ...countsOf(result) };
}

const FLAG_VALUES = ['1', 'true', '0', 'false'] as const;
const QUERY_NAMES = '"format", "keepField" and "keepTimestamps"';

/** The parameters of `POST /v1/redact/stream` as a client writes them; the OpenAPI document's are generated from it. */
export const redactStreamParametersSchema = z.strictObject(
  {
    format: z
      .enum(['text', 'json'], { error: 'The parameter "format" must be "text" or "json".' })
      .default('text')
      .describe('`json`: each line that is JSON is written back as valid JSON of the same shape; other lines as text.'),
    keepField: z
      .union([z.string(), z.array(z.string())], { error: 'The parameter "keepField" must be a field name.' })
      .optional()
      .describe(
        'With format=json: a field written as it came (repeatable; dot paths, `*` for any key or index). ' +
          '`time`, `timestamp`, `@timestamp` and `ts` are kept unless one keepField is empty.',
      ),
    keepTimestamps: z
      .enum(FLAG_VALUES, { error: 'The parameter "keepTimestamps" must be 1 or 0 (or true or false).' })
      .optional()
      .describe('1: complete date-times are kept; a bare date is still deleted.'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `Only the parameters ${QUERY_NAMES} are accepted.` : undefined) },
);

/**
 * The query of `POST /v1/redact/stream` read into the stream's choices, checked before anything
 * is streamed: a bad value is a 400 that names it.
 */
export const redactStreamQuerySchema = redactStreamParametersSchema.transform((query, ctx) => {
  const named = query.keepField === undefined ? [] : [query.keepField].flat();
  if (named.length > 0 && query.format !== 'json') {
    ctx.issues.push({ code: 'custom', message: 'The parameter "keepField" needs format=json.', input: query });
  }
  const { fields, problems } = chooseKeepFields(named);
  // The problems name the path; an HTTP answer never repeats its input, so they are not passed on.
  if (fields.length > MAX_KEEP_FIELDS) {
    ctx.issues.push({ code: 'custom', message: `The parameter "keepField" can name at most ${MAX_KEEP_FIELDS} fields.`, input: query });
  } else if (problems.length > 0) {
    ctx.issues.push({ code: 'custom', message: 'The parameter "keepField" must be a dot path such as "req.headers.x-request-id", with no empty part.', input: query });
  }
  const keepTimestamps = query.keepTimestamps === '1' || query.keepTimestamps === 'true';
  return { json: query.format === 'json', keepFields: fields, keepTimestamps };
});


/**
 * `POST /v1/redact` served without express, for a request of which `isPlainJsonRequest` holds
 * (`json-body.ts`): the guard, the checks before the body, the body and the answer of the
 * express route, in its order; a failure goes to `fail`, as the route's go to the error handler.
 */
export type ServeRedactJson = (req: IncomingMessage, res: ServerResponse, fail: (error: unknown) => void) => void;


function describeStreamTooLarge(limit: number): string {
  return `The body is larger than ${describeBytes(limit)}, the most this route accepts.`;
}

/** Passes bytes on and counts them, for the metrics; past `limit` it fails with `message_too_large`. */
class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      callback(new CodedError('message_too_large', { message: describeStreamTooLarge(this.limit) }));
      return;
    }
    callback(null, chunk);
  }
}

function isClientAbort(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ABORT_CODES.has(code);
}

/**
 * Mounts on `router` (the app itself) `POST /v1/redact` and `POST /v1/redact/stream`, both with the configured policy and
 * counted in the metrics as direction `inbound`, behind the guard (`createRedactApiCheck`); with
 * `REDACT_API=off` none (every `/v1/redact*` address is then a 404 like any unknown one).
 *
 * The JSON route reads at most `MAX_REDACT_BYTES` and the stream route `MAX_STREAM_BYTES`; a body
 * announced larger is refused with 413 before it is read, in a lingering close. A stream that
 * grows past its limit without announcing it is cut off where it gets there: its 200 is already
 * on its way.
 *
 * On the app rather than a router of their own: a nested router is walked, its URL parsed and its
 * state saved and restored, by every request that reaches it: 551 against 618 µs of server CPU
 * per request on Node 20, 126 against 138 on Node 26 (bench/micro/http-builds.js, 6 rounds of
 * 4 s, interleaved; the machine loaded by other work, load average 24, so the absolute figures
 * are inflated).
 *
 * Returns the JSON route as one function over Node's request and response, for the route served
 * before express (`redact-fast-route.ts`): the same guard — one rate per client for both doors
 * and both routes —, checks, body and answer; `undefined` with `REDACT_API=off`.
 */
export function mountRedactRoutes(
  router: IRouter,
  config: Config,
  metrics: Metrics,
  logger: Logger,
  clientAddressOf: ClientAddressOf,
): ServeRedactJson | undefined {
  const settings = config.redactApi;
  if (!settings.enabled) return undefined;
  const policy: Policy = config.policy;
  // Made once: the allow-list of the service's policy is compiled once per policy.
  const keepingTimestamps: Policy = createPolicy({ ...policy, keepTimestamps: true });
  const limit = settings.maxBodyBytes;
  const check = createRedactApiCheck(settings, clientAddressOf);
  const guard = beforeNext(check);
  const [jsonPath, streamPath] = REDACT_PATHS;

  const refuseOversize = refuseAnnouncedOversize(limit, describeTooLarge);
  // The checks before the body as one handler, not four: each handler of a route is a layer the
  // router steps through per request.
  const checkBeforeBody: RequestCheck = (req, res) => {
    refuseQuery(req);
    requireJson(req);
    refuseOversize(req, res);
  };
  const answer = (body: unknown, res: ServerResponse): void => {
    const parsed = redactRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new CodedError('invalid_request', { message: parsed.error.issues[0]?.message ?? 'The body is not valid.' });
    }
    const { text } = parsed.data;
    const started = performance.now();
    const result = redact(text, policy);
    const seconds = (performance.now() - started) / MS_PER_SECOND;
    metrics.observeRedaction('inbound', result, Buffer.byteLength(text, 'utf8'), seconds);
    sendJson(res, redactAnswer(result));
  };
  // The guard on every method of each route (405 for all but POST), matched as the route is: any
  // case, a trailing slash. Compared with the path as written, `/V1/Redact` once passed it by.
  router.route(jsonPath).all(guard).post(beforeNext(checkBeforeBody), readJsonBody(limit), (req, res) => answer(req.body, res));

  const refuseStreamOversize = refuseAnnouncedOversize(settings.maxStreamBytes, describeStreamTooLarge);
  const checkStream: RequestCheck = (req, res) => {
    requireUtf8Stream(req);
    refuseStreamOversize(req, res);
  };
  router.route(streamPath).all(guard).post(beforeNext(checkStream), async (req, res) => {
    const query = redactStreamQuerySchema.safeParse(readQuery(req.originalUrl));
    if (!query.success) {
      throw new CodedError('invalid_request', { message: query.error.issues[0]?.message ?? 'The query is not valid.' });
    }
    const { json, keepFields, keepTimestamps } = query.data;
    const streamPolicy = keepTimestamps ? keepingTimestamps : policy;
    const transform = json ? new JsonLinesTransform(streamPolicy, { keepFields }) : new RedactTransform(streamPolicy);
    const counter = new ByteCounter(settings.maxStreamBytes);
    res.status(HTTP_STATUS.ok).set({ 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', trailer: COUNTS_TRAILER });
    try {
      // pipeline carries backpressure both ways and destroys every stream on any failure; the
      // answer is ended here, after its trailer.
      await pipeline(req, counter, transform, res, { end: false });
    } catch (error) {
      if (!isClientAbort(error)) throw error;
      logger.debug({ route: '/v1/redact/stream' }, 'client left before the stream ended');
      return;
    }
    res.addTrailers({ [COUNTS_TRAILER]: JSON.stringify(countsOf(transform)) });
    res.end();
    metrics.observeRedaction('inbound', transform, counter.bytes);
  });

  return (req, res, fail) => {
    try {
      check(req, res);
      checkBeforeBody(req, res);
    } catch (error) {
      fail(error);
      return;
    }
    readPlainJsonBody(req, limit, (error, body) => {
      if (error !== undefined) {
        fail(error);
        return;
      }
      try {
        answer(body, res);
      } catch (failure) {
        fail(failure);
      }
    });
  };
}
