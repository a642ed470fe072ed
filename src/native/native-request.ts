/**
 * What the native core reads of a client's request before a vendor module sees it: the route's
 * path as express matches it, the path's parameters, the query, the service's own origin, and
 * the JSON body — refused when it is no JSON, compressed or too large, before it is buffered.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isJsonMediaType } from '../chatbot/response-body.js';
import { NativeRefusal, type NativeRequest, type NativeRoute } from './native-api.js';

/** A route's path as express writes it: `{name}` → `:name`. */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * The scheme the client called: a TLS proxy in front says it in `x-forwarded-proto`. It only
 * decides which address a client is told to call back (a stream URL), never who may call.
 * Otherwise the socket's, as express's `req.protocol` reads it in an application that trusts no
 * proxy (the gateway's: `TRUST_PROXY` only decides the client's address).
 */
function schemeOf(req: IncomingMessage): string {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',', 1)[0]!.trim().toLowerCase();
  if (forwarded === 'https' || forwarded === 'http') return forwarded;
  return (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
}

/**
 * What a module is told of `req` besides its body: `url` the request's URL as the client sent it
 * (express's `req.originalUrl`), `params` its path's parameters, decoded.
 */
export function requestOf(req: IncomingMessage, url: string, params: Readonly<Record<string, string>>, body: unknown): NativeRequest {
  const query = url.indexOf('?');
  return {
    body,
    headers: req.headers,
    params: { ...params },
    search: query === -1 ? '' : url.slice(query),
    origin: `${schemeOf(req)}://${req.headers.host ?? 'localhost'}`,
  };
}

/** The media type of a request's `content-type`, lower-case. */
function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * A request's JSON body, refused when it is not JSON, is compressed, or is over `limit` bytes —
 * from `content-length` before reading when it says so. Decoded as the WHATWG decoder does:
 * ill-formed UTF-8 becomes U+FFFD before any scanner looks. A request without a body is
 * `undefined` where the route takes none (`optional`); a route that takes `none` never reads it.
 */
export async function readJsonBody(req: IncomingMessage, limit: number, kind: NonNullable<NativeRoute['body']>): Promise<unknown> {
  if (kind === 'none') return undefined;
  if (kind === 'optional' && isBodiless(req)) return undefined;
  const encoding = req.headers['content-encoding']?.trim().toLowerCase() ?? 'identity';
  if (!isJsonMediaType(mediaTypeOf(req.headers['content-type'])) || encoding !== 'identity') {
    throw new NativeRefusal('unsupported_media_type', 'Send the body as application/json, without content encoding.');
  }
  if (Number(req.headers['content-length']) > limit) throw new NativeRefusal('message_too_large');
  const bytes = await readBytes(req, limit);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new NativeRefusal('invalid_request', 'The body is not valid JSON.');
  }
}

/**
 * A request's body, whole, refused past `limit` bytes — the request then destroyed, as a
 * `for await` leaving it early did. Read with listeners rather than a stream's async iterator,
 * which costs a promise and a microtask per chunk and an end-of-stream watcher per request;
 * with the per-read coalescing of `openai-stream-redaction.ts`, one native turn's CPU went from
 * 3890 to 2544 µs and, in a second run, 5583 to 4601 µs on Node 20; on Node 26 a tie, 1528 to
 * 1503 and 2061 to 2118 µs (`bench/micro/native-turn.js`, 6 fresh processes each, interleaved,
 * a machine at load 10–20 on 2 cores; an A/A run differed by 1.5 %).
 */
function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', settle);
      req.off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks, size));
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      settle(new NativeRefusal('message_too_large'));
      req.destroy();
    };
    const onEnd = (): void => settle(undefined);
    // A client gone before its body ended, as `for await` saw it.
    const onClose = (): void => settle(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', settle);
    req.once('close', onClose);
  });
}

/** A request that says it has no body: no length or length 0, and not chunked. */
export function isBodiless(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0);
}
