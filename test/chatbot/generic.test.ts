import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamRedactor, redact } from '../../src/redact/index.js';
import {
  dripBytes,
  jsonReply,
  splitBytes,
  sseReply,
  sseText,
  useVendorStub,
} from '../support/vendor-stub.js';
import { TEST_REQUEST, TEST_TEXT, TEST_TOKEN, createHarness, drainReply, readDurationCount, readOutcomes, type Harness } from './adapter-harness.js';

/** A streamed reply with UTF-8 of two, three and four bytes and a phone number split over deltas. */
const DELTAS = ['Hei Åse 😀, ring oss på ', '98 76', ' 54 32', ' – «takk» ✓'];
const REPLY = DELTAS.join('');

const stub = useVendorStub();
let harness: Harness;

afterEach(async () => {
  await harness.adapter.close();
});

describe('generic adapter: the request', () => {
  it('posts the redacted message as JSON with the idempotency key and the bearer token', async () => {
    harness = createHarness(stub.url, { token: TEST_TOKEN });
    stub.script(jsonReply('ok'));
    await drainReply(harness.adapter);
    expect(stub.requests).toHaveLength(1);
    const [received] = stub.requests;
    expect(received?.method).toBe('POST');
    expect(received?.path).toBe('/v1/reply');
    expect(received?.headers['content-type']).toBe('application/json');
    expect(received?.idempotencyKey).toBe('conv-7f3a:msg-1');
    expect(received?.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(received?.body).toEqual({ conversationId: 'conv-7f3a', messageId: 'msg-1', text: TEST_TEXT });
  });

  it('sends no authorization header without a token, and reuses its keep-alive connection', async () => {
    harness = createHarness(stub.url);
    const connectionsBefore = stub.connectionCount;
    for (let i = 0; i < 6; i += 1) await drainReply(harness.adapter);
    expect(stub.requests.map((request) => request.authorization)).toEqual(Array(6).fill(undefined));
    // undici may open a second connection while the first is still being handed back to its pool.
    expect(stub.connectionCount - connectionsBefore).toBeLessThanOrEqual(2);
  });
});

describe('generic adapter: a click', () => {
  it('fails as an unexpected vendor error when its reply is read, and sends nothing', async () => {
    harness = createHarness(stub.url);
    const conversation = harness.adapter.open({ conversationId: 'conv-7f3a', onMessage: () => undefined });
    const reply = conversation.reply({ kind: 'action', messageId: 'a1', label: redact('Ja').text, payload: 'ja' }, new AbortController().signal);
    await expect((async () => {
      for await (const _ of reply) return 'a part';
      return 'nothing';
    })()).rejects.toMatchObject({ code: 'vendor_error', reason: 'unexpected' });
    expect(stub.requests).toHaveLength(0);
  });
});

describe('generic adapter: JSON replies', () => {
  it('yields the replies as one text, separated by a blank line, skipping empty ones', async () => {
    harness = createHarness(stub.url);
    stub.script(jsonReply('Hei!', '', 'Fakturaen din er betalt 😀'));
    const { deltas, error } = await drainReply(harness.adapter);
    expect(error).toBeUndefined();
    expect(deltas).toEqual(['Hei!\n\nFakturaen din er betalt 😀']);
  });

  it('yields nothing for an empty list, and counts the call as ok with its duration', async () => {
    harness = createHarness(stub.url);
    stub.script(jsonReply());
    const { deltas, error } = await drainReply(harness.adapter);
    expect([deltas, error]).toEqual([[], undefined]);
    expect((await readOutcomes(harness.metrics)).ok).toBe(1);
    expect(await readDurationCount(harness.metrics)).toBe(1);
  });
});

describe('generic adapter: server-sent events', () => {
  it('yields one delta per event, in order, and stops at [DONE]', async () => {
    harness = createHarness(stub.url);
    stub.script({ kind: 'sse', chunks: [sseText(DELTAS) + 'data: {"text":"after done"}\n\n'] });
    const { deltas, error } = await drainReply(harness.adapter);
    expect(error).toBeUndefined();
    expect(deltas).toEqual(DELTAS);
  });

  it('ends with the response when no [DONE] comes', async () => {
    harness = createHarness(stub.url);
    stub.script(sseReply(DELTAS, { done: false }));
    expect((await drainReply(harness.adapter)).deltas).toEqual(DELTAS);
  });

  it('yields each delta as it arrives, before the rest of the stream', async () => {
    harness = createHarness(stub.url);
    // The stub runs in this process: a stall longer than the pause lets its timer write the second
    // delta before the first is read (4 ms apart once at 150 ms, on a loaded machine).
    stub.script(sseReply(['first', 'second'], { chunkDelayMs: 400 }));
    const arrivals: number[] = [];
    const startedAt = performance.now();
    await drainReply(harness.adapter, TEST_REQUEST, undefined, () => arrivals.push(performance.now() - startedAt));
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThan(200);
  });

  it('works when the stream is dripped one byte at a time', async () => {
    // A pause per byte adds up to more than the default test budget on a busy machine.
    harness = createHarness(stub.url, { timeoutMs: 10_000 });
    stub.script({ kind: 'sse', chunks: dripBytes(sseText(DELTAS)), chunkDelayMs: 1 });
    const { deltas, error } = await drainReply(harness.adapter);
    expect(error).toBeUndefined();
    expect(deltas).toEqual(DELTAS);
  });

  it('gives the same deltas for a split at every byte position of the stream', async () => {
    harness = createHarness(stub.url);
    const bytes = Buffer.from(sseText(DELTAS), 'utf8');
    for (let cut = 1; cut < bytes.length; cut += 1) {
      // A pause, so that the two writes reach the adapter as two reads.
      stub.script({ kind: 'sse', chunks: splitBytes(bytes, [cut]), chunkDelayMs: 1 });
      const { deltas, error } = await drainReply(harness.adapter);
      expect({ cut, deltas, error }).toEqual({ cut, deltas: DELTAS, error: undefined });
    }
  });

  it('gives the same deltas, and the same redacted reply, for any split points (property)', async () => {
    harness = createHarness(stub.url);
    const bytes = Buffer.from(sseText(DELTAS), 'utf8');
    const expectedRedacted = redact(REPLY).text;
    expect(expectedRedacted).not.toContain('98');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), async (cuts) => {
        stub.script({ kind: 'sse', chunks: splitBytes(bytes, cuts) });
        const { deltas, error } = await drainReply(harness.adapter);
        expect(error).toBeUndefined();
        expect(deltas).toEqual(DELTAS);
        const redactor = new StreamRedactor();
        expect(deltas.map((delta) => redactor.push(delta)).join('') + redactor.end()).toBe(expectedRedacted);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 2_000 },
    );
  });
});
