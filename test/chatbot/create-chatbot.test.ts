import { describe, expect, it } from 'vitest';
import { createChatbot, type VendorSettings } from '../../src/chatbot/create-chatbot.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { loadConfig } from '../../src/config/load-config.js';

const logger = createLogger({ level: 'silent', scrub: (text) => text, destination: { write: () => undefined } });

function build(settings: VendorSettings) {
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  return { chatbot: createChatbot(settings, metrics, logger), metrics };
}

describe('createChatbot', () => {
  it('builds the demo bot when no vendor is configured', async () => {
    const { chatbot, metrics } = build(loadConfig({}).vendor);
    expect(chatbot.kind).toBe('demo');
    // The demo bot makes no vendor requests, so it zeroes no vendor series.
    expect((await metrics.vendorRequests.get()).values).toEqual([]);
    await chatbot.close();
  });

  it('builds the adapter of VENDOR_KIND over the shared core, whose metrics carry the kind', async () => {
    for (const env of [{ VENDOR_URL: 'http://127.0.0.1:9/chat' }, { VENDOR_KIND: 'rasa', VENDOR_URL: 'http://127.0.0.1:9' }]) {
      const { chatbot, metrics } = build(loadConfig(env).vendor);
      const kind = env.VENDOR_KIND ?? 'generic';
      expect(chatbot.kind).toBe(kind);
      const labels = (await metrics.vendorRequests.get()).values.map((value) => value.labels);
      expect(labels.length).toBeGreaterThan(0);
      expect(labels.every((label) => label.vendor === kind)).toBe(true);
      await chatbot.close();
    }
  });
});
