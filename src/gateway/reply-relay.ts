/**
 * One bot reply, from the vendor to the widget: every piece of text passes the streaming
 * redactor, and only what it releases is sent, so a number split across vendor chunks never
 * reaches the widget; buttons and links are redacted and checked (`reply-actions.ts`) and the
 * widget gets opaque ids for them.
 *
 * @module
 */
import type { ReplyAuthor, ReplyPart } from '../chatbot/chatbot.js';
import { CodedError, type ErrorCode } from '../errors.js';
import { LineBreakNormalizer } from '../line-breaks.js';
import type { Metrics } from '../observability/metrics.js';
import { EMPTY_REDACTED, StreamRedactor, redact, type Policy, type RedactResult, type RedactedText } from '../redact/index.js';
import type { ActionRegistry } from './action-registry.js';
import type { ActionView, ReplyFrame } from './protocol.js';
import { viewActions } from './reply-actions.js';

export interface RelayDeps {
  policy: Policy;
  metrics: Metrics;
  actions: ActionRegistry;
  /** Text a reply may have in all, in UTF-8 bytes (`MAX_REPLY_BYTES`); past it the reply is cut. */
  maxReplyBytes: number;
  /** Sends a frame to the widget. */
  send(frame: ReplyFrame): void;
}

export interface RelayOptions {
  /** The widget's message id the reply answers; absent for a message the vendor sent on its own. */
  id?: string;
  /**
   * Send text as it is released (a streamed answer), or all at once in one final frame (a
   * greeting, a human agent's message: whole messages, not answers being written).
   */
  stream: boolean;
  /** Also return the whole reply as the widget showed it (for a conversation's history). */
  keepText?: boolean;
}

/** How a relay ended: `ok` with what was shown, or the error code the widget is to be told. */
export type RelayOutcome =
  | { ok: true; shown: RedactedText | undefined }
  | { ok: false; code: ErrorCode; error: unknown };

/** The most UTF-8 bytes one UTF-16 code unit can stand for (a surrogate pair is 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;
/** A reply's counts before any of its text was redacted. */
const NOTHING_REDACTED = { kinds: {} };
/** Thrown into nothing: marks the end of a reply that grew past its limit. */
const TOO_LONG = new CodedError('vendor_error', { message: 'The reply was longer than the gateway passes on.' });

/**
 * Relay one reply. It never throws: a vendor failure is returned as the error code to report,
 * after whatever part of the reply was already released has been sent.
 */
export async function relayReply(parts: AsyncIterable<ReplyPart> | Iterable<ReplyPart>, options: RelayOptions, deps: RelayDeps): Promise<RelayOutcome> {
  const frames = new FrameBatcher(options, deps);
  try {
    for await (const part of parts) {
      if (part.type === 'text') frames.add(part.text);
      else if (part.type === 'author') frames.setAuthor(part.from);
      else frames.addActions(viewActions(part.actions, deps));
    }
    const shown = frames.close(true);
    return { ok: true, shown: options.keepText === true ? redact(shown, deps.policy).text : undefined };
  } catch (error) {
    // What the redactor still holds is a short digit run or a gap: safe, and part of the reply.
    frames.close(false);
    return { ok: false, code: error instanceof CodedError ? error.code : 'internal', error };
  } finally {
    frames.observe();
  }
}

/**
 * Redacts a reply's text and gathers what is released within one turn of the event loop into
 * one frame. A streamed reply arrives a word or a token at a time, and one frame per delta cost
 * one socket write each (measured: `writev` was half the gateway's CPU with the demo bot); a
 * JSON reply, whose parts all arrive in one turn, becomes one final frame. Actions ride on the
 * next frame sent. The text of a turn goes through the streaming redactor in one piece when its
 * frame is made.
 */
class FrameBatcher {
  /**
   * Made when a first piece of the reply is released before its end. A reply whose text all
   * arrives before its end (a JSON answer) is redacted in one piece with `redact()` instead: the
   * HTTP vendor stub's reply relayed in 7.96 µs against 10.9 on Node 20, 6.63 against 10.7 on
   * Node 26 (bench/micro/relay-builds.js; a second run 10.3/16.1 and 7.04/10.9, loaded machine).
   */
  #redactor: StreamRedactor | undefined;
  /** The whole reply's counts, when it was redacted in one piece. */
  #oneShot: RedactResult | undefined;
  /** Line breaks written `\n` before redaction (`line-breaks.ts`), split-safe like the redactor. */
  readonly #lineBreaks = new LineBreakNormalizer();
  readonly #options: RelayOptions;
  readonly #deps: RelayDeps;
  /** UTF-8 bytes of the reply's text, all but the last {@link #uncounted} units of {@link #pending}. */
  #bytes = 0;
  /** UTF-16 units at the end of {@link #pending} whose bytes are not counted yet. */
  #uncounted = 0;
  #seconds = 0;
  /** Text of this turn as the vendor wrote it, not yet redacted: nothing of it leaves before it is. */
  #pending = '';
  #shown = '';
  #actions: ActionView[] = [];
  /** Who writes, when the vendor said it; frames carry it from then on. */
  #from: ReplyAuthor | undefined;
  #scheduled = false;
  #closed = false;

