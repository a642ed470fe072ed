/**
 * `chat-redact/redact` where there is no Node: the engine with nothing only Node has — one-shot
 * `redact()`, policies, the streaming redactor for strings, the WHATWG `TransformStream`, JSON
 * log lines one at a time, and HTML and Markdown redacted with their markup kept (one-shot and
 * streamed). Bundlers and CDNs pick it by the `browser` condition of the package's
 * `exports`; Node, Deno and Bun get `redact.ts`, which adds the Node byte-stream transforms.
 * It loads no dependency at all.
 *
 * @example
 * ```ts
 * import { redact } from 'chat-redact/redact';
 * redact('ring meg på 98 76 54 32').text; // 'ring meg på '
 * ```
 *
 * @module
 */
export { redact, type RedactResult } from '../redact/redact.js';
export { createPolicy, PolicyError, POLICY_LIMITS, type Policy, type PolicyOptions } from '../redact/policy.js';
export { StreamRedactor } from '../redact/stream-redactor.js';
export { redactHtml, HtmlRedactor } from '../redact/html-redactor.js';
export { redactMarkdown, MarkdownRedactor } from '../redact/markdown-redactor.js';
export { RedactStream } from '../redact/web-stream.js';
export { redactJsonLine, JsonLineRedactor, type JsonLineOptions, type JsonLineResult } from '../redact/json-line.js';
export { DEFAULT_KEEP_FIELDS } from '../redact/keep-fields.js';
export { KINDS, type Kind, type KindCounts } from '../redact/kinds.js';
