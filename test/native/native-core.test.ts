/**
 * The native core with a vendor module of the test's own (a tiny echo API) in front of a real
 * HTTP stub, on loopback: what every vendor gets alike — what a module is handed (body, path
 * parameters, query, passed headers), the vendor's answer headers passed back, a body-less POST,
 * refusals in the module's own error shape, and a draining process refusing new requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVendorClient } from '../../src/chatbot/vendor-client.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { NativeRefusal, vendorUrlOf, type NativeApi, type NativeRequest } from '../../src/native/native-api.js';
import { createNativeRoutes } from '../../src/native/native-core.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createPolicy } from '../../src/redact/index.js';
import { startVendorStub, type VendorStub } from '../support/vendor-stub.js';

let stub: VendorStub;
let server: Server;
let base: string;
let draining = false;
const handed: NativeRequest[] = [];

/** A vendor whose one route posts `{"say": <redacted>}` to `/echo/:room` and answers `{"said"}` redacted. */
function echoApi(baseUrl: string): NativeApi {
  return {
    routes: [
      {
        method: 'POST',
        path: '/echo/{room}',
        operationId: 'echo',
        body: 'optional',
        summary: 'echo',
        description: 'echo',
        prepare(request, inbound) {
          handed.push(request);
          const say = (request.body as { say?: unknown } | undefined)?.say;
          if (say !== undefined && typeof say !== 'string') throw new NativeRefusal('invalid_request', 'say must be a string', 'say');
          return {
            spec: { url: vendorUrlOf(baseUrl, `/echo/${encodeURIComponent(request.params.room ?? '')}`), json: { say: say === undefined ? null : inbound.redact(say) }, unkeyed: true },
            async *read(response, _signal, outbound) {
              const { said } = (await response.body.json()) as { said: string };
              yield { status: response.statusCode, contentType: 'application/json' };
              yield JSON.stringify({ said: outbound.redact(said) });
            },
          };
        },
      },
    ],
    passedRequestHeaders: ['x-echo-tenant'],
    passedAnswerHeaders: ['x-echo-id'],
    errorBody: (problem) => ({ fault: { status: problem.status, code: problem.code, field: problem.param ?? null } }),
  };
}

beforeAll(async () => {
  stub = await startVendorStub();
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const logger = createLogger({ level: 'silent', scrub: (text) => text });
  const client = createVendorClient({ kind: 'generic', timeoutMs: 2_000, metrics, logger, endpoint: 'native' });
  const app = express();
  app.use(
    createNativeRoutes({
      api: echoApi(new URL(stub.url).origin),
      client,
      policy: createPolicy(),
      allowedOrigins: [],
      nativeToken: undefined,
      requestLimitBytes: 4_096,
      metrics,
      logger,
      isDraining: () => draining,
    }),
  );
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stub.close();
});
afterEach(() => {
  stub.reset();
  handed.length = 0;
  draining = false;
});

const post = (path: string, body?: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', ...(body !== undefined && { body }), headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers } });

describe('the native core', () => {
  it('hands the module the body, path parameters, query and headers, and passes the module’s headers both ways', async () => {
    stub.setHandler(() => ({ kind: 'json', body: { said: 'ring 98 76 54 32' }, headers: { 'x-echo-id': 'id-12345678', 'x-secret': 'no' } }));
    const answer = await post('/echo/lobby?after=7&x=1', JSON.stringify({ say: 'fnr 010190 12345' }), { 'x-echo-tenant': 'acme', 'x-other': 'no' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ said: 'ring ' });
    expect(answer.headers.get('x-echo-id')).toBe('id-12345678');
    expect(answer.headers.get('x-secret')).toBeNull();
    expect(handed[0]!.params).toEqual({ room: 'lobby' });
    expect(handed[0]!.search).toBe('?after=7&x=1');
    const [request] = stub.requests;
    expect(request!.path).toBe('/echo/lobby');
    expect(request!.body).toEqual({ say: 'fnr ' });
    expect(request!.headers['x-echo-tenant']).toBe('acme');
    expect(request!.headers['x-other']).toBeUndefined();
  });

  it('takes a POST without a body, as Direct Line’s token requests are', async () => {
    stub.setHandler(() => ({ kind: 'json', body: { said: 'ok' } }));
    const answer = await post('/echo/lobby');
    expect(answer.status).toBe(200);
    expect(handed[0]!.body).toBeUndefined();
  });

  it('refuses in the module’s own shape: the module’s refusal, a body of another type, a draining process', async () => {
    const wrong = await post('/echo/lobby', JSON.stringify({ say: 5 }));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ fault: { status: 400, code: 'invalid_request', field: 'say' } });
    const text = await fetch(`${base}/echo/lobby`, { method: 'POST', body: 'hei', headers: { 'content-type': 'text/plain' } });
    expect(await text.json()).toEqual({ fault: { status: 415, code: 'unsupported_media_type', field: null } });
    draining = true;
    const late = await post('/echo/lobby', JSON.stringify({ say: 'hei' }));
    expect(late.status).toBe(503);
    expect(await late.json()).toEqual({ fault: { status: 503, code: 'shutting_down', field: null } });
    expect(stub.requests).toHaveLength(0);
  });
});
