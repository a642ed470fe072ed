/**
 * What the HTML and the Markdown redactor share: well-formed input, a tokenizer that turns it
 * into pieces of a {@link MarkupOutput}, the counts of its views, and the one-shot form.
 *
 * @module
 */
import type { MarkupOutput } from './markup-output.js';
import type { Policy } from './policy.js';
import type { RedactResult } from './redact.js';
import { CountingRedactor } from './redaction-counts.js';
import type { RedactedText } from './redacted-text.js';
import { WellFormedChunks } from './well-formed.js';

/** Reads a markup language's source into an output's pieces, a chunk at a time. */
export interface MarkupTokenizer {
  push(text: string): void;
  end(): void;
}

/** A stream of markup redacted with its markup kept; see `HtmlRedactor` and `MarkdownRedactor`. */
export abstract class MarkupRedactor extends CountingRedactor {
  readonly policy: Policy;
  readonly #output: MarkupOutput;
  readonly #tokenizer: MarkupTokenizer;
  readonly #input = new WellFormedChunks();

  protected constructor(policy: Policy, output: MarkupOutput, tokenizer: MarkupTokenizer) {
    // Deletions in what is shown, and in what a client gets that is not.
    super(() => this.#output.counts());
    this.policy = policy;
    this.#output = output;
    this.#tokenizer = tokenizer;
  }

  /** Source units held back now. */
  get heldLength(): number {
    return this.#output.queuedLength;
  }

  /** Redact the next chunk; returns what is now safe to pass on. */
  push(chunk: string): RedactedText {
    this.#tokenizer.push(this.#input.push(chunk));
    return this.#output.flush();
  }

  /** End of input: returns the rest. */
  end(): RedactedText {
    this.#tokenizer.push(this.#input.end());
    this.#tokenizer.end();
    return this.#output.end();
  }
}

/** A whole text through a fresh redactor: what `redactHtml` and `redactMarkdown` return. */
export function redactWhole(redactor: MarkupRedactor, text: string): RedactResult {
  // One stream's outputs in order are its redacted text.
  const redacted = (redactor.push(text) + redactor.end()) as RedactedText;
  const { redactions, kinds, allowed, kept, keptClasses } = redactor;
  return { text: redacted, redactions, kinds, allowed, kept, keptClasses };
}
