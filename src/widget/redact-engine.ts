/**
 * `/redact.js`: the engine's one-shot redaction as an ES module for the browser, built from
 * `src/redact/` itself — for a web team's own UI, and shared with the widget as one chunk.
 *
 * @example
 * ```js
 * import { redact, readWidgetPolicy } from 'https://chat.example.no/redact.js';
 * const policy = readWidgetPolicy(await (await fetch('https://chat.example.no/widget-policy.json')).json());
 * redact('ring 98 76 54 32', policy).text; // 'ring '
 * ```
 *
 * @module
 */
export { redact, type RedactResult } from '../redact/redact.js';
export { KINDS, type Kind, type KindCounts } from '../redact/kinds.js';
export { POLICY_LIMITS, PolicyError, createPolicy, defaultPolicy, type Policy, type PolicyOptions } from '../redact/policy.js';
export { readWidgetPolicy } from '../client/local-redaction.js';
