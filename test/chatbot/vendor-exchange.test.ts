import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, sseReply, startVendorStub, statusReply, useVendorStub } from '../support/vendor-stub.js';
import { TEST_TEXT, TEST_TOKEN, createHarness, drainReply, expectFailure, readOutcomes, type Harness } from './adapter-harness.js';

const stub = useVendorStub();
let harness: Harness;

afterEach(async () => {
  await harness.adapter.close();
});

/** Milliseconds between consecutive requests the stub received. */
function gapsBetweenRequests(): number[] {
  return stub.requests.slice(1).map((request, index) => request.receivedAt - stub.requests[index]!.receivedAt);
}

describe('vendor exchange (through the generic adapter): retries', () => {
  it('retries 503, 502 and 504 with the same idempotency key and body, then yields the reply', async () => {
    harness = createHarness(stub.url);
    stub.script(statusReply(503), statusReply(502), statusReply(504), jsonReply('endelig'));
    const { deltas, error } = await drainReply(harness.adapter);
    expect(error).toBeUndefined();
    expect(deltas).toEqual(['endelig']);
    expect(stub.requests.map((request) => request.idempotencyKey)).toEqual(Array(4).fill('conv-7f3a:msg-1'));
    expect(new Set(stub.requests.map((request) => request.rawBody)).size).toBe(1);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.ok, outcomes.retried]).toEqual([1, 3]);
  });

  it('waits out the backoff between attempts', async () => {
    harness = createHarness(stub.url, { retry: { maxAttempts: 3, baseDelayMs: 60, maxDelayMs: 60, random: () => 0 } });
    stub.script(statusReply(503), statusReply(503), jsonReply('ok'));
    expect((await drainReply(harness.adapter)).deltas).toEqual(['ok']);
    // Equal jitter with random 0 waits half the ceiling: 30 ms, then 30 ms again (capped).
    for (const gap of gapsBetweenRequests()) expect(gap).toBeGreaterThanOrEqual(28);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    harness = createHarness(stub.url, { timeoutMs: 5_000 });
    stub.script(statusReply(429, 1), jsonReply('ok'));
    const { deltas, elapsedMs } = await drainReply(harness.adapter);
    expect(deltas).toEqual(['ok']);
    expect(stub.requests.map((request) => request.idempotencyKey)).toEqual(['conv-7f3a:msg-1', 'conv-7f3a:msg-1']);
    expect(gapsBetweenRequests()[0]).toBeGreaterThanOrEqual(980);
    expect(elapsedMs).toBeLessThan(2_500);
  });

  it('honours Retry-After as an HTTP-date in the past by retrying at once', async () => {
    // Without the header, the backoff would wait at least 1 s.
    harness = createHarness(stub.url, { timeoutMs: 5_000, retry: { baseDelayMs: 2_000, maxDelayMs: 2_000 } });
    stub.script(statusReply(503, 'Thu, 01 Jan 2015 00:00:00 GMT'), jsonReply('ok'));
    const { deltas, elapsedMs } = await drainReply(harness.adapter);
    expect(deltas).toEqual(['ok']);
    expect(elapsedMs).toBeLessThan(900);
  });

  it('gives up at once with vendor_unavailable when Retry-After outlasts the budget', async () => {
    harness = createHarness(stub.url, { timeoutMs: 5_000 });
    stub.script(statusReply(503, 60));
    const { error, elapsedMs } = await drainReply(harness.adapter);
    expectFailure(error, 'vendor_unavailable');
    expect(stub.requests).toHaveLength(1);
    expect(elapsedMs).toBeLessThan(2_500);
  });

  it('after the last attempt on 503 fails with vendor_unavailable, on 504 with vendor_timeout', async () => {
    harness = createHarness(stub.url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    stub.script(statusReply(503), statusReply(503));
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_unavailable');
    stub.script(statusReply(504), statusReply(504));
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_timeout');
    expect(stub.requests).toHaveLength(4);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.unavailable, outcomes.timeout, outcomes.retried]).toEqual([1, 1, 2]);
  });

  it('retries a connection reset before the headers', async () => {
    harness = createHarness(stub.url);
    stub.script({ kind: 'reset' }, jsonReply('ok'));
    const { deltas, error } = await drainReply(harness.adapter);
    expect([deltas, error]).toEqual([['ok'], undefined]);
    expect(stub.requests).toHaveLength(2);
  });

  it('retries a 200 whose stream breaks before its first delta', async () => {
    harness = createHarness(stub.url);
    stub.script({ kind: 'sse', chunks: [': warming up\n'], then: 'reset', chunkDelayMs: 10 }, sseReply(['second try']));
    const { deltas, error } = await drainReply(harness.adapter);
    expect([deltas, error]).toEqual([['second try'], undefined]);
    expect(stub.requests).toHaveLength(2);
  });

  it('fails with vendor_unavailable when the connection is refused on every attempt', async () => {
    const gone = await startVendorStub();
    await gone.close();
    harness = createHarness(gone.url);
    const { error, elapsedMs } = await drainReply(harness.adapter);
    expectFailure(error, 'vendor_unavailable');
    expect(elapsedMs).toBeLessThan(2_000);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.unavailable, outcomes.retried]).toEqual([1, 3]);
  });
});

