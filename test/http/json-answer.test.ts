/**
 * `sendJson` writes what express's `res.status(…).set('cache-control', 'no-store').json(…)`
 * writes, in an app set up as the gateway's (no ETag, no `x-powered-by`): the same status, the
 * same headers apart from the date, the same bytes — for any JSON value, and for HEAD too.
 */
import express from 'express';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendJson } from '../../src/http/json-answer.js';
import { requestRaw, useListener } from './start-app.js';

/** The value the next request is answered with, and its status. */
let next: { value: unknown; status: number } = { value: null, status: 200 };

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.all('/ours', (_req, res) => sendJson(res, next.value, next.status));
app.all('/express', (_req, res) => {
  res.status(next.status).set('cache-control', 'no-store').json(next.value);
});
const port = useListener(app);

async function request(path: string, method: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { status, headers, body } = await requestRaw(port(), { path, method });
  const { date: _date, ...rest } = headers;
  return { status, headers: rest, body };
}

describe('sendJson', () => {
  it('answers with JSON that is not to be cached', async () => {
    next = { value: { text: 'ring ', redactions: 1, kinds: { phone: 1 } }, status: 200 };
    const answer = await request('/ours', 'POST');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
    expect(JSON.parse(answer.body)).toEqual(next.value);
  });

  it('property: the very answer express gives, for any value, status and method', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(200, 400, 404, 413, 429, 503), fc.constantFrom('POST', 'GET', 'HEAD'), async (value, status, method) => {
        next = { value, status };
        const [ours, theirs] = [await request('/ours', method), await request('/express', method)];
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 100, interruptAfterTimeLimit: 15_000 },
    );
  }, 30_000);
});
