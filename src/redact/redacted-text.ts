/**
 * The type of text that has been through the redactor.
 *
 * @module
 */

/**
 * Text that has been through the redactor. Only the engine makes one — `redact()`, the stream
 * redactors and the paths built on them return it — so handing unredacted text to a chatbot
 * adapter, a frame or a log field typed with it is a compile error (fail closed by construction).
 *
 * @example
 * ```ts
 * const safe: RedactedText = redact('ring 98 76 54 32').text; // 'ring '
 * const unsafe: RedactedText = 'ring 98 76 54 32'; // does not compile
 * ```
 */
export type RedactedText = string & { readonly __redacted: unique symbol };

/** The empty text is redacted by definition. */
export const EMPTY_REDACTED = '' as RedactedText;