describe('vendor client (through the generic adapter): the time budget', () => {
  it('fails with vendor_timeout when no headers come within the budget', async () => {
    harness = createHarness(stub.url, { timeoutMs: 300 });
    stub.script({ kind: 'hang' });
    const { error, elapsedMs } = await drainReply(harness.adapter);
    expectFailure(error, 'vendor_timeout');
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(1_500);
    await stub.settled();
    expect(stub.requests.map((request) => request.outcome)).toEqual(['client-closed']);
  });

  it('covers every attempt: slow failures and waits add up to one budget', async () => {
    harness = createHarness(stub.url, { timeoutMs: 300, retry: { maxAttempts: 20 } });
    // Each attempt takes 100 ms and asks for no wait: twenty would take 2 s, the budget cuts the
    // third. The stub's timers run in this process and expire after the budget's, so this is exact.
    stub.setHandler(() => ({ kind: 'status', status: 503, retryAfter: 0, delayMs: 100 }));
    const { error, elapsedMs } = await drainReply(harness.adapter);
    expectFailure(error, 'vendor_timeout');
    expect(stub.requests.length).toBeGreaterThanOrEqual(2);
    expect(stub.requests.length).toBeLessThanOrEqual(3);
    expect(elapsedMs).toBeLessThan(1_500);
  });

  it('covers the reading of the reply: deltas so far, then vendor_timeout', async () => {
    harness = createHarness(stub.url, { timeoutMs: 300 });
    stub.script(sseReply(['Hei'], { done: false, then: 'hang' }));
    const { deltas, error, elapsedMs } = await drainReply(harness.adapter);
    expect(deltas).toEqual(['Hei']);
    expectFailure(error, 'vendor_timeout');
    expect(elapsedMs).toBeLessThan(1_500);
    expect(stub.requests).toHaveLength(1);
  });
});

describe('vendor client (through the generic adapter): logging', () => {
  it('logs statuses and attempts, never the token or the message text', async () => {
    harness = createHarness(stub.url, { token: TEST_TOKEN, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    stub.script(statusReply(503), { kind: 'status', status: 503, body: `echo ${TEST_TEXT}` });
    await drainReply(harness.adapter);
    const lines = harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ msg, status, attempt, attempts }) => ({ msg, status, attempt, attempts }))).toEqual([
      { msg: 'vendor attempt failed; retrying', status: 503, attempt: 1, attempts: undefined },
      { msg: 'vendor request failed', status: 503, attempt: undefined, attempts: 2 },
    ]);
    const all = harness.logLines.join('\n');
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain('Kvitteringsspørsmål');
  });
});
