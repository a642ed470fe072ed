/**
 * The redaction API closed or metered as configured, through the real server: `REDACT_API=off`,
 * `REDACT_API_TOKEN`, the per-client rate with `Retry-After` (keyed by the client address that
 * `TRUST_PROXY` reads, a forged `X-Forwarded-For` from an untrusted peer ignored), the body
 * limits, 405 with `Allow`, and 400 for a policy parameter.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';

const TOKEN = 'redact-api-token-for-tests';
let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function gateway(env: Record<string, string>): Promise<RunningGateway> {
  running = await startTestGateway(env);
  return running;
}

function redact(gw: RunningGateway, init: { headers?: Record<string, string>; path?: string; body?: string; method?: string } = {}): Promise<Response> {
  return fetch(`${gw.httpUrl}${init.path ?? '/v1/redact'}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.method === 'GET' ? {} : { body: init.body ?? JSON.stringify({ text: 'ring 98 76 54 32' }) }),
  });
}

describe('REDACT_API and REDACT_API_TOKEN', () => {
  it('off: both routes are 404 like any unknown address, and the chat still works', async () => {
    const gw = await gateway({ REDACT_API: 'off' });
    for (const path of ['/v1/redact', '/v1/redact/stream']) {
      const response = await redact(gw, { path });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await fetch(`${gw.httpUrl}/healthz`)).status).toBe(200);
  });

  it('a token: 401 with www-authenticate without it or with a wrong one, 200 with it', async () => {
    const gw = await gateway({ REDACT_API_TOKEN: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const response = await redact(gw, { headers: authorization === undefined ? {} : { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    const ok = await redact(gw, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await ok.json()).toEqual({ text: 'ring ', redactions: 1, kinds: { phone: 1 }, allowed: 0, kept: 0, keptClasses: {} });
    const stream = await redact(gw, { path: '/v1/redact/stream', headers: { authorization: `bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: 'tlf 98765432' });
    expect(await stream.text()).toBe('tlf ');
    expect(gw.logs.text()).not.toContain(TOKEN);
  });

  it('a token: every spelling of the addresses the router answers (any case, a trailing slash) is guarded', async () => {
    const gw = await gateway({ REDACT_API_TOKEN: TOKEN });
    for (const path of ['/V1/Redact', '/v1/redact/', '/V1/REDACT/', '/v1/Redact/Stream', '/v1/redact/stream/']) {
      const isStream = path.toLowerCase().includes('stream');
      const request: { path: string; headers: Record<string, string>; body?: string } = isStream ? { path, headers: { 'content-type': 'text/plain' }, body: 'tlf 98765432' } : { path, headers: {} };
      const refused = await redact(gw, request);
      expect(refused.status, path).toBe(401);
      expect((await redact(gw, { path, method: 'GET' })).status, `GET ${path}`).toBe(405);
      const answered = await redact(gw, { ...request, headers: { ...request.headers, authorization: `Bearer ${TOKEN}` } });
      expect(answered.status, path).toBe(200);
      expect(await answered.text()).toBe(isStream ? 'tlf ' : JSON.stringify({ text: 'ring ', redactions: 1, kinds: { phone: 1 }, allowed: 0, kept: 0, keptClasses: {} }));
    }
  });
});

describe('methods and parameters', () => {
  it('a wrong method is 405 with Allow: POST', async () => {
    const gw = await gateway({});
    for (const [method, path] of [['GET', '/v1/redact'], ['PUT', '/v1/redact'], ['GET', '/v1/redact/stream'], ['DELETE', '/v1/redact/stream']] as const) {
      const response = await redact(gw, { method, path });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
  });

  it('a policy parameter is a 400 that names the setting, never silently ignored', async () => {
    const gw = await gateway({});
    for (const [path, query, setting] of [
      ['/v1/redact', 'minDigits=8', 'minDigits'],
      ['/v1/redact', 'min_digits=8', 'minDigits'],
      ['/v1/redact/stream', 'maxGap=0', 'maxGap'],
      ['/v1/redact/stream', 'format=json&allow=98765432', 'allow'],
    ] as const) {
      const response = await redact(gw, { path: `${path}?${query}`, headers: { 'content-type': 'text/plain' } });
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(`"${setting}"`);
    }
    const other = await redact(gw, { path: '/v1/redact?x=1' });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe('This route takes no query parameters.');
  });
});

describe('body limits', () => {
  it('MAX_REDACT_BYTES: an announced larger body is a 413 with connection: close', async () => {
    const gw = await gateway({ MAX_REDACT_BYTES: '2048' });
    const response = await redact(gw, { body: JSON.stringify({ text: 'x'.repeat(4000) }) });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect((await redact(gw, { body: JSON.stringify({ text: 'x'.repeat(1500) }) })).status).toBe(200);
  });

  it('MAX_STREAM_BYTES: announced larger is a 413; a chunked body that grows past it is cut off there', async () => {
    const gw = await gateway({ MAX_STREAM_BYTES: '4096' });
    const announced = await redact(gw, { path: '/v1/redact/stream', headers: { 'content-type': 'text/plain' }, body: 'a'.repeat(5000) });
    expect(announced.status).toBe(413);
    const { port } = new URL(gw.httpUrl);
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/redact/stream', method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } });
      req.on('response', (res) => {
        if (res.statusCode === 413) resolve('413');
        let received = 0;
        res.on('data', (chunk: Buffer) => (received += chunk.length));
        res.on('end', () => resolve(`ended after ${received}`));
        res.on('error', () => resolve(`cut after ${received}`));
        res.on('aborted', () => resolve(`cut after ${received}`));
      });
      req.on('error', () => resolve('cut before an answer'));
      for (let k = 0; k < 10; k++) req.write('b'.repeat(1000));
      req.end();
    });
    // Cut off mid-answer, or — when the bytes past the limit came before any answer — a 413 (98 bytes of JSON).
    expect(outcome).toMatch(/^cut |^413$/);
    const withinLimit = await redact(gw, { path: '/v1/redact/stream', headers: { 'content-type': 'text/plain' }, body: 'c'.repeat(4000) });
    expect(await withinLimit.text()).toBe('c'.repeat(4000));
  });
});

describe('the per-client rate and TRUST_PROXY', () => {
  it('refuses the request over the rate with 429 and a Retry-After of at most a minute', async () => {
    const gw = await gateway({ REDACT_API_RATE_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let k = 0; k < 5; k++) {
      const response = await redact(gw);
      statuses.push(response.status);
      if (response.status === 429) {
        const wait = Number(response.headers.get('retry-after'));
        expect(wait).toBeGreaterThanOrEqual(1);
        expect(wait).toBeLessThanOrEqual(60);
        expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } });
      } else {
        await response.arrayBuffer();
      }
    }
    // A window may turn in between; never more than three in one.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
  });

  it('behind a trusted proxy each client has its own rate, and its address is logged anonymised', async () => {
    const gw = await gateway({ REDACT_API_RATE_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
    const from = (client: string) => redact(gw, { headers: { 'x-forwarded-for': client } });
    const first = [await from('203.0.113.7'), await from('203.0.113.7'), await from('203.0.113.7')].map((r) => r.status);
    expect(first.slice(0, 2)).toEqual([200, 200]);
    expect(first[2] === 429 || first.filter((s) => s === 200).length === 3).toBe(true);
    // Another client behind the same proxy is not held back by the first one's requests.
    expect((await from('198.51.100.23')).status).toBe(200);
    // A client's own forged entry to the left of what the proxy wrote changes nothing.
    expect((await redact(gw, { headers: { 'x-forwarded-for': '192.0.2.1, 198.51.100.23' } })).status).toBe(200);
    const ips = gw.logs.lines().filter((line) => line.msg === 'request').map((line) => line.ip);
    expect(ips).toContain('203.0.x.x');
    expect(ips).toContain('198.51.x.x');
    expect(ips).not.toContain('192.0.x.x');
    expect(ips).not.toContain('127.0.x.x');
  });

  it('from an untrusted peer a forged X-Forwarded-For is ignored: the socket’s address is the client', async () => {
    const gw = await gateway({ REDACT_API_RATE_PER_MINUTE: '2', TRUST_PROXY: '10.0.0.0/8' });
    const statuses: number[] = [];
    for (const forged of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) {
      const response = await redact(gw, { headers: { 'x-forwarded-for': forged, forwarded: `for=${forged}` } });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
    const ips = gw.logs.lines().filter((line) => line.msg === 'request').map((line) => line.ip);
    expect(new Set(ips)).toEqual(new Set(['127.0.x.x']));
  });
});
