/**
 * chat-redact: the library's public surface.
 *
 * @module
 */
export * from './redact/index.js';
