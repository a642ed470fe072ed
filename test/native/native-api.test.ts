/**
 * Where a native route is asked of the vendor: its path under the base URL, a segment the base
 * already ends in not repeated, the base's query kept.
 */
import { describe, expect, it } from 'vitest';
import { vendorUrlOf } from '../../src/native/native-api.js';

describe('vendorUrlOf', () => {
  it.each([
    ['https://api.openai.com/v1', '/v1/chat/completions', 'https://api.openai.com/v1/chat/completions'],
    ['https://api.openai.com/v1/', '/v1/models', 'https://api.openai.com/v1/models'],
    ['http://localhost:11434', '/v1/models', 'http://localhost:11434/v1/models'],
    ['https://x.openai.azure.com/openai/v1?api-version=preview', '/v1/chat/completions', 'https://x.openai.azure.com/openai/v1/chat/completions?api-version=preview'],
    ['http://rasa:5005', '/webhooks/rest/webhook', 'http://rasa:5005/webhooks/rest/webhook'],
    ['http://proxy.local/rasa/', '/webhooks/rest/webhook', 'http://proxy.local/rasa/webhooks/rest/webhook'],
  ])('%s + %s = %s', (base, path, url) => {
    expect(vendorUrlOf(base, path)).toBe(url);
  });
});
