/**
 * How the native API redacts what a person reads or writes: the one place that decides which of
 * the engine's redactors a vendor module's text goes through, one-shot (a request's message, a
 * JSON answer's text) or streamed (a choice's content as it arrives), and that tallies what was
 * deleted for the metrics. Vendor modules never call the engine for text themselves.
 *
 * Today text is redacted as text. A native client renders the vendor's markup itself (Markdown
 * for LLMs and Direct Line, HTML for Boost), and SPEC §2 *Native endpoints* wants markup kept:
 * when the engine's markup-preserving redactors land, {@link NativeText.redact},
 * {@link NativeText.markdown} and {@link NativeText.stream} switch to them here, and no vendor
 * module changes. Links are judged as the chat path judges them (`chatbot/link-check.ts`).
 *
 * @module
 */
import { judgeLink } from '../chatbot/link-check.js';
import { StreamRedactor, redact, redactJsonLine, type KindCounts, type Policy } from '../redact/index.js';

/** Markdown's emphasis, strike, code marks and escapes: a renderer shows the text between them as one. */
const MARKDOWN_MARKS = /[*_~`\\]/g;

/** One field's text as it streams: `push` releases what is safe at once, `end` the rest. */
export interface TextStream {
  push(piece: string): string;
  end(): string;
}

/** What was deleted in one direction of one request: counts only, never a digit. */
export class RedactionTally {
  redactions = 0;
  allowed = 0;
  readonly kinds: Record<string, number> = {};
  /** UTF-8 bytes of text that went through redaction. */
  bytes = 0;

  add(counts: { readonly redactions: number; readonly allowed: number; readonly kinds: KindCounts }): void {
    this.redactions += counts.redactions;
    this.allowed += counts.allowed;
    for (const [kind, count] of Object.entries(counts.kinds)) this.kinds[kind] = (this.kinds[kind] ?? 0) + (count ?? 0);
  }
}

/** A streamed field that counts into its tally as it goes. */
class TalliedStream implements TextStream {
  readonly #redactor: StreamRedactor;
  readonly #tally: RedactionTally;

  constructor(policy: Policy, tally: RedactionTally) {
    this.#redactor = new StreamRedactor(policy);
    this.#tally = tally;
  }

  push(piece: string): string {
    this.#tally.bytes += Buffer.byteLength(piece, 'utf8');
    return this.#count(this.#redactor.push(piece));
  }

  end(): string {
    return this.#count(this.#redactor.end());
  }

  #count(released: string): string {
    const redactor = this.#redactor;
    if (redactor.redactions + redactor.allowed > 0) {
      this.#tally.add(redactor);
      redactor.resetCounts();
    }
    return released;
  }
}

/** The redaction of one direction of one native request, counted into {@link NativeText.tally}. */
export class NativeText {
  readonly tally = new RedactionTally();
  readonly #policy: Policy;

  constructor(policy: Policy) {
    this.#policy = policy;
  }

  /** What a person wrote or reads, whole. */
  redact(text: string): string {
    this.tally.bytes += Buffer.byteLength(text, 'utf8');
    // Ill-formed text could turn a deletion into a new character (STYLE: hostile input).
    const result = redact(text.toWellFormed(), this.#policy);
    if (result.redactions + result.allowed > 0) this.tally.add(result);
    return result.text;
  }

  /**
   * Text a client renders as Markdown (Direct Line's `text`). Until the engine's Markdown
   * redactor lands it is redacted as text — and when what a renderer shows of the result (marks
   * and escapes read away: `**98** 76 54 32`) still holds a combination, as shown, its marks lost
   * in that text rather than a number shown.
   */
  markdown(text: string): string {
    this.tally.bytes += Buffer.byteLength(text, 'utf8');
    const wellFormed = text.toWellFormed();
    let result = redact(wellFormed, this.#policy);
    if (redact(result.text.replace(MARKDOWN_MARKS, ''), this.#policy).redactions > 0) result = redact(wellFormed.replace(MARKDOWN_MARKS, ''), this.#policy);
    if (result.redactions + result.allowed > 0) this.tally.add(result);
    return result.text;
  }

  /** A link a person may open, or `undefined` when it holds a sensitive combination in any reading (counted) or is no web link. */
  link(url: string): string | undefined {
    const verdict = judgeLink(url.toWellFormed(), this.#policy);
    if (verdict.found !== undefined) this.tally.add(verdict.found);
    return verdict.href;
  }

  /**
   * Text that is JSON (a tool call's `arguments`): every string value redacted and a number with
   * a sensitive combination made `null`, so valid JSON stays valid JSON of the same shape; text
   * that is no JSON is redacted as text.
   */
  redactJson(text: string): string {
    this.tally.bytes += Buffer.byteLength(text, 'utf8');
    const result = redactJsonLine(text.toWellFormed(), this.#policy, { keepFields: [] });
    if (result.redactions + result.allowed > 0) this.tally.add(result);
    return result.text;
  }

  /** One field's text arriving in pieces: split anywhere, it comes out as {@link NativeText.redact} would make it. */
  stream(): TextStream {
    return new TalliedStream(this.#policy, this.tally);
  }
}
