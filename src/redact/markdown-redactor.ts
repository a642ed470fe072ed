/**
 * Markup-preserving redaction of Markdown: every combination is found in the text as a renderer
 * shows it — marks read as nothing (`21 **49** 60 00` is one number), escapes and references as
 * what they stand for, soft line breaks as spaces — and each of its characters is deleted where it
 * stands in the source; marks, list numbers and line structure stay. How the source is read is
 * in `markdown-tokenizer.ts`.
 *
 * A link whose destination holds a sensitive combination keeps its text and loses its
 * destination (`[faktura]()`): an address without its digits would lead somewhere else.
 *
 * @module
 */
import { MarkdownTokenizer } from './markdown-tokenizer.js';
import { MarkupOutput } from './markup-output.js';
import { MarkupRedactor, redactWhole } from './markup-redactor.js';
import { RenderedView } from './markup-view.js';
import { resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import type { RedactResult } from './redact.js';

/** The replacement with its ASCII punctuation escaped, so that it is never read as a mark. */
function spellReplacement(replacement: string): string {
  return replacement.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/**
 * Redacts a stream of Markdown — an LLM's answer token by token, say: `push` each chunk, split
 * anywhere, and `end` once; the outputs together are what {@link redactMarkdown} gives for the
 * whole text. It holds back what the scanner holds, the marks between those characters, the
 * first units of a line (to tell how the line before it ends) and a link's destination.
 *
 * @example
 * ```ts
 * const redactor = new MarkdownRedactor();
 * let out = redactor.push('Ring **21 4');
 * out += redactor.push('9** 60 00 nå');
 * out += redactor.end(); // 'Ring **** nå'
 * ```
 */
export class MarkdownRedactor extends MarkupRedactor {
  constructor(policy?: PolicyOptions | Policy) {
    const resolved = resolvePolicy(policy);
    const body = new RenderedView(resolved);
    const links = new RenderedView(resolved);
    // In an autolink's address nothing replaces a deletion: a percent-encoded replacement would read as digits.
    // An unquoted value in a tag is dropped whole: a quoted replacement stands for it (`markdown-raw-html.ts`).
    const quoted = `"${resolved.replacement.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}"`;
    const output = new MarkupOutput([body, links], [spellReplacement(resolved.replacement), '', quoted]);
    super(resolved, output, new MarkdownTokenizer(output, body, links, resolved.minDigits));
  }
}

/**
 * Delete every sensitive combination from Markdown as a renderer shows it, keeping its marks:
 * `21 **49** 60 00` loses every digit and keeps `****`.
 *
 * @example
 * ```ts
 * redactMarkdown('Ring *98* 76 54 32, eller se [faktura](https://bank.example/f/12345678)').text;
 * // 'Ring **, eller se [faktura]()'
 * ```
 */
export function redactMarkdown(text: string, policy?: PolicyOptions | Policy): RedactResult {
  return redactWhole(new MarkdownRedactor(policy), text);
}
