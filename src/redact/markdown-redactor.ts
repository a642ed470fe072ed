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
import type { KindCounts } from './kinds.js';
import { MarkdownTokenizer } from './markdown-tokenizer.js';
import { MarkupOutput, asRedacted } from './markup-output.js';
import { RenderedView } from './markup-view.js';
import { resolvePolicy, type Policy, type PolicyOptions } from './policy.js';
import type { RedactResult } from './redact.js';
import type { RedactedText } from './redacted-text.js';
import { WellFormedChunks } from './well-formed-chunks.js';

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
export class MarkdownRedactor {
  readonly policy: Policy;
  readonly #output: MarkupOutput;
  readonly #tokenizer: MarkdownTokenizer;
  readonly #input = new WellFormedChunks();

  constructor(policy?: PolicyOptions | Policy) {
    this.policy = resolvePolicy(policy);
    const body = new RenderedView(this.policy);
    const links = new RenderedView(this.policy);
    // In an autolink's address nothing replaces a deletion: a percent-encoded replacement would read as digits.
    this.#output = new MarkupOutput([body, links], [spellReplacement(this.policy.replacement), '']);
    this.#tokenizer = new MarkdownTokenizer(this.#output, body, links, this.policy.minDigits);
  }

  /** Combinations deleted so far, in the text and in link destinations. */
  get redactions(): number {
    return this.#output.counts().redactions;
  }

  /** Deletions so far by kind. */
  get kinds(): KindCounts {
    return this.#output.counts().kinds;
  }

  /** Sensitive combinations kept on purpose so far (allowed numbers). */
  get allowed(): number {
    return this.#output.counts().allowed;
  }

  /** Source units held back now. */
  get heldLength(): number {
    return this.#output.queuedLength;
  }

  /** Redact the next chunk; returns what is now safe to pass on. */
  push(chunk: string): RedactedText {
    this.#tokenizer.push(this.#input.push(chunk));
    return asRedacted(this.#output.flush());
  }

  /** End of input: returns the rest. */
  end(): RedactedText {
    this.#tokenizer.push(this.#input.end());
    this.#tokenizer.end();
    return asRedacted(this.#output.end());
  }
}

/**
 * Delete every sensitive combination from Markdown as a renderer shows it, keeping its marks:
 * `21 **49** 60 00` loses every digit and keeps `****`.
 *
 * @example
 * ```ts
 * redactMarkdown('Ring *98* 76 54 32, eller se [faktura](https://bank.example/f/12345678)').text;
 * // 'Ring ** , eller se [faktura]()'
 * ```
 */
export function redactMarkdown(text: string, policy?: PolicyOptions | Policy): RedactResult {
  const redactor = new MarkdownRedactor(policy);
  const redacted = asRedacted(redactor.push(text) + redactor.end());
  return { text: redacted, redactions: redactor.redactions, kinds: redactor.kinds, allowed: redactor.allowed };
}
