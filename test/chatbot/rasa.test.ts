import { describe, expect, it } from 'vitest';
import type { ReplyPart } from '../../src/chatbot/chatbot.js';
import { partsOfRasaAnswer, rasaWebhookUrl } from '../../src/chatbot/rasa.js';
import { createChatbot } from '../../src/chatbot/create-chatbot.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { redact } from '../../src/redact/index.js';
import { FAST_RETRY, expectFailure, readOutcomes } from './adapter-harness.js';
import { RASA_WEBHOOK_PATH, rasaBaseUrl, rasaHandler } from '../support/rasa-stub.js';
import { useVendorStub, statusReply } from '../support/vendor-stub.js';

const stub = useVendorStub();

function rasa() {
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const logger = createLogger({ level: 'silent', scrub: (text) => redact(text).text, destination: { write: () => undefined } });
  const settings = { kind: 'rasa' as const, url: rasaBaseUrl(stub), token: undefined, timeoutMs: 1_000 };
  return { chatbot: createChatbot(settings, metrics, logger, { retry: FAST_RETRY }), metrics };
}

async function collect(parts: AsyncIterable<ReplyPart>): Promise<ReplyPart[]> {
  const out: ReplyPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('rasaWebhookUrl', () => {
  it('puts the REST channel under the base, with or without a trailing slash or a path', () => {
    expect(rasaWebhookUrl('http://rasa:5005')).toBe('http://rasa:5005/webhooks/rest/webhook');
    expect(rasaWebhookUrl('http://rasa:5005/')).toBe('http://rasa:5005/webhooks/rest/webhook');
    expect(rasaWebhookUrl('https://bots.example.no/rasa')).toBe('https://bots.example.no/rasa/webhooks/rest/webhook');
  });
});

describe('partsOfRasaAnswer', () => {
  it('shows each message’s text, a blank line between, and its buttons and image as actions', () => {
    const parts = [
      ...partsOfRasaAnswer([
        { text: 'Hei!' },
        { text: 'Hva gjelder det?', buttons: [{ title: 'Faktura', payload: '/faktura{"kid":"12345678901"}' }, { title: 'Nettsiden', url: 'https://example.no/' }] },
        { image: 'https://example.no/kart.png' },
        { custom: { anything: 1 } },
      ]),
    ];
    expect(parts).toEqual([
      { type: 'text', text: 'Hei!' },
      { type: 'text', text: '\n\nHva gjelder det?' },
      { type: 'actions', actions: [{ label: 'Faktura', payload: '/faktura{"kid":"12345678901"}' }, { label: 'Nettsiden', url: 'https://example.no/' }] },
      { type: 'actions', actions: [{ label: 'Image', url: 'https://example.no/kart.png', attachment: 'image' }] },
    ]);
    expect([...partsOfRasaAnswer([])]).toEqual([]);
  });
});

describe('the Rasa adapter', () => {
  it('posts sender and redacted message to the webhook, and reads the list', async () => {
    const handler = rasaHandler((message) => [{ text: `Du skrev: ${message}` }]);
    stub.setHandler(handler);
    const { chatbot, metrics } = rasa();
    const conversation = chatbot.open({ conversationId: 'qwertyuiopasdfghjklz', onMessage: () => undefined });
    expect(await collect(conversation.start(AbortSignal.timeout(1000)))).toEqual([]);
    const text = redact('fnr 010190 12345 takk').text;
    const parts = await collect(conversation.reply({ kind: 'text', messageId: 'm1', text }, AbortSignal.timeout(1000)));
    expect(parts).toEqual([{ type: 'text', text: 'Du skrev: fnr  takk' }]);
    expect(stub.requests[0]).toMatchObject({
      method: 'POST',
      path: RASA_WEBHOOK_PATH,
      body: { sender: 'qwertyuiopasdfghjklz', message: 'fnr  takk' },
      idempotencyKey: 'qwertyuiopasdfghjklz:m1',
    });
    expect(conversation.saveState(1000)).toBeUndefined();
    expect((await readOutcomes(metrics)).ok).toBe(1);
    await chatbot.close();
  });

  it('sends a clicked button’s payload as the message, as it came (not user text, never redacted)', async () => {
    stub.setHandler(rasaHandler(() => []));
    const { chatbot } = rasa();
    const conversation = chatbot.open({ conversationId: 'qwertyuiopasdfghjklz', onMessage: () => undefined });
    const label = redact('Faktura').text;
    const parts = await collect(conversation.reply({ kind: 'action', messageId: 'm2', label, payload: '/faktura{"kid":"12345678901"}' }, AbortSignal.timeout(1000)));
    expect(parts).toEqual([]);
    expect((stub.requests[0]!.body as { message: string }).message).toBe('/faktura{"kid":"12345678901"}');
    await chatbot.close();
  });

  it('retries 503 and fails on 500 with vendor_error; a body that is not a list is malformed', async () => {
    const { chatbot, metrics } = rasa();
    const conversation = chatbot.open({ conversationId: 'c', onMessage: () => undefined });
    const text = redact('hei').text;
    stub.script(statusReply(503), { kind: 'json', body: [{ text: 'ok' }] });
    expect(await collect(conversation.reply({ kind: 'text', messageId: 'a', text }, AbortSignal.timeout(1000)))).toEqual([{ type: 'text', text: 'ok' }]);
    stub.script(statusReply(500));
    await expect(collect(conversation.reply({ kind: 'text', messageId: 'b', text }, AbortSignal.timeout(1000)))).rejects.toSatisfy((error) => expectFailure(error, 'vendor_error') !== undefined);
    stub.script({ kind: 'json', body: { text: 'not a list' } });
    await expect(collect(conversation.reply({ kind: 'text', messageId: 'c', text }, AbortSignal.timeout(1000)))).rejects.toMatchObject({ code: 'vendor_error', reason: 'malformed' });
    expect(await readOutcomes(metrics)).toMatchObject({ ok: 1, retried: 1, error: 2 });
    await chatbot.close();
  });
});
