import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { readMetric } from '../support/gateway-harness.js';
import { captureLogs } from '../support/log-capture.js';
import { jsonReply, startVendorStub, statusReply, type VendorStub } from '../support/vendor-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const FAILURE_THRESHOLD = 3;
const COOL_DOWN_MS = 10_000;

let stub: VendorStub;
let gateway: Gateway;
/** The breaker's clock, moved by hand: the cool-down passes without a test waiting for it. */
let clockMs = 0;
let seq = 0;

beforeAll(async () => {
  stub = await startVendorStub();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', VENDOR_URL: stub.url, LOG_LEVEL: 'silent' });
  // The chatbot the configuration builds, with a breaker clock of the test's own.
  gateway = await startGateway(config, {
    vendorClient: { breaker: { failureThreshold: FAILURE_THRESHOLD, coolDownMs: COOL_DOWN_MS, now: () => clockMs } },
    logDestination: captureLogs().stream,
  });
});
afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

/** Send one message; resolve with its reply text or error code. */
async function chat(client: TestClient): Promise<{ reply: string; error?: string }> {
  const id = `b${seq++}`;
  client.send({ type: 'message', id, text: 'hei' });
  const end = await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'), 10_000);
  const reply = client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join('');
  return { reply, ...(end.type === 'error' && { error: end.code }) };
}

const vendorRequests = (outcome: string): Promise<number> =>
  readMetric(`http://127.0.0.1:${gateway.port}`, `chat_redact_vendor_requests_total{vendor="generic",outcome="${outcome}"}`);

describe('the circuit breaker, seen from the widgets', () => {
  it('opens after repeated vendor failures, sheds every chat at once, and recovers by itself after the cool-down', async () => {
    const first = await connectClient(`ws://127.0.0.1:${gateway.port}/chat`);
    const second = await connectClient(`ws://127.0.0.1:${gateway.port}/chat`);
    for (let i = 0; i < FAILURE_THRESHOLD; i++) {
      stub.script(statusReply(500));
      expect((await chat(first)).error).toBe('vendor_error');
    }
    // Open: both chats are told at once, and the vendor is not asked.
    const shedFirst = await chat(first);
    const shedSecond = await chat(second);
    expect([shedFirst.error, shedSecond.error]).toEqual(['vendor_unavailable', 'vendor_unavailable']);
    expect(stub.requests).toHaveLength(FAILURE_THRESHOLD);

    clockMs += COOL_DOWN_MS;
    // Half-open: the next message is the trial; its success closes the circuit for everyone.
    stub.script(jsonReply('tilbake'));
    expect(await chat(second)).toMatchObject({ reply: 'tilbake' });
    expect(await chat(first)).toMatchObject({ reply: 'echo: hei' });
    expect(stub.requests).toHaveLength(FAILURE_THRESHOLD + 2);
    expect([await vendorRequests('error'), await vendorRequests('shed'), await vendorRequests('ok')]).toEqual([FAILURE_THRESHOLD, 2, 2]);
    expect([first.ws.readyState, second.ws.readyState]).toEqual([first.ws.OPEN, second.ws.OPEN]);
    first.ws.close();
    second.ws.close();
  });
});
