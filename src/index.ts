/**
 * chat-redact: the library's public surface. Everything a user imports from `'chat-redact'` is
 * listed here, each with its documentation at its declaration:
 *
 * - one-shot: {@link redact}; policies: {@link createPolicy}, {@link PolicyError}, {@link POLICY_LIMITS}
 * - streams: {@link StreamRedactor} (strings), {@link RedactTransform} (Node byte streams),
 *   {@link RedactStream} (WHATWG streams)
 * - JSON log lines: {@link redactJsonLine}, {@link JsonLineRedactor} (line by line),
 *   {@link JsonLinesTransform} (Node byte streams), {@link DEFAULT_KEEP_FIELDS}
 * - integrations: {@link redactBody} (express), {@link redactingHooks} and
 *   {@link createRedactingDestination} (pino)
 * - kinds of deleted numbers, for metrics: {@link KINDS}
 *
 * @module
 */
export { redact, type RedactResult } from './redact/redact.js';
export { createPolicy, PolicyError, POLICY_LIMITS, type Policy, type PolicyOptions } from './redact/policy.js';
export { StreamRedactor } from './redact/stream-redactor.js';
export { RedactTransform } from './redact/node-transform.js';
export { RedactStream } from './redact/web-stream.js';
export { redactJsonLine, JsonLineRedactor, type JsonLineOptions, type JsonLineResult } from './redact/json-line.js';
export { JsonLinesTransform } from './redact/json-lines-transform.js';
export { DEFAULT_KEEP_FIELDS } from './redact/keep-fields.js';
export { KINDS, type Kind, type KindCounts } from './redact/kinds.js';
export { redactBody, type RedactBodyOptions, type RedactBodyHandler } from './integrations/express.js';
export {
  redactingHooks,
  createRedactingDestination,
  type RedactingHooks,
  type RedactingDestination,
} from './integrations/pino.js';
