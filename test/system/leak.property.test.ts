import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formattedNumber } from '../support/arbitraries.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks, countMetricsLeaks } from '../support/leak-judge.js';
import { jsonReply, sseReply, statusReply, type StubReply } from '../support/vendor-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

let gw: RunningGateway;
let client: TestClient;
let seq = 0;

beforeAll(async () => {
  gw = await startTestGateway();
  client = await connectClient(gw.chatUrl);
});
afterAll(async () => {
  client.ws.close();
  await gw.stop();
});

const numberedText = fc
  .tuple(fc.constantFrom('fnr', 'konto', 'tlf', 'kort', 'ref', ''), formattedNumber, fc.constantFrom('takk', 'ok?', ''))
  .map(([a, n, b]) => `${a} ${n} ${b}`);

/** A vendor answer that echoes a number: in a reply, streamed, or in an error body. */
const vendorAnswer = fc.tuple(fc.constantFrom('json', 'sse', 'error', 'garbage'), numberedText).map(
  ([kind, text]): StubReply => {
    if (kind === 'json') return jsonReply(`du skrev: ${text}`);
    if (kind === 'sse') return sseReply(Array.from(text), { chunkDelayMs: 0 });
    if (kind === 'error') return { kind: 'status', status: 400, body: `bad request: ${text}` };
    return { kind: 'raw', contentType: 'application/json', body: `{"replies": "${text}"` };
  },
);

describe('no 7+ digit combination leaks anywhere', () => {
  it('property: widget frames, vendor bodies, logs and metrics stay clean', async () => {
    await fc.assert(
      fc.asyncProperty(numberedText, vendorAnswer, numberedText, async (message, answer, httpText) => {
        gw.stub.script(answer);
        const id = `leak-${seq++}`;
        client.send({ type: 'message', id, text: message });
        await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
        // the HTTP API too, with a number in the query string as well
        const response = await fetch(`${gw.httpUrl}/v1/redact?fnr=01019012345`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: httpText }),
        });
        expect(countLeaks(await response.text())).toBe(0);
      }),
      { numRuns: 40 },
    );
    await gw.stub.settled();
    gw.stub.script(statusReply(500));
    for (const frame of client.frames) expect(countLeaks(JSON.stringify(frame))).toBe(0);
    for (const request of gw.stub.requests) expect(countLeaks(request.rawBody)).toBe(0);
    for (const line of gw.logs.lines()) expect(countLogLineLeaks(line)).toBe(0);
    expect(gw.logs.text()).not.toContain('fnr=');
    const metrics = await (await fetch(`${gw.httpUrl}/metrics`)).text();
    expect(metrics).toContain('chat_redact_redactions_total');
    expect(countMetricsLeaks(metrics)).toBe(0);
    expect(gw.logs.lines().length).toBeGreaterThan(40);
  });
});
