import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REQUEST, createHarness, drainReply, expectFailure, readDurationCount, readOutcomes, replyTexts, type Harness } from './adapter-harness.js';
import { jsonReply, sseReply, sseText, useVendorStub, statusReply } from '../support/vendor-stub.js';

const stub = useVendorStub();
let harness: Harness;

afterEach(async () => {
  await harness.adapter.close();
});

describe('vendor client (through the generic adapter): failures that are not retried', () => {
  it.each([500, 400, 404, 501])('%i fails with vendor_error after one request', async (status) => {
    harness = createHarness(stub.url);
    stub.script(statusReply(status));
    const { deltas, error } = await drainReply(harness.adapter);
    expect(deltas).toEqual([]);
    expect(expectFailure(error, 'vendor_error').vendorStatus).toBe(status);
    expect(stub.requests).toHaveLength(1);
    const outcomes = await readOutcomes(harness.metrics);
    expect([outcomes.error, outcomes.retried]).toEqual([1, 0]);
  });

  it.each([
    ['not JSON', { kind: 'raw', contentType: 'application/json', body: '{"replies":[{"text":"Hei"' }],
    ['the wrong shape', { kind: 'json', body: { replies: [{ message: 'Hei' }] } }],
    ['replies that are no list', { kind: 'json', body: { replies: 'Hei' } }],
    ['an unknown content type', { kind: 'raw', contentType: 'text/html', body: '<p>Hei</p>' }],
  ] as const)('a 200 JSON answer with %s fails with vendor_error', async (_, reply) => {
    harness = createHarness(stub.url);
    stub.script(reply);
    const { deltas, error } = await drainReply(harness.adapter);
    expect(deltas).toEqual([]);
    expectFailure(error, 'vendor_error');
    expect(stub.requests).toHaveLength(1);
  });

  it('a malformed event fails with vendor_error after the deltas before it', async () => {
    harness = createHarness(stub.url);
    stub.script({ kind: 'sse', chunks: [sseText(['Hei', ' der'], { done: false }), 'data: {"text":\n\n', sseText(['never'])] });
    const { deltas, error } = await drainReply(harness.adapter);
    expect(deltas).toEqual(['Hei', ' der']);
    expectFailure(error, 'vendor_error');
  });

  it('an event whose text is no string fails with vendor_error', async () => {
    harness = createHarness(stub.url);
    stub.script({ kind: 'sse', chunks: ['data: {"text":42}\n\n'] });
    const { deltas, error } = await drainReply(harness.adapter);
    expect(deltas).toEqual([]);
    expectFailure(error, 'vendor_error');
    expect(stub.requests).toHaveLength(1);
  });

  it('a reset in the middle of the stream yields the deltas so far, then vendor_error, without a retry', async () => {
    harness = createHarness(stub.url);
    stub.script(sseReply(['Hei', ' der'], { done: false, then: 'reset', chunkDelayMs: 20 }));
    const { deltas, error } = await drainReply(harness.adapter);
    expect(deltas).toEqual(['Hei', ' der']);
    expect(expectFailure(error, 'vendor_error').reason).toBe('transport');
    await stub.settled();
    expect(stub.requests.map((request) => request.outcome)).toEqual(['reset']);
    expect((await readOutcomes(harness.metrics)).retried).toBe(0);
  });
});

describe('vendor client (through the generic adapter): the caller aborts', () => {
  it('stops a stream promptly with the signal’s reason and closes the connection', async () => {
    harness = createHarness(stub.url, { timeoutMs: 5_000 });
    stub.script(sseReply(['Hei'], { done: false, then: 'hang' }));
    const controller = new AbortController();
    const reason = new Error('widget went away');
    let abortedAt = 0;
    const { deltas, error } = await drainReply(harness.adapter, TEST_REQUEST, controller.signal, () => {
      abortedAt = performance.now();
      controller.abort(reason);
    });
    // Promptly: the budget would have ended it only after 5 s.
    expect(performance.now() - abortedAt).toBeLessThan(500);
    expect(deltas).toEqual(['Hei']);
    expect(error).toBe(reason);
    await stub.settled();
    expect(stub.requests.map((request) => request.outcome)).toEqual(['client-closed']);
    const outcomes = await readOutcomes(harness.metrics);
    expect(Object.values(outcomes).reduce((sum, count) => sum + count, 0)).toBe(0);
    expect(await readDurationCount(harness.metrics)).toBe(0);
  });

  it('stops promptly while waiting for headers or waiting to retry', async () => {
    harness = createHarness(stub.url, { timeoutMs: 5_000 });
    stub.script({ kind: 'hang' }, statusReply(503, 4));
    // Each abort comes 50 ms after the stub has the request (not 50 ms after the call: on a loaded
    // machine the request may not have arrived by then, and the retry would never be sent).
    for (const requestsSeen of [1, 2]) {
      const controller = new AbortController();
      let abortedAt = 0;
      const abortLater = (async () => {
        while (stub.requests.length < requestsSeen) await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, 50));
        abortedAt = performance.now();
        controller.abort();
      })();
      const { error } = await drainReply(harness.adapter, TEST_REQUEST, controller.signal);
      const stoppedAt = performance.now();
      await abortLater;
      expect((error as Error).name).toBe('AbortError');
      // Far below the 5 s budget, with room for a loaded machine.
      expect(stoppedAt - abortedAt).toBeLessThan(1_500);
    }
    expect(stub.requests).toHaveLength(2);
  });

  it('sends nothing for a signal that has already aborted', async () => {
    harness = createHarness(stub.url);
    const { error } = await drainReply(harness.adapter, TEST_REQUEST, AbortSignal.abort());
    expect((error as Error).name).toBe('AbortError');
    expect(stub.requests).toHaveLength(0);
  });

  it('releases the connection when the reader stops early', async () => {
    harness = createHarness(stub.url);
    stub.script(sseReply(['Hei'], { done: false, then: 'hang' }));
    for await (const delta of replyTexts(harness.adapter, TEST_REQUEST, new AbortController().signal)) {
      expect(delta).toBe('Hei');
      break;
    }
    await stub.settled();
    expect(stub.requests.map((request) => request.outcome)).toEqual(['client-closed']);
  });
});

describe('vendor client (through the generic adapter): close', () => {
  it('ends pending replies with vendor_unavailable and refuses new ones without sending', async () => {
    harness = createHarness(stub.url, { timeoutMs: 5_000 });
    stub.script({ kind: 'hang' });
    const pending = drainReply(harness.adapter);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await harness.adapter.close();
    expectFailure((await pending).error, 'vendor_unavailable');
    stub.script(jsonReply('too late'));
    expectFailure((await drainReply(harness.adapter)).error, 'vendor_unavailable');
    expect(stub.requests).toHaveLength(1);
  });
});
