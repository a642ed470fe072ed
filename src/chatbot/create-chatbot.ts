/**
 * The chatbot for a configuration: the built-in demo bot when no vendor is set, otherwise the
 * adapter of `VENDOR_KIND` over the one shared core.
 *
 * @module
 */
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createBoostChatbot } from './boost.js';
import type { Chatbot } from './chatbot.js';
import { createDemoBot } from './demo-bot.js';
import { createDirectLineChatbot } from './directline.js';
import { createGenericChatbot } from './generic.js';
import { createOpenAiChatbot } from './openai.js';
import { createRasaChatbot } from './rasa.js';
import { createVendorClient, type VendorClient, type VendorClientOptions } from './vendor-client.js';
import type { EgressProxy } from './vendor-egress.js';

/** What every vendor kind's adapter is given: where the vendor is, its token, the budget of a turn. */
interface VendorEndpoint {
  readonly url: string;
  /** Sent as `authorization: Bearer …`. */
  readonly token: string | undefined;
  /** Whole budget of one message's exchange with the vendor, retries included. */
  readonly timeoutMs: number;
  /** The egress proxy every request and stream to the vendor goes through; default none. */
  readonly proxy?: EgressProxy | undefined;
}

/** The vendor settings, by kind; `demo`: no vendor is set, and the built-in bot answers. */
export type VendorSettings =
  | { readonly kind: 'demo' }
  | (VendorEndpoint & { readonly kind: 'generic' | 'boost' | 'rasa' })
  | (VendorEndpoint & {
      readonly kind: 'openai';
      /** The model, or Azure's deployment name. */
      readonly model: string;
      /** Sent first, as the system message; operator text, sent as written. */
      readonly systemPrompt: string | undefined;
      /** Messages of the conversation (both sides) sent as history with each new one. */
      readonly historyMessages: number;
    })
  | (VendorEndpoint & { readonly kind: 'directline'; readonly token: string });

/** Overrides for tests: retry and breaker settings of the shared core. */
export type ClientOverrides = Partial<Pick<VendorClientOptions, 'retry' | 'breaker' | 'egress'>>;

/** The settings of a configured vendor (any kind but the demo bot). */
export type ConfiguredVendor = Exclude<VendorSettings, { readonly kind: 'demo' }>;

/**
 * The shared core for `vendor`, as every door to it builds it: the chat's adapter, and the
 * native API with its own `endpoint` label and token (`extra`).
 *
 * @example
 * ```ts
 * const client = createVendorClientFor(config.vendor, metrics, logger, {}, { endpoint: 'native', token: undefined });
 * ```
 */
export function createVendorClientFor(
  vendor: ConfiguredVendor,
  metrics: Metrics,
  logger: Logger,
  overrides: ClientOverrides = {},
  extra: Partial<Pick<VendorClientOptions, 'token' | 'endpoint'>> = {},
): VendorClient {
  return createVendorClient({ kind: vendor.kind, token: vendor.token, timeoutMs: vendor.timeoutMs, proxy: vendor.proxy, metrics, logger, ...overrides, ...extra });
}

/**
 * Build the chatbot the configuration's vendor section names.
 *
 * @example
 * ```ts
 * const chatbot = createChatbot(config.vendor, metrics, logger.child({ part: 'vendor' }));
 * ```
 */
export function createChatbot(vendor: VendorSettings, metrics: Metrics, logger: Logger, overrides: ClientOverrides = {}): Chatbot {
  if (vendor.kind === 'demo') return createDemoBot();
  const client = createVendorClientFor(vendor, metrics, logger, overrides);
  switch (vendor.kind) {
    case 'generic':
      return createGenericChatbot(client, vendor.url);
    case 'boost':
      return createBoostChatbot(client, vendor.url);
    case 'rasa':
      return createRasaChatbot(client, vendor.url);
    case 'openai':
      return createOpenAiChatbot(client, { ...vendor, baseUrl: vendor.url });
    case 'directline':
      return createDirectLineChatbot(client, vendor.url, logger);
  }
}
