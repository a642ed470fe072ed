import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_JSON_BYTES, readJson, readSseEvents, onSuccess, readStatusFailure } from '../../src/chatbot/response-body.js';
import { VendorFailure } from '../../src/chatbot/vendor-failure.js';
import { useVendorStub, statusReply, type StubReply } from '../support/vendor-stub.js';

const stub = useVendorStub();

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
