/**
 * `GET /widget-policy.json`: the gateway's own policy, which the widget reads back into the engine.
 */
import { describe, expect, it } from 'vitest';
import { readWidgetPolicy } from '../../src/client/local-redaction.js';
import { describeWidgetPolicy, WIDGET_POLICY_PATH } from '../../src/http/widget-policy-route.js';
import { createPolicy, defaultPolicy } from '../../src/redact/index.js';
import { useApp } from './start-app.js';

describe('with the defaults', () => {
  const app = useApp();

  it('serves the default policy as JSON, readable from any origin and revalidated on every load', async () => {
    const response = await fetch(`${app().baseUrl}${WIDGET_POLICY_PATH}`, { headers: { origin: 'https://www.example.no' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.has('set-cookie')).toBe(false);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(defaultPolicy)));
    expect(defaultPolicy).toMatchObject({ minDigits: 7, maxGap: 3, replacement: '' });
  });

  it('answers only GET and HEAD', async () => {
    const head = await fetch(`${app().baseUrl}${WIDGET_POLICY_PATH}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const post = await fetch(`${app().baseUrl}${WIDGET_POLICY_PATH}`, { method: 'POST' });
    expect(post.status).toBe(404);
  });
});

describe('with the REDACT_ settings', () => {
  const app = useApp({ REDACT_MIN_DIGITS: '9', REDACT_MAX_GAP: '1', REDACT_REPLACEMENT: '[fjernet]' });

  it('serves the configured policy, which the client reads back into the same policy', async () => {
    const body: unknown = await (await fetch(`${app().baseUrl}${WIDGET_POLICY_PATH}`)).json();
    expect(body).toMatchObject({ minDigits: 9, maxGap: 1, replacement: '[fjernet]' });
    expect({ ...readWidgetPolicy(body) }).toEqual({ ...createPolicy({ minDigits: 9, maxGap: 1, replacement: '[fjernet]' }) });
  });
});

describe('with REDACT_KEEP', () => {
  const app = useApp({ REDACT_KEEP: 'org_numbers,amounts' });

  it('serves the kept classes, so the browser keeps what the gateway keeps', async () => {
    const body: unknown = await (await fetch(`${app().baseUrl}${WIDGET_POLICY_PATH}`)).json();
    expect(body).toMatchObject({ keep: ['amounts', 'org_numbers'] });
    expect(readWidgetPolicy(body).keep).toEqual(['amounts', 'org_numbers']);
  });
});

describe('describeWidgetPolicy', () => {
  it('holds every setting of the policy, so a setting the engine gains reaches the widget too', () => {
    expect(Object.keys(describeWidgetPolicy(defaultPolicy)).sort()).toEqual(Object.keys(defaultPolicy).sort());
  });
});
