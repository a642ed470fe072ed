/**
 * The chatbot for a configuration: the built-in demo bot when no vendor is set, otherwise the
 * adapter of `VENDOR_KIND` over the one shared core.
 *
 * @module
 */
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createBoostChatbot } from './boost.js';
import type { Chatbot, ChatbotKind } from './chatbot.js';
import { createDemoBot } from './demo-bot.js';
import { createDirectLineChatbot } from './directline.js';
import { createGenericChatbot } from './generic.js';
import { createOpenAiChatbot } from './openai.js';
import { createRasaChatbot } from './rasa.js';
import { createVendorClient, type VendorClient, type VendorClientOptions } from './vendor-client.js';

/** What {@link createChatbot} needs: the vendor settings of the configuration and the observability parts. */
export interface ChatbotSettings {
  readonly vendorKind: ChatbotKind;
  readonly vendorUrl: string | undefined;
  readonly vendorToken: string | undefined;
  readonly vendorTimeoutMs: number;
  readonly vendorModel: string | undefined;
  readonly vendorSystemPrompt: string | undefined;
  readonly vendorHistoryMessages: number;
}

/** Overrides for tests: retry and breaker settings of the shared core. */
export type ClientOverrides = Partial<Pick<VendorClientOptions, 'retry' | 'breaker' | 'egress'>>;

/**
 * Build the chatbot `settings` name.
 *
 * @example
 * ```ts
 * const chatbot = createChatbot(config, metrics, logger.child({ part: 'vendor' }));
 * ```
 */
export function createChatbot(settings: ChatbotSettings, metrics: Metrics, logger: Logger, overrides: ClientOverrides = {}): Chatbot {
  const kind = settings.vendorKind;
  const url = settings.vendorUrl;
  if (kind === 'demo' || url === undefined) return createDemoBot();
  const client: VendorClient = createVendorClient({
    kind,
    token: settings.vendorToken,
    timeoutMs: settings.vendorTimeoutMs,
    metrics,
    logger,
    ...overrides,
  });
  switch (kind) {
    case 'generic':
      return createGenericChatbot(client, url);
    case 'boost':
      return createBoostChatbot(client, url);
    case 'rasa':
      return createRasaChatbot(client, url);
    case 'openai':
      // The configuration refuses to start an openai vendor without a model; this only narrows the type.
      if (settings.vendorModel === undefined) throw new Error('VENDOR_MODEL must be set when VENDOR_KIND is openai');
      return createOpenAiChatbot(client, {
        baseUrl: url,
        model: settings.vendorModel,
        systemPrompt: settings.vendorSystemPrompt,
        historyMessages: settings.vendorHistoryMessages,
      });
    case 'directline':
      return createDirectLineChatbot(client, url, logger);
  }
}
