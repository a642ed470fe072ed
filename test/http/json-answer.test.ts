/**
 * `sendJson` writes what express's `res.status(…).set('cache-control', 'no-store').json(…)`
 * writes, in an app set up as the gateway's (no ETag, no `x-powered-by`): the same status, the
 * same headers apart from the date, the same bytes — for any JSON value, and for HEAD too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson } from '../../src/http/json-answer.js';

let server: http.Server;
let port = 0;
/** The value the next request is answered with, and its status. */
let next: { value: unknown; status: number } = { value: null, status: 200 };

beforeAll(async () => {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.all('/ours', (_req, res) => sendJson(res, next.value, next.status));
  app.all('/express', (_req, res) => {
    res.status(next.status).set('cache-control', 'no-store').json(next.value);
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function request(path: string, method: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const { date: _date, ...headers } = res.headers;
        resolve({ status: res.statusCode ?? 0, headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
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
