/**
 * The shared core on its own: turns that make several requests (as Direct Line's post and poll
 * do), and which requests may be sent again once part of a turn was passed on.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJson } from '../../src/chatbot/response-body.js';
import { createVendorClient } from '../../src/chatbot/vendor-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { redact } from '../../src/redact/index.js';
import { FAST_RETRY, expectFailure, readOutcomes } from './adapter-harness.js';
import { useVendorStub, statusReply } from '../support/vendor-stub.js';

const stub = useVendorStub();

function client() {
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const logger = createLogger({ level: 'silent', scrub: (text) => redact(text).text, destination: { write: () => undefined } });
  return { core: createVendorClient({ kind: 'directline', timeoutMs: 1_000, metrics, logger, retry: FAST_RETRY, token: 'sekret' }), metrics };
}

const answer = z.object({ n: z.number() });
const json = (n: number) => ({ kind: 'json' as const, body: { n } });

async function drain<T>(items: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const out: T[] = [];
  try {
    for await (const item of items) out.push(item);
    return { items: out, error: undefined };
  } catch (error) {
    return { items: out, error };
  }
}

describe('a turn of several requests', () => {
  it('sends each with the client’s headers, counts the turn once, and retries an idempotent read after a part was passed on', async () => {
    const { core, metrics } = client();
    stub.script(json(1), statusReply(503, 0), json(2));
    const result = await drain(
      core.turn(AbortSignal.timeout(2000), async function* (turn) {
        for await (const first of turn.exchange({ url: stub.url, json: { post: true }, idempotencyKey: 'c:1' }, readJson(answer))) yield first.n;
        for await (const next of turn.exchange({ url: `${stub.url}?watermark=1`, method: 'GET', idempotent: true }, readJson(answer))) yield next.n;
      }),
    );
    expect(result).toEqual({ items: [1, 2], error: undefined });
    expect(stub.requests.map((r) => [r.method, r.path, r.authorization, r.idempotencyKey])).toEqual([
      ['POST', '/v1/reply', 'Bearer sekret', 'c:1'],
      ['GET', '/v1/reply?watermark=1', 'Bearer sekret', undefined],
      ['GET', '/v1/reply?watermark=1', 'Bearer sekret', undefined],
    ]);
    expect(stub.requests[1]!.headers['content-type']).toBeUndefined();
    expect(await readOutcomes(metrics)).toMatchObject({ ok: 1, retried: 1, error: 0 });
    await core.close();
  });

  it('does not send a request that changes something again once part of the turn was passed on', async () => {
    const { core, metrics } = client();
    stub.script(json(1), statusReply(503, 0), json(2));
    const result = await drain(
      core.turn(AbortSignal.timeout(2000), async function* (turn) {
        for await (const first of turn.exchange({ url: stub.url, json: {} }, readJson(answer))) yield first.n;
        for await (const next of turn.exchange({ url: stub.url, json: {} }, readJson(answer))) yield next.n;
      }),
    );
    expect(result.items).toEqual([1]);
    expectFailure(result.error, 'vendor_unavailable');
    expect(stub.requests).toHaveLength(2);
    expect(await readOutcomes(metrics)).toMatchObject({ ok: 0, retried: 0, unavailable: 1 });
    await core.close();
  });

  it('bounds the whole turn by one budget, however many requests it makes', async () => {
    const { core, metrics } = client();
    stub.setHandler(() => ({ ...json(0), delayMs: 300 }));
    const started = performance.now();
    const result = await drain(
      core.turn(new AbortController().signal, async function* (turn) {
        for (;;) for await (const item of turn.exchange({ url: stub.url, method: 'GET', idempotent: true }, readJson(answer))) yield item.n;
      }),
    );
    expect(result.items.length).toBeGreaterThanOrEqual(2);
    expectFailure(result.error, 'vendor_timeout');
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(await readOutcomes(metrics)).toMatchObject({ timeout: 1 });
    await core.close();
  });

  it('takes one answer of a request, and an answer that makes nothing is malformed', async () => {
    const { core, metrics } = client();
    stub.script(json(4), { kind: 'raw', status: 200, contentType: 'application/json', body: '' });
    const maybe = z.object({ n: z.number() }).optional();
    const first = await core.runTurn(AbortSignal.timeout(2000), (turn) => turn.exchangeOne({ url: stub.url, json: {} }, readJson(answer)));
    expect(first).toEqual({ n: 4 });
    const empty = await core
      .runTurn(AbortSignal.timeout(2000), (turn) =>
        turn.exchangeOne({ url: stub.url, json: {} }, async function* nothing(response) {
          for await (const value of readJson(maybe)(response, AbortSignal.timeout(1000))) if (value !== undefined) yield value;
        }),
      )
      .catch((error: unknown) => error);
    expect(expectFailure(empty, 'vendor_error').reason).toBe('malformed');
    expect(await readOutcomes(metrics)).toMatchObject({ ok: 1, error: 1 });
    await core.close();
  });

  it('runs a turn that passes nothing on for what its body returns, counted like any other', async () => {
    const { core, metrics } = client();
    stub.script(json(1), statusReply(503, 0), json(2));
    const sum = await core.runTurn(AbortSignal.timeout(2000), async (turn) => {
      const a = await turn.exchangeOne({ url: stub.url, json: {}, idempotencyKey: 'c:1' }, readJson(answer));
      const b = await turn.exchangeOne({ url: stub.url, json: {}, idempotencyKey: 'c:2' }, readJson(answer));
      return a.n + b.n;
    });
    expect(sum).toBe(3);
    expect(stub.requests.map((r) => r.idempotencyKey)).toEqual(['c:1', 'c:2', 'c:2']);
    expect(await readOutcomes(metrics)).toMatchObject({ ok: 1, retried: 1 });
    await core.close();
  });
});

describe('the turns of one caller', () => {
  it('leave one listener on its signal however many turns it had, and a turn cut by its budget does not cut the next', async () => {
    const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
    const logger = createLogger({ level: 'silent', scrub: (text) => redact(text).text, destination: { write: () => undefined } });
    const core = createVendorClient({ kind: 'generic', timeoutMs: 200, metrics, logger, retry: FAST_RETRY });
    const chat = new AbortController();
    const signals: AbortSignal[] = [];
    for (let n = 1; n <= 3; n++) {
      stub.script(json(n));
      const result = await drain(
        core.turn(chat.signal, async function* (turn) {
          signals.push(turn.signal);
          for await (const item of turn.exchange({ url: stub.url, json: { n } }, readJson(answer))) yield item.n;
        }),
      );
      expect(result).toEqual({ items: [n], error: undefined });
    }
    expect(getEventListeners(chat.signal, 'abort')).toHaveLength(1);
    expect(getEventListeners(signals[2]!, 'abort')).toHaveLength(0);
    const cut = await drain(
      core.turn(chat.signal, async function* (turn) {
        await new Promise((resolve) => turn.signal.addEventListener('abort', resolve, { once: true }));
        turn.signal.throwIfAborted();
        yield 0;
      }),
    );
    expect(cut.error).toMatchObject({ code: 'vendor_timeout' });
    stub.script(json(4));
    const next = await drain(core.turn(chat.signal, (turn) => turn.exchange({ url: stub.url, json: { n: 4 } }, readJson(answer))));
    expect(next).toEqual({ items: [{ n: 4 }], error: undefined });
    expect(getEventListeners(chat.signal, 'abort')).toHaveLength(1);
    chat.abort();
    await core.close();
  });
});
