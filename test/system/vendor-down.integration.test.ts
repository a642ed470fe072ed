import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { captureLogs } from '../support/log-capture.js';
import { freePort } from '../support/ports.js';
import { connectClient } from '../support/ws-client.js';

let gateway: Gateway;

beforeAll(async () => {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    VENDOR_URL: `http://127.0.0.1:${await freePort()}/chat`,
    VENDOR_TIMEOUT_MS: '1500',
    LOG_LEVEL: 'silent',
  });
  gateway = await startGateway(config, { logDestination: captureLogs().stream });
});
afterAll(async () => {
  await gateway.stop();
});

describe('a vendor that refuses connections', () => {
  it('answers vendor_unavailable, then sheds load at once when the breaker opens, and keeps the chat', async () => {
    const client = await connectClient(`ws://127.0.0.1:${gateway.port}/chat`);
    const timings: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      client.send({ type: 'message', id: `d${i}`, text: 'hei' });
      const frame = await client.waitFor((f) => f.type === 'error' && f.id === `d${i}`, 10_000);
      timings.push(performance.now() - started);
      expect(frame.code).toBe('vendor_unavailable');
    }
    // Once open, the breaker answers without waiting out retries.
    expect(Math.min(...timings.slice(-2))).toBeLessThan(100);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    const metrics = await (await fetch(`http://127.0.0.1:${gateway.port}/metrics`)).text();
    expect(metrics).toMatch(/chat_redact_vendor_requests_total\{vendor="generic",outcome="shed"\} [1-9]/);
    expect(metrics).toMatch(/chat_redact_vendor_requests_total\{vendor="generic",outcome="unavailable"\} [1-9]/);
    client.ws.close();
  });
});
