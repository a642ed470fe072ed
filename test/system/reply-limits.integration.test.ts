/**
 * A vendor that will not stop talking: past MAX_REPLY_BYTES the widget gets what fit, then
 * `vendor_error`, and the gateway stops reading the vendor's stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { sseReply } from '../support/vendor-stub.js';
import { connectClient } from '../support/ws-client.js';

const MAX_REPLY_BYTES = 4096;
let gw: RunningGateway;
beforeAll(async () => {
  gw = await startTestGateway({ MAX_REPLY_BYTES: String(MAX_REPLY_BYTES), VENDOR_TIMEOUT_MS: '30000' });
});
afterAll(async () => {
  await gw.stop();
});

describe('a reply past MAX_REPLY_BYTES', () => {
  it('is cut: what fit, then vendor_error; the vendor stream is dropped; the chat goes on', async () => {
    const delta = 'Mye tekst, og et nummer 22 33 44 55 innimellom. '.repeat(10);
    gw.stub.script(sseReply(Array<string>(10_000).fill(delta), { chunkDelayMs: 1 }));
    const client = await connectClient(gw.chatUrl);
    client.send({ type: 'message', id: 'long', text: 'fortell alt' });
    const error = await client.waitFor((f) => f.id === 'long' && f.type === 'error', 20_000);
    expect(error.code).toBe('vendor_error');
    const shown = client.frames.filter((f) => f.id === 'long' && f.type === 'reply');
    expect(shown.some((f) => f.final === true)).toBe(false);
    const text = shown.map((f) => f.text).join('');
    expect(text.length).toBeGreaterThan(MAX_REPLY_BYTES / 2);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(countLeaks(text)).toBe(0);
    await gw.stub.settled();
    expect(gw.stub.requests[0]!.outcome).toBe('client-closed');
    client.send({ type: 'message', id: 'next', text: 'hei' });
    await client.waitFor((f) => f.id === 'next' && f.type === 'reply' && f.final === true);
    client.ws.close();
  });
});