  constructor(options: RelayOptions, deps: RelayDeps) {
    this.#options = options;
    this.#deps = deps;
  }

  /** Redact `text` on; throws {@link TOO_LONG} once the reply passes its limit. */
  add(text: string): void {
    if (text === '' || this.#closed) return;
    // A UTF-16 unit is at most 3 UTF-8 bytes: while three bytes a unit stay within the limit the
    // turn's bytes are counted once, when it is redacted; nearer the limit, each piece is counted.
    if (this.#bytes + MAX_UTF8_PER_UNIT * (this.#uncounted + text.length) <= this.#deps.maxReplyBytes) {
      this.#uncounted += text.length;
    } else {
      this.#countPending();
      const bytes = Buffer.byteLength(text);
      if (this.#bytes + bytes > this.#deps.maxReplyBytes) throw TOO_LONG;
      this.#bytes += bytes;
    }
    // One write per turn — line breaks, redaction, bytes — timed once: 4.9 µs a demo reply against
    // 7.6 µs with line breaks and bytes read per word, 14 µs with everything per word (bench/micro/reply-relay.js).
    this.#pending += text;
    this.#schedule();
  }

  /** What follows is written by `from`: text not yet sent goes out first, under who wrote it. */
  setAuthor(from: ReplyAuthor): void {
    if (from === this.#from || this.#closed) return;
    if (this.#pending !== '' || this.#actions.length > 0) this.#flush(false);
    this.#from = from;
  }

  addActions(actions: ActionView[]): void {
    if (actions.length === 0 || this.#closed) return;
    this.#actions.push(...actions);
    this.#schedule();
  }

  /** Send what is left: as the final frame, or (after a failure) as a last non-final one. Returns all text sent. */
  close(final: boolean): string {
    if (this.#closed) return this.#shown;
    this.#closed = true;
    this.#flush(final, true);
    return this.#shown;
  }

  /** Count the reply in the metrics: its bytes, its deletions by kind, the time redaction took. */
  observe(): void {
    // A greeting that never came is no message.
    if (this.#options.id === undefined && this.#bytes === 0) return;
    this.#deps.metrics.observeRedaction('outbound', this.#oneShot ?? this.#redactor ?? NOTHING_REDACTED, this.#bytes, this.#seconds);
  }

  #schedule(): void {
    if (this.#scheduled || !this.#options.stream) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#closed) this.#flush(false);
    });
  }

  /** Count the bytes of what is pending and not counted yet. */
  #countPending(): void {
    if (this.#uncounted === 0) return;
    const pending = this.#pending;
    this.#bytes += Buffer.byteLength(this.#uncounted === pending.length ? pending : pending.slice(pending.length - this.#uncounted));
    this.#uncounted = 0;
  }

  /** Redact the turn's text (and, at the reply's end, what the redactor held back), timed for the metrics. */
  #redactPending(ending: boolean): RedactedText {
    if (this.#pending === '' && !ending) return EMPTY_REDACTED;
    this.#countPending();
    const started = performance.now();
    const pending = this.#pending === '' ? '' : this.#lineBreaks.write(this.#pending);
    let text: RedactedText;
    if (ending && this.#redactor === undefined) {
      this.#oneShot = redact(pending, this.#deps.policy);
      text = this.#oneShot.text;
    } else {
      this.#redactor ??= new StreamRedactor(this.#deps.policy);
      text = ending ? this.#redactor.end(pending) : this.#redactor.push(pending);
    }
    this.#seconds += (performance.now() - started) / 1000;
    this.#pending = '';
    return text;
  }

  /** `ending`: the reply's last frame, whether it ends well (`final`) or after a failure. */
  #flush(final: boolean, ending = final): void {
    const text = this.#redactPending(ending);
    const { id } = this.#options;
    // A reply to a message always ends with a final frame, empty or not; a vendor's own message
    // that said nothing is no message at all.
    if (text === '' && this.#actions.length === 0 && (!final || id === undefined)) return;
    this.#deps.send({
      type: 'reply',
      ...(id !== undefined && { id }),
      text,
      final,
      ...(this.#actions.length > 0 && { actions: this.#actions }),
      ...(this.#from !== undefined && { from: this.#from }),
    });
    if (this.#options.keepText === true) this.#shown += text;
    this.#actions = [];
  }
}
