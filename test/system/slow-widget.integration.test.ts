import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { connectRaw, OPCODE } from '../support/raw-ws.js';
import { sseReply, type StubReply } from '../support/vendor-stub.js';
import { connectClient } from '../support/ws-client.js';
import { referenceRedact } from '../support/reference.js';

const MIB = 1024 * 1024;
/** The gateway's unread-bytes threshold at the default MAX_MESSAGE_BYTES (16 KiB × 64 = 1 MiB). */
const THRESHOLD_BYTES = MIB;
/** One reply delta of about 4 KiB, with numbers for the outbound redaction to remove. */
const DELTA = 'Her er svaret ditt, ring oss gjerne på 22 33 44 55 om noe er uklart. '.repeat(60);
/** Far more than loopback kernel buffers (a few MiB) plus the threshold: it cannot all fit. */
const SLOW_REPLY_DELTAS = 6000;
/** A long reply that a reading widget takes in full: twice the threshold. */
const HEALTHY_REPLY_DELTAS = Math.ceil((2 * MIB) / DELTA.length);

let gw: RunningGateway;

beforeAll(async () => {
  // Replies far past the default MAX_REPLY_BYTES: this is about a widget that stops reading, not a long reply.
  gw = await startTestGateway({ VENDOR_TIMEOUT_MS: '120000', MAX_REPLY_BYTES: '67108864' });
  gw.stub.setHandler((request): StubReply => {
    const text = (request.body as { text: string }).text;
    const deltas = Array<string>(text === 'slow' ? SLOW_REPLY_DELTAS : HEALTHY_REPLY_DELTAS).fill(DELTA);
    return sseReply(deltas);
  });
});
afterAll(async () => {
  await gw.stop();
});

const closesTotal = (code: number): Promise<number> => readMetric(gw.httpUrl, `chat_redact_ws_closes_total{code="${code}"}`);

describe('a widget that stops reading while the bot streams a long reply', () => {
  it('is closed with 1008 once the unread bytes pass the threshold; the vendor stream stops; other chats go on', async () => {
    const closedBefore = await closesTotal(1008);
    const healthy = await connectClient(gw.chatUrl);
    const slow = await connectRaw(gw.gateway.port);
    // The notice and the session token.
    await expect.poll(() => slow.messages().length, { timeout: 10_000 }).toBe(2);
    // From here on the widget reads nothing: the kernel buffers fill, then the gateway's.
    slow.socket.pause();
    slow.sendFrame(OPCODE.text, JSON.stringify({ type: 'message', id: 'slow', text: 'slow' }));
    healthy.send({ type: 'message', id: 'fast', text: 'fast' });

    const decided = () => gw.logs.lines().find((line) => line.msg === 'closing a chat whose client stopped reading');
    await expect.poll(decided, { timeout: 60_000, interval: 20 }).toBeDefined();
    // The client reads again to take the close frame that the gateway queued behind its backlog.
    slow.socket.resume();
    const { code, reason } = await slow.closed;

    expect(code).toBe(1008);
    expect(reason).toBe('client is not reading');
    // The gateway held at most the threshold and one more frame for this widget…
    // Logged in KiB, rounded up.
    const buffered = (decided()!.bufferedKiB as number) * 1024;
    expect(buffered).toBeGreaterThan(THRESHOLD_BYTES);
    expect(buffered).toBeLessThan(THRESHOLD_BYTES + 2 * DELTA.length);
    // …so the widget received only a part of the reply, not the whole reply held for it…
    const slowReplyBytes = SLOW_REPLY_DELTAS * DELTA.length;
    expect(slow.receivedBytes).toBeLessThan(slowReplyBytes / 2);
    // …and the gateway stopped reading the vendor's stream for it.
    await gw.stub.settled();
    const slowRequest = gw.stub.requests.find((r) => (r.body as { text: string }).text === 'slow');
    expect(slowRequest?.outcome).toBe('client-closed');
    expect(await closesTotal(1008)).toBe(closedBefore + 1);

    // The other chat was served in full, redacted, and stays open.
    await healthy.waitFor((f) => f.id === 'fast' && f.type === 'reply' && f.final === true, 60_000);
    const text = healthy.frames.filter((f) => f.id === 'fast' && f.type === 'reply').map((f) => f.text).join('');
    expect(text).toBe(referenceRedact(DELTA.repeat(HEALTHY_REPLY_DELTAS)).text);
    expect(text.length).toBeGreaterThan(THRESHOLD_BYTES);
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
    healthy.ws.close();
  });
});
