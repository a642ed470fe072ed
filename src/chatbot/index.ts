/**
 * The chatbot vendor side: the adapter seam, the generic HTTP adapter and the built-in demo bot.
 *
 * @module
 */
export { type RedactedText, type VendorAdapter, type VendorRequest } from './adapter.js';
export { createHttpAdapter, type HttpAdapterOptions } from './http-adapter.js';
export { createDemoBot, type DemoBotOptions } from './demo-bot.js';
export { VendorFailure, type FailureReason } from './vendor-failure.js';
export type { RetryOptions } from './backoff.js';
export type { CircuitBreakerOptions } from './circuit-breaker.js';
