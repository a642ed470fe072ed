import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, exitOf, killLeftoverChildren, startAndWaitForUrl } from '../support/serve-process.js';
import { sseReply, startVendorStub, type VendorStub } from '../support/vendor-stub.js';
import { connectClient, upgradeStatus, type TestClient } from '../support/ws-client.js';

const CHATS = 20;
/** Each widget sends a message this often; the vendor takes about 300 ms for each reply. */
const SEND_EVERY_MS = 150;
const SHUTDOWN_TIMEOUT_MS = 30_000;
/** Acked messages before the signal: about six per chat, so every chat has replies pending. */
const ACKS_BEFORE_SIGNAL = CHATS * 6;

let stub: VendorStub;

beforeAll(async () => {
  stub = await startVendorStub();
  stub.setHandler(() => sseReply(['Takk, ', 'vi ser på saken. ', 'Ring 22 33 44 55.'], { chunkDelayMs: 150 }));
});
afterAll(async () => {
  await stub.close();
});
afterEach(killLeftoverChildren);

interface Widget {
  client: TestClient;
  timer: NodeJS.Timeout;
}

/** A widget that sends a message every {@link SEND_EVERY_MS} until its chat closes. */
async function startWidget(chatUrl: string, index: number): Promise<Widget> {
  const client = await connectClient(chatUrl);
  let sent = 0;
  const timer = setInterval(() => {
    if (client.ws.readyState !== client.ws.OPEN) return;
    client.send({ type: 'message', id: `w${index}-${sent++}`, text: 'spørsmål fra kunde, fnr 010190 12345' });
  }, SEND_EVERY_MS);
  void client.closed.then(() => clearInterval(timer));
  return { client, timer };
}

const idsOf = (client: TestClient, match: (type: string, final: boolean | undefined) => boolean): Set<string> =>
  new Set(client.frames.filter((f) => f.id !== undefined && match(f.type, f.final)).map((f) => f.id!));

describe('SIGTERM while twenty chats are busy', () => {
  it('turns unready at once, refuses new chats, answers every acked message, closes 1001, exits 0 within the grace period', async () => {
    const service = await startAndWaitForUrl(process.execPath, [CLI, 'serve'], {
      PORT: '0',
      HOST: '127.0.0.1',
      VENDOR_URL: stub.url,
      VENDOR_TIMEOUT_MS: '20000',
      RATE_LIMIT_PER_MINUTE: '100000',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_LEVEL: 'info',
    });
    const chatUrl = `${service.url.replace('http', 'ws')}/chat`;
    const widgets = await Promise.all(Array.from({ length: CHATS }, (_, i) => startWidget(chatUrl, i)));
    const acked = (): number => widgets.reduce((sum, w) => sum + idsOf(w.client, (type) => type === 'ack').size, 0);
    await expect.poll(acked, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(ACKS_BEFORE_SIGNAL);

    const signalledAt = performance.now();
    const exited = exitOf(service.child);
    service.child.kill('SIGTERM');

    // Readiness turns 503 while the process is still draining and still serving HTTP.
    let readyz: Response;
    do readyz = await fetch(`${service.url}/readyz`);
    while (readyz.status === 200 && performance.now() - signalledAt < 20_000);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: 'draining' });
    expect(await upgradeStatus(chatUrl)).toBe(503);
    const stillOpen = widgets.filter((w) => w.client.ws.readyState === w.client.ws.OPEN).length;
    expect(stillOpen).toBeGreaterThan(0);

    const closes = await Promise.all(widgets.map((w) => w.client.closed));
    const exitCode = await exited;
    const drainMs = performance.now() - signalledAt;

    expect(closes.map((c) => c.code)).toEqual(Array(CHATS).fill(1001));
    expect(exitCode).toBe(0);
    expect(drainMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    // None lost: every acked message ended with its final reply or an error frame.
    let ackedTotal = 0;
    for (const { client } of widgets) {
      const ackedIds = idsOf(client, (type) => type === 'ack');
      const ended = idsOf(client, (type, final) => (type === 'reply' && final === true) || type === 'error');
      expect([...ackedIds].filter((id) => !ended.has(id))).toEqual([]);
      ackedTotal += ackedIds.size;
      // What was refused during the drain was refused as such, and never acked.
      const refused = client.frames.filter((f) => f.type === 'error' && f.code === 'shutting_down').map((f) => f.id!);
      expect(refused.filter((id) => ackedIds.has(id))).toEqual([]);
    }
    expect(ackedTotal).toBeGreaterThanOrEqual(ACKS_BEFORE_SIGNAL);
    // Every reply the vendor started was read to its end, and only acked messages reached it.
    await stub.settled();
    expect(stub.requests.filter((r) => r.outcome !== 'finished')).toEqual([]);
    expect(stub.requests.length).toBeLessThanOrEqual(ackedTotal);
    expect(service.output()).not.toMatch(/010190|12345\b/);
  });
});
