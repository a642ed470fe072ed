/**
 * chat-redact: the library's public surface, the four entry points of the package together.
 * Each can be imported alone, and costs less so (README, *Entry points*): `chat-redact/redact`
 * (the engine), `chat-redact/express`, `chat-redact/pino` and `chat-redact/client`. Everything
 * a user imports from `'chat-redact'` is listed here, each with its documentation at its
 * declaration:
 *
 * - one-shot: {@link redact}; policies: {@link createPolicy}, {@link PolicyError}, {@link POLICY_LIMITS}
 * - streams: {@link StreamRedactor} (strings), {@link RedactTransform} (Node byte streams),
 *   {@link RedactStream} (WHATWG streams)
 * - markup kept as markup: {@link redactHtml} and {@link HtmlRedactor}, {@link redactMarkdown}
 *   and {@link MarkdownRedactor}
 * - JSON log lines: {@link redactJsonLine}, {@link JsonLineRedactor} (line by line),
 *   {@link JsonLinesTransform} (Node byte streams), {@link DEFAULT_KEEP_FIELDS}
 * - integrations: {@link redactBody} (express), {@link redactingHooks} and
 *   {@link createRedactingDestination} (pino)
 * - kinds of deleted numbers, for metrics: {@link KINDS}
 * - the browser chat client: {@link ChatClient} and what it is built from (`chat-redact/client`)
 *
 * @module
 */
export * from './library/redact.js';
export { redactBody, type RedactBodyOptions, type RedactBodyHandler } from './integrations/express.js';
export {
  redactingHooks,
  createRedactingDestination,
  type RedactingHooks,
  type RedactingDestination,
} from './integrations/pino.js';
export * from './client/index.js';
