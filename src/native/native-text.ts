/**
 * How the native API redacts what a person reads or writes: the one place that decides which of
 * the engine's redactors a vendor module's text goes through, one-shot (a request's message, a
 * JSON answer's text) or streamed (a choice's content as it arrives), and that tallies what was
 * deleted for the metrics. Vendor modules never call the engine for text themselves.
 *
 * Today text is redacted as text. A native client renders the vendor's markup itself (Markdown
 * for LLMs and Direct Line, HTML for Boost), and SPEC §2 *Native endpoints* wants markup kept:
 * when the engine's markup-preserving redactors land, {@link NativeText.redact} and
 * {@link NativeText.stream} switch to them here, and no vendor module changes.
 *
 * @module
 */
import { htmlToText } from '../chatbot/html-text.js';
import { StreamRedactor, redact, redactJsonLine, type KindCounts, type Policy } from '../redact/index.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Plain text as HTML that shows it: special characters escaped, lines broken with `<br>`. */
function textAsHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!).replaceAll('\n', '<br>');
}

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

  /**
   * HTML a person's browser renders (a Boost `html` element, a transcript): kept as it came when
   * neither its source nor its text as rendered holds a sensitive combination; else — a number
   * split across tags or entities, one in an attribute — reduced to its rendered text, redacted
   * and escaped, so nothing is shown of it. The switch to the engine's markup-preserving
   * `redactHtml` (tags kept, only the combination's characters deleted) is this one method.
   */
  redactHtml(html: string): string {
    this.tally.bytes += Buffer.byteLength(html, 'utf8');
    const source = html.toWellFormed();
    const asSource = redact(source, this.#policy);
    const shown = redact(htmlToText(source), this.#policy);
    if (shown.redactions + shown.allowed > 0) this.tally.add(shown);
    return asSource.redactions === 0 && shown.redactions === 0 ? source : textAsHtml(shown.text);
  }

  /** One field's text arriving in pieces: split anywhere, it comes out as {@link NativeText.redact} would make it. */
  stream(): TextStream {
    return new TalliedStream(this.#policy, this.tally);
  }
}
