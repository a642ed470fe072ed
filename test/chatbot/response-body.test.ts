import { createRequire } from 'node:module';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_JSON_BYTES, readBodyText, readJson, readSseEvents, onSuccess, readStatusFailure } from '../../src/chatbot/response-body.js';
import type { VendorResponse } from '../../src/chatbot/vendor-exchange.js';
import { VendorFailure } from '../../src/chatbot/vendor-failure.js';
import { useVendorStub, statusReply, type StubReply } from '../support/vendor-stub.js';

const stub = useVendorStub();
/** undici's response body class, as `request` hands it over. */
const { Readable: BodyReadable } = createRequire(import.meta.url)('undici/lib/api/readable.js') as { Readable: new (options: object) => VendorResponse['body'] };

/** What a reader makes of the stub's answer `reply`: its items, or the failure's code and reason. */
async function readWith<T>(reply: StubReply, read: ReturnType<typeof onSuccess<T>>): Promise<{ items: T[] } | { code: string; reason: string; status?: number }> {
  stub.script(reply);
  const response = await request(stub.url, { method: 'POST', body: '{}' });
  const items: T[] = [];
  try {
    for await (const item of read(response, new AbortController().signal)) items.push(item);
    return { items };
  } catch (error) {
    const failure = error as { code: string; reason: string; vendorStatus?: number };
    return { code: failure.code, reason: failure.reason, ...(failure.vendorStatus !== undefined && { status: failure.vendorStatus }) };
  }
}

const schema = z.object({ ok: z.boolean() });

describe('readJson', () => {
  it('reads a JSON answer of any JSON media type and checks its shape', async () => {
    expect(await readWith({ kind: 'json', body: { ok: true } }, readJson(schema))).toEqual({ items: [{ ok: true }] });
    expect(await readWith({ kind: 'raw', contentType: 'application/problem+json', body: '{"ok":false}' }, readJson(schema))).toEqual({ items: [{ ok: false }] });
    expect(await readWith({ kind: 'json', body: { ok: 'yes' } }, readJson(schema))).toEqual({ code: 'vendor_error', reason: 'malformed' });
    expect(await readWith({ kind: 'raw', contentType: 'application/json', body: '{"ok":' }, readJson(schema))).toEqual({ code: 'vendor_error', reason: 'malformed' });
  });

  it('refuses another content type, a body past the limit, and a non-2xx status', async () => {
    expect(await readWith({ kind: 'raw', contentType: 'text/html', body: '<h1>hi</h1>' }, readJson(schema))).toEqual({ code: 'vendor_error', reason: 'content_type' });
    expect(await readWith({ kind: 'raw', contentType: 'application/json', body: `{"ok":true,"pad":"${'x'.repeat(MAX_JSON_BYTES)}"}` }, readJson(schema))).toEqual({ code: 'vendor_error', reason: 'too_large' });
    expect(await readWith(statusReply(429, 3), readJson(schema))).toEqual({ code: 'vendor_unavailable', reason: 'status', status: 429 });
    expect(await readWith({ kind: 'json', status: 404, body: { error: 'no such bot' } }, readJson(schema))).toEqual({ code: 'vendor_error', reason: 'status', status: 404 });
  });

  it('reads an empty 2xx body as undefined when the schema takes it', async () => {
    expect(await readWith({ kind: 'raw', status: 204, contentType: 'text/plain', body: '' }, readJson(schema.optional()))).toEqual({ items: [undefined] });
    expect(await readWith({ kind: 'raw', status: 200, contentType: 'text/plain', body: '' }, readJson(schema))).toEqual({ code: 'vendor_error', reason: 'content_type' });
  });
});

describe('readSseEvents', () => {
  it('yields the events of an event stream, and refuses another content type', async () => {
    const read = onSuccess((response) => readSseEvents(response));
    const events = await readWith({ kind: 'sse', chunks: ['data: a\n\n', 'event: x\ndata: b\n\n'] }, read);
    expect(events).toEqual({ items: [{ type: 'message', data: 'a', id: '' }, { type: 'x', data: 'b', id: '' }] });
    expect(await readWith({ kind: 'json', body: {} }, read)).toEqual({ code: 'vendor_error', reason: 'content_type' });
  });
});

describe('onSuccess', () => {
  it('hands an answer that is not 2xx to the failure reader it is given, and never to the success reader', async () => {
    const seen: number[] = [];
    const read = onSuccess(
      async function* never() {
        yield 'read';
      },
      async (response, signal) => {
        seen.push(response.statusCode);
        return (await readStatusFailure(response, signal)).with({ reason: 'malformed' });
      },
    );
    expect(await readWith(statusReply(503, 1), read)).toEqual({ code: 'vendor_unavailable', reason: 'malformed', status: 503 });
    expect(await readWith({ kind: 'json', body: {} }, read)).toEqual({ items: ['read'] });
    expect(seen).toEqual([503]);
    expect(new VendorFailure('vendor_error', { reason: 'status' }).retryable).toBe(false);
  });
});

describe('readBodyText', () => {
  const ignore = (): void => undefined;
  /** An undici body as a request hands it over, with `chunks` arrived. */
  const bodyWith = (...chunks: string[]): VendorResponse => {
    const body = new BodyReadable({ resume: ignore, abort: ignore, contentType: 'application/json' });
    for (const chunk of chunks) body.push(Buffer.from(chunk));
    return { statusCode: 200, headers: {}, body } as unknown as VendorResponse;
  };

  it('reads chunks that arrive before and after it starts, a body ended, and one already read', async () => {
    const arriving = bodyWith('{"a":');
    const text = readBodyText(arriving);
    setImmediate(() => {
      arriving.body.push(Buffer.from('"æ"}'));
      arriving.body.push(null);
    });
    expect(await text).toBe('{"a":"æ"}');
    const ended = bodyWith('{}');
    ended.body.push(null);
    expect(await readBodyText(ended)).toBe('{}');
    expect(await readBodyText(ended)).toBe('');
  });

  it('refuses a body past its limit and lets it go; passes on an error; a body closed before its end is a premature close', async () => {
    const large = bodyWith('12345', '6');
    await expect(readBodyText(large, 5)).rejects.toMatchObject({ code: 'vendor_error', reason: 'too_large' });
    expect(large.body.destroyed).toBe(true);
    const failing = bodyWith('{');
    const failed = readBodyText(failing);
    failing.body.destroy(new Error('socket hang up'));
    await expect(failed).rejects.toThrow('socket hang up');
    const cut = bodyWith('{');
    const closed = readBodyText(cut);
    (cut.body as unknown as { _destroy: (error: unknown, done: (error: unknown) => void) => void })._destroy = (_error, done) => done(null);
    cut.body.destroy();
    await expect(closed).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
