import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, useVendorStub, statusReply } from '../support/vendor-stub.js';
import { createHarness, drainReply, expectFailure, readDurationCount, readOutcomes, type Harness } from './adapter-harness.js';

const COOL_DOWN_MS = 10_000;
const NO_RETRY = { maxAttempts: 1 };

const stub = useVendorStub();
let harness: Harness;
/** The breaker's clock, moved by hand so that no test depends on the machine's speed. */
let clockMs = 0;
const BREAKER = { failureThreshold: 3, coolDownMs: COOL_DOWN_MS, now: () => clockMs };

afterEach(async () => {
  await harness.adapter.close();
  clockMs = 0;
});

/** Make `count` calls that each fail with a 5xx. */
async function failTimes(count: number, status = 500): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    stub.script(statusReply(status));
    expect((await drainReply(harness.adapter)).error).toBeDefined();
  }
}

describe('vendor client (through the generic adapter): circuit breaker', () => {
  it('opens after N consecutive failures and sheds at once without reaching the vendor', async () => {
    harness = createHarness(stub.url, { breaker: BREAKER, retry: NO_RETRY });
    await failTimes(3);
    const { error, elapsedMs } = await drainReply(harness.adapter);
    expect(expectFailure(error, 'vendor_unavailable').reason).toBe('shed');
    expect(elapsedMs).toBeLessThan(100);
    expect(stub.requests).toHaveLength(3);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.error, outcomes.shed]).toEqual([3, 1]);
    expect(await readDurationCount(harness.metrics)).toBe(3);
    expect(harness.logLines.some((line) => line.includes('"state":"open"'))).toBe(true);
  });

  it('recovers by itself: after the cool-down one trial goes through and its success closes it', async () => {
    harness = createHarness(stub.url, { breaker: BREAKER, retry: NO_RETRY });
    await failTimes(3, 503);
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_unavailable');
    clockMs += COOL_DOWN_MS - 1;
    expect(expectFailure((await drainReply(harness.adapter)).error, 'vendor_unavailable').reason).toBe('shed');
    clockMs += 1;
    stub.script(jsonReply('tilbake'), jsonReply('igjen'));
    expect((await drainReply(harness.adapter)).deltas).toEqual(['tilbake']);
    expect((await drainReply(harness.adapter)).deltas).toEqual(['igjen']);
    expect(stub.requests).toHaveLength(5);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.unavailable, outcomes.shed, outcomes.ok]).toEqual([3, 2, 2]);
  });

  it('lets only one trial through while half-open, and a failed trial opens it again', async () => {
    harness = createHarness(stub.url, { breaker: BREAKER, retry: NO_RETRY });
    await failTimes(3);
    clockMs += COOL_DOWN_MS;
    stub.script({ kind: 'status', status: 503, delayMs: 50 });
    const [trial, second] = await Promise.all([drainReply(harness.adapter), drainReply(harness.adapter)]);
    expect(expectFailure(trial.error, 'vendor_unavailable').reason).toBe('status');
    expect(expectFailure(second.error, 'vendor_unavailable').reason).toBe('shed');
    expect(expectFailure((await drainReply(harness.adapter)).error, 'vendor_unavailable').reason).toBe('shed');
    expect(stub.requests).toHaveLength(4);
  });

  it('counts timeouts as failures', async () => {
    harness = createHarness(stub.url, { breaker: { ...BREAKER, failureThreshold: 2 }, retry: NO_RETRY, timeoutMs: 100 });
    stub.script({ kind: 'hang' }, { kind: 'hang' });
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_timeout');
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_timeout');
    expect(expectFailure((await drainReply(harness.adapter)).error, 'vendor_unavailable').reason).toBe('shed');
    expect(stub.requests).toHaveLength(2);
  });

  it('does not count answers that blame the message (4xx, malformed), and they reset the count', async () => {
    harness = createHarness(stub.url, { breaker: BREAKER, retry: NO_RETRY });
    await failTimes(2);
    stub.script(statusReply(400), { kind: 'raw', contentType: 'application/json', body: 'nope' });
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_error');
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_error');
    await failTimes(2);
    expect((await drainReply(harness.adapter)).deltas).toEqual(['echo: Kvitteringsspørsmål om fakturaen min, fnr  takk']);
    expect(stub.requests).toHaveLength(7);
  });

  it('does not count a caller’s abort as a failure', async () => {
    harness = createHarness(stub.url, { breaker: { ...BREAKER, failureThreshold: 1 }, retry: NO_RETRY });
    stub.script({ kind: 'hang' });
    const controller = new AbortController();
    // Aborted once the vendor holds the request, however slow the machine is to send it.
    const abortOnceSent = setInterval(() => stub.requests.length > 0 && controller.abort(), 5);
    const aborted = await drainReply(harness.adapter, undefined, controller.signal).finally(() => clearInterval(abortOnceSent));
    expect((aborted.error as Error).name).toBe('AbortError');
    expect((await drainReply(harness.adapter)).error).toBeUndefined();
    expect(stub.requests).toHaveLength(2);
  });
});
