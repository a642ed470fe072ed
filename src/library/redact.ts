/**
 * `chat-redact/redact`: the redaction engine alone — everything of `redact-browser.ts`, and the
 * Node `Transform`s for byte streams (`RedactTransform`, `JsonLinesTransform`, which use
 * `node:stream` and the WebAssembly byte finder). No pino, no express, no zod: it loads only
 * the engine's own modules (measured in the README, *Entry points*), in Node, Deno and Bun.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import { RedactTransform, redact } from 'chat-redact/redact';
 *
 * redact('fnr 010190 12345, takk').text; // 'fnr , takk'
 * await pipeline(process.stdin, new RedactTransform(), process.stdout);
 * ```
 *
 * @module
 */
export * from './redact-browser.js';
export { RedactTransform } from '../redact/node-transform.js';
export { JsonLinesTransform } from '../redact/json-lines-transform.js';
