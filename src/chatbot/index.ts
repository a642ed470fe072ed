/**
 * The chatbot side: the adapter seam, the shared vendor core, one adapter per vendor kind and
 * the built-in demo bot.
 *
 * @module
 */
export * from './chatbot.js';
export { createChatbot, type ChatbotSettings } from './create-chatbot.js';
export { createVendorClient, type VendorClient, type VendorClientOptions } from './vendor-client.js';
export { createDemoBot, type DemoBotOptions } from './demo-bot.js';
export { htmlToText } from './html-text.js';
export { VendorFailure, type FailureReason } from './vendor-failure.js';
export type { RetryOptions } from './backoff.js';
export type { CircuitBreakerOptions } from './circuit-breaker.js';
