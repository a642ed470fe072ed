import { describe, expect, it } from 'vitest';
import { useApp } from './start-app.js';

const METRICS_TOKEN = 'metrics-secret-token';

describe('GET /healthz and /readyz', () => {
  const app = useApp();

  it('/healthz answers ok', async () => {
    const response = await fetch(`${app().baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz follows readiness: 200 when ready, 503 draining when not, and back', async () => {
    const ready = await fetch(`${app().baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    app().setReady(false);
    const draining = await fetch(`${app().baseUrl}/readyz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ status: 'draining' });
    // Liveness is not readiness: a draining process is still alive.
    expect((await fetch(`${app().baseUrl}/healthz`)).status).toBe(200);

    app().setReady(true);
    expect((await fetch(`${app().baseUrl}/readyz`)).status).toBe(200);
  });
});

describe('GET /metrics without a token', () => {
  const app = useApp();

  it('serves the Prometheus text format, counting /v1/redact as inbound by kind', async () => {
    const before = await (await fetch(`${app().baseUrl}/metrics`)).text();
    expect(before).toContain('chat_redact_redactions_total{direction="inbound",kind="phone"} 0');

    const redacted = await fetch(`${app().baseUrl}/v1/redact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'ring 98 76 54 32 eller 22 33 44 55, konto 7694.05.20300' }),
    });
    expect(redacted.status).toBe(200);

    const response = await fetch(`${app().baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8$/);
    const text = await response.text();
    expect(text).toContain('chat_redact_redactions_total{direction="inbound",kind="phone"} 2');
    expect(text).toContain('chat_redact_redactions_total{direction="inbound",kind="bank_account"} 1');
    expect(text).toContain('chat_redact_messages_total{direction="inbound"} 1');
    expect(text).toMatch(/chat_redact_redaction_duration_seconds_count 1\n/);
    expect(text).not.toContain('98 76');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const app = useApp({ METRICS_TOKEN });

  it.each([
    ['no authorization', undefined],
    ['a wrong token', 'Bearer wrong-token'],
    ['the token with a suffix', `Bearer ${METRICS_TOKEN}x`],
    ['a prefix of the token', `Bearer ${METRICS_TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${METRICS_TOKEN}`],
    ['the bare token', METRICS_TOKEN],
  ])('refuses %s with 401 unauthorized', async (_name, authorization) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    const response = await fetch(`${app().baseUrl}/metrics`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'unauthorized', message: 'A valid token is required.' } });
    expect(body).not.toContain('chat_redact_');
  });

  it.each([`Bearer ${METRICS_TOKEN}`, `bearer ${METRICS_TOKEN}`, `Bearer  ${METRICS_TOKEN} `])(
    'serves the metrics for %j',
    async (authorization) => {
      const response = await fetch(`${app().baseUrl}/metrics`, { headers: { authorization } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('chat_redact_messages_total');
    },
  );

  it('never logs the token', async () => {
    await fetch(`${app().baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    await fetch(`${app().baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token' } });
    const log = JSON.stringify(app().logLines());
    expect(log).toContain('"path":"/metrics"');
    expect(log).not.toContain(METRICS_TOKEN);
    expect(log).not.toContain('wrong-token');
  });
});
