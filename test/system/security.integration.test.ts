import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRaw, waitFor } from '../http/start-app.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';

const WIDGET_TOKEN = 'widget-token-kvjzpwqe';
const METRICS_TOKEN = 'metrics-token-hxtrbmao';
/** Travels only in query strings: it must never reach the log. */
const QUERY_WORD = 'spoerringsord';

let gw: RunningGateway;
let origin: string;

beforeAll(async () => {
  gw = await startTestGateway({ WIDGET_TOKEN, METRICS_TOKEN });
  origin = gw.httpUrl;
});
afterAll(async () => {
  await gw.stop();
});

/** Open (or fail to open) a chat; resolve with the HTTP status and headers of the handshake answer. */
function upgrade(query: string, options: { origin?: string; protocols?: string[] } = {}): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${gw.chatUrl}${query}`, options.protocols ?? [], { origin: options.origin ?? origin });
    ws.once('upgrade', (response) => {
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
      ws.once('open', () => ws.close());
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
      ws.terminate();
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('security basics through the real server', () => {
  it('sets no cookie anywhere: upgrades accepted and refused, pages, probes, metrics, errors', async () => {
    const upgrades = [
      await upgrade(`?token=${WIDGET_TOKEN}`),
      await upgrade('', { protocols: ['chat-redact', WIDGET_TOKEN] }),
      await upgrade(`?token=wrong-${WIDGET_TOKEN}`),
      await upgrade(`?token=${WIDGET_TOKEN}`, { origin: 'https://evil.example' }),
    ];
    expect(upgrades.map((u) => u.status)).toEqual([101, 101, 401, 403]);
    const post = (path: string, body: string, type = 'application/json') =>
      fetch(`${gw.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    const answers = [
      await fetch(`${gw.httpUrl}/`),
      await fetch(`${gw.httpUrl}/widget.js`),
      await fetch(`${gw.httpUrl}/healthz`),
      await fetch(`${gw.httpUrl}/readyz`),
      await fetch(`${gw.httpUrl}/metrics`),
      await fetch(`${gw.httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }),
      await fetch(`${gw.httpUrl}/nope`),
      await post('/v1/redact', '{"text":"a"}'),
      await post('/v1/redact', '{"text":'),
      await post('/v1/redact', 'a', 'text/csv'),
      await post('/v1/redact', JSON.stringify({ text: 'a'.repeat(1024 * 1024) })),
      await post('/v1/redact/stream', 'ring 98765432', 'text/plain'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 401, 200, 404, 200, 400, 415, 413, 200]);
    for (const { headers } of upgrades) expect(headers['set-cookie']).toBeUndefined();
    for (const answer of answers) {
      expect(answer.headers.has('set-cookie')).toBe(false);
      await answer.arrayBuffer();
    }
    const traversal = await requestRaw(gw.gateway.port, { path: '/%2e%2e/package.json' });
    expect([traversal.status, traversal.headers['set-cookie']]).toEqual([404, undefined]);
  });

  it('error answers carry the same security headers as pages', async () => {
    const answers = [
      await fetch(`${gw.httpUrl}/nope`),
      await fetch(`${gw.httpUrl}/metrics`),
      await fetch(`${gw.httpUrl}/v1/redact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
    ];
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.headers.has('x-powered-by')).toBe(false);
      await answer.arrayBuffer();
    }
  });

  it('never logs a token or a query string, whether the request was let in or not', async () => {
    const earlier = gw.logs.lines().length;
    const newLines = (): Array<Record<string, unknown>> => gw.logs.lines().slice(earlier);
    await upgrade(`?token=${WIDGET_TOKEN}&q=${QUERY_WORD}`);
    await upgrade(`?token=${WIDGET_TOKEN}x&q=${QUERY_WORD}`);
    await upgrade('', { protocols: ['chat-redact', WIDGET_TOKEN] });
    await upgrade('', { protocols: [`${WIDGET_TOKEN}x`] });
    const gets = [`/healthz?${QUERY_WORD}=1`, `/?token=${WIDGET_TOKEN}`, `/nope?q=${QUERY_WORD}`, `/metrics?token=${METRICS_TOKEN}`];
    for (const path of gets) await (await fetch(`${gw.httpUrl}${path}`)).arrayBuffer();
    await (await fetch(`${gw.httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).arrayBuffer();
    await (await fetch(`${gw.httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).arrayBuffer();
    const post = await fetch(`${gw.httpUrl}/v1/redact?token=${WIDGET_TOKEN}&q=${QUERY_WORD}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"hei"}',
    });
    await post.arrayBuffer();
    // The request log is written when the answer has gone, which may be just after the client has it.
    await waitFor(() => newLines().filter((line) => line.msg === 'request').length >= gets.length + 3, 5000);
    await waitFor(() => newLines().filter((line) => line.msg === 'chat closed').length >= 2, 5000);

    const lines = newLines();
    expect(lines.filter((line) => line.msg === 'chat upgrade refused').map((line) => line.reason)).toEqual(['token', 'token']);
    expect(lines.filter((line) => line.msg === 'chat opened')).toHaveLength(2);
    const text = gw.logs.text();
    for (const secret of [WIDGET_TOKEN, METRICS_TOKEN, QUERY_WORD, 'token=', '?']) expect(text).not.toContain(secret);
  });
});
