/**
 * How the native API redacts what a person reads or writes: the one place that decides which of
 * the engine's redactors a vendor module's text goes through, one-shot (a request's message, a
 * JSON answer's text) or streamed (a choice's content as it arrives), and that tallies what was
 * deleted for the metrics. Vendor modules never call the engine for text themselves.
 *
 * A native client renders the vendor's markup itself (Markdown for LLMs and Direct Line, HTML for
 * Boost), and SPEC §2 *Native endpoints* wants markup kept: a module says what its answers are
 * written in ({@link NativeApi.markup}), or a field's own markup where fields differ, and the
 * text goes through the engine's markup-preserving redactor of that language — found in the text
 * as rendered, deleted where it stands, marks kept. Links are judged as the chat path judges them
 * (`chatbot/link-check.ts`).
 *
 * @module
 */
import { judgeLink } from '../chatbot/link-check.js';
import {
  HtmlRedactor,
  MarkdownRedactor,
  StreamRedactor,
  redact,
  redactHtml,
  redactJsonLine,
  redactMarkdown,
  type KeptCounts,
  type KindCounts,
  type MarkupRedactor,
  type Policy,
} from '../redact/index.js';

/** What a text is written in: plain text, Markdown (LLMs, Direct Line), HTML (Boost's `html` elements). */
export type NativeMarkup = 'text' | 'markdown' | 'html';

const ONE_SHOT = { text: redact, markdown: redactMarkdown, html: redactHtml } as const;

/** One field's text as it streams: `push` releases what is safe at once, `end` the rest. */
export interface TextStream {
  push(piece: string): string;
  end(): string;
}

/** What was deleted and kept in one direction of one request: counts only, never a digit. */
export class RedactionTally {
  redactions = 0;
  allowed = 0;
  kept = 0;
  readonly kinds: Record<string, number> = {};
  /** Kept-class numbers (`keep`) by class. */
  readonly keptClasses: Record<string, number> = {};
  /** UTF-8 bytes of text that went through redaction. */
  bytes = 0;

  add(counts: { readonly redactions: number; readonly allowed: number; readonly kinds: KindCounts; readonly keptClasses?: KeptCounts }): void {
    this.redactions += counts.redactions;
    this.allowed += counts.allowed;
    for (const [kind, count] of Object.entries(counts.kinds)) this.kinds[kind] = (this.kinds[kind] ?? 0) + (count ?? 0);
    for (const [name, count] of Object.entries(counts.keptClasses ?? {})) {
      this.kept += count ?? 0;
      this.keptClasses[name] = (this.keptClasses[name] ?? 0) + (count ?? 0);
    }
  }
}

/** `true` when a redactor's counts hold anything to tally. */
const hasCounts = (counts: { readonly redactions: number; readonly allowed: number; readonly kept: number }): boolean =>
  counts.redactions + counts.allowed + counts.kept > 0;

/** What grew from one set of counts by name to the next; names that did not grow are absent. */
function grown(now: Readonly<Record<string, number | undefined>>, before: Readonly<Record<string, number | undefined>>): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [name, count = 0] of Object.entries(now)) {
    const more = count - (before[name] ?? 0);
    if (more > 0) added[name] = more;
  }
  return added;
}

interface Tallied {
  readonly redactions: number;
  readonly allowed: number;
  readonly kept: number;
  readonly kinds: KindCounts;
  readonly keptClasses: KeptCounts;
}

/** A streamed field that counts into its tally as it goes: what its redactor counted since the last piece. */
class TalliedStream implements TextStream {
  readonly #redactor: StreamRedactor;
  readonly #tally: RedactionTally;
  /** The redactor's counts already in the tally. */
  #tallied: Tallied = { redactions: 0, allowed: 0, kept: 0, kinds: {}, keptClasses: {} };

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
    const { redactions, allowed, kept } = this.#redactor;
    const before = this.#tallied;
    if (redactions + allowed + kept === before.redactions + before.allowed + before.kept) return released;
    const now: Tallied = { redactions, allowed, kept, kinds: { ...this.#redactor.kinds }, keptClasses: { ...this.#redactor.keptClasses } };
    this.#tally.add({ redactions: redactions - before.redactions, allowed: allowed - before.allowed, kinds: grown(now.kinds, before.kinds), keptClasses: grown(now.keptClasses, before.keptClasses) });
    this.#tallied = now;
    return released;
  }
}

/** A streamed field of markup: its redactor's counts are whole-stream, so they are taken at the end. */
class TalliedMarkupStream implements TextStream {
  readonly #redactor: MarkupRedactor;
  readonly #tally: RedactionTally;

  constructor(redactor: MarkupRedactor, tally: RedactionTally) {
    this.#redactor = redactor;
    this.#tally = tally;
  }

  push(piece: string): string {
    this.#tally.bytes += Buffer.byteLength(piece, 'utf8');
    return this.#redactor.push(piece);
  }

  end(): string {
    const rest = this.#redactor.end();
    if (hasCounts(this.#redactor)) this.#tally.add(this.#redactor);
    return rest;
  }
}

/** The redaction of one direction of one native request, counted into {@link NativeText.tally}. */
export class NativeText {
  readonly tally = new RedactionTally();
  readonly #policy: Policy;
  readonly #markup: NativeMarkup;

  /** @param markup what this direction's texts are written in, unless a call says otherwise */
  constructor(policy: Policy, markup: NativeMarkup = 'text') {
    this.#policy = policy;
    this.#markup = markup;
  }

  /** What a person wrote or reads, whole. */
  redact(text: string, markup: NativeMarkup = this.#markup): string {
    this.tally.bytes += Buffer.byteLength(text, 'utf8');
    // Ill-formed text could turn a deletion into a new character (STYLE: hostile input).
    const result = ONE_SHOT[markup](text.toWellFormed(), this.#policy);
    if (hasCounts(result)) this.tally.add(result);
    return result.text;
  }

  /** Text a client renders as Markdown (Direct Line's `text`), its marks kept. */
  markdown(text: string): string {
    return this.redact(text, 'markdown');
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
    if (hasCounts(result)) this.tally.add(result);
    return result.text;
  }

  /** HTML a client renders (Boost's `html` elements), its tags kept. */
  redactHtml(html: string): string {
    return this.redact(html, 'html');
  }

  /** One field's text arriving in pieces: split anywhere, it comes out as {@link NativeText.redact} would make it. */
  stream(markup: NativeMarkup = this.#markup): TextStream {
    if (markup === 'text') return new TalliedStream(this.#policy, this.tally);
    const redactor = markup === 'markdown' ? new MarkdownRedactor(this.#policy) : new HtmlRedactor(this.#policy);
    return new TalliedMarkupStream(redactor, this.tally);
  }
}
