/**
 * The redaction engine. Depends on nothing else in `src/`.
 *
 * @module
 */
export { redact, type RedactResult } from './redact.js';
export { EMPTY_REDACTED, type RedactedText } from './redacted-text.js';
export { StreamRedactor } from './stream-redactor.js';
export { HtmlRedactor, redactHtml } from './html-redactor.js';
export { MarkdownRedactor, redactMarkdown } from './markdown-redactor.js';
export type { MarkupRedactor } from './markup-redactor.js';
export { RedactTransform } from './node-transform.js';
export { ByteRedactor } from './byte-redactor.js';
export { RedactStream } from './web-stream.js';
export {
  createPolicy,
  resolvePolicy,
  defaultPolicy,
  readPolicySetting,
  POLICY_SETTINGS,
  PolicyError,
  POLICY_LIMITS,
  type Policy,
  type PolicyOptions,
} from './policy.js';
export { KINDS, classifyDigits, type Kind, type KindCounts } from './kinds.js';
export {
  ACROSS_MESSAGES_WINDOW_MS,
  COUNTED_KINDS,
  SPLIT_KIND,
  SplitNumbers,
  type CountedKindCounts,
  type MessageTail,
} from './split-numbers.js';
export { ALLOW_LIMITS, foldAllowEntry } from './allow-list.js';
export { KEEP_CLASSES, isAlwaysDeleted, isFutureDate, type KeepClass, type KeptCounts } from './kept-classes.js';
export { DATE_TIME_MAX_LENGTH } from './date-times.js';
export { DEFAULT_KEEP_FIELDS, MAX_KEEP_FIELDS, KeepFields, checkKeepField, chooseKeepFields } from './keep-fields.js';
export { JsonLineRedactor, redactJsonLine, type JsonLineOptions, type JsonLineResult } from './json-line.js';
export { JsonLinesTransform, MAX_JSON_LINE_BYTES } from './json-lines-transform.js';
export { MAX_JSON_DEPTH } from './json-rewriter.js';
export { JsonLinesRedactor } from './json-lines-redactor.js';
