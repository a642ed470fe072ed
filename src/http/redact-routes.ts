/**
 * The redaction API: `POST /v1/redact` for one JSON text, `POST /v1/redact/stream` for a body of
 * any size, streamed through the redactor in constant memory.
 *
 * @module
 */
import { pipeline } from 'node:stream/promises';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../config.js';
import { CodedError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { KINDS, redact, RedactTransform, type Policy } from '../redact/index.js';
import { describeTooLarge } from './error-handler.js';

/** The JSON route accepts at least this much, whatever the widget's message limit. */
export const JSON_BODY_FLOOR_BYTES = 1024 * 1024;
const NANOSECONDS_PER_SECOND = 1e9;
/** Charsets a stream body may declare: the redactor reads UTF-8, and ASCII is a subset of it. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);
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

/** The answer of `POST /v1/redact`; the OpenAPI document's response schema is generated from it. */
export const redactResponseSchema = z.strictObject({
  text: z.string().describe('The text with every sensitive number combination replaced.'),
  redactions: z.int().min(0).describe('How many combinations were deleted.'),
  kinds: z
    .partialRecord(z.enum(KINDS), z.int().min(1))
    .describe('Deletions by kind; kinds with none are absent. The digits themselves are never returned.'),
});

/** The media type of a `content-type` header, lower-cased, without parameters. */
function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';', 1)[0]?.trim().toLowerCase();
}

function charsetOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header)?.[1]?.toLowerCase();
}

function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (mediaTypeOf(req.headers['content-type']) !== 'application/json') {
    throw new CodedError('unsupported_media_type', { message: 'Send the body as application/json: {"text":"…"}.' });
  }
  next();
}

/**
 * Refuse a body whose `content-length` is over `limit` from the header alone. body-parser would
 * answer the same 413 only after reading and discarding every announced byte, so a client could
 * hold the connection for as long as it cares to send; the answer closes the connection instead.
 * A compressed body is left to body-parser, which counts its inflated bytes.
 */
function refuseAnnouncedOversize(limit: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const encoding = req.headers['content-encoding']?.trim().toLowerCase() ?? 'identity';
    if (encoding === 'identity' && Number(req.headers['content-length']) > limit) {
      res.set('connection', 'close');
      throw new CodedError('message_too_large', { message: describeTooLarge(limit) });
    }
    next();
  };
}

/** A stream body is decoded as UTF-8; any other charset or a compressed body would be mangled. */
function requireUtf8Stream(req: Request, _res: Response, next: NextFunction): void {
  const charset = charsetOf(req.headers['content-type']);
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if ((charset !== undefined && !UTF8_CHARSETS.has(charset)) || (encoding !== undefined && encoding !== 'identity')) {
    throw new CodedError('unsupported_media_type', {
      message: 'Send the text as UTF-8, without content encoding (no gzip).',
    });
  }
  next();
}

/** A {@link RedactTransform} that also counts the bytes it was given, for the metrics. */
class CountingRedactTransform extends RedactTransform {
  bytesIn = 0;

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.bytesIn += chunk.length;
    super._transform(chunk, encoding, callback);
  }
}

function isClientAbort(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ABORT_CODES.has(code);
}

/**
 * Routes `POST /v1/redact` and `POST /v1/redact/stream`, both with the configured policy and
 * counted in the metrics as direction `inbound`.
 *
 * The JSON route reads at most `max(config.maxMessageBytes, 1 MiB)` bytes and answers 413
 * `message_too_large` beyond that: it scrubs documents and transcripts, not only chat messages,
 * and longer texts belong on the stream route, which has no limit because it never buffers.
 */
export function createRedactRoutes(config: Config, metrics: Metrics, logger: Logger): Router {
  const policy: Policy = config.policy;
  const limit = Math.max(config.maxMessageBytes, JSON_BODY_FLOOR_BYTES);
  const router = Router();

  router.post('/v1/redact', requireJson, refuseAnnouncedOversize(limit), express.json({ limit, strict: true }), (req, res) => {
    const parsed = redactRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new CodedError('invalid_request', { message: parsed.error.issues[0]?.message ?? 'The body is not valid.' });
    }
    const started = process.hrtime.bigint();
    const result = redact(parsed.data.text, policy);
    const seconds = Number(process.hrtime.bigint() - started) / NANOSECONDS_PER_SECOND;
    metrics.observeRedaction('inbound', result, Buffer.byteLength(parsed.data.text, 'utf8'), seconds);
    const answer: z.infer<typeof redactResponseSchema> = { text: result.text, redactions: result.redactions, kinds: result.kinds };
    res.set('cache-control', 'no-store').json(answer);
  });

  router.post('/v1/redact/stream', requireUtf8Stream, async (req, res) => {
    const transform = new CountingRedactTransform(policy);
    res.status(200).set({ 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    try {
      // pipeline carries backpressure both ways and destroys all three streams on any failure.
      await pipeline(req, transform, res);
    } catch (error) {
      if (!isClientAbort(error)) throw error;
      logger.debug({ route: '/v1/redact/stream' }, 'client left before the stream ended');
      return;
    }
    metrics.observeRedaction('inbound', transform, transform.bytesIn);
  });

  return router;
}
