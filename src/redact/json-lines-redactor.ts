/**
 * JSON-lines redaction of byte chunks: each line that is JSON is written back as valid JSON of
 * the same shape (see `json-line.ts`), every other line is redacted as text. Memory stays
 * constant: a line longer than {@link MAX_JSON_LINE_BYTES} is not held but redacted as text as it
 * streams, and counted in {@link JsonLinesRedactor.longLines}. `json-lines-transform.ts` makes it
 * a Node `Transform`; the CLI drives it directly.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { ByteRedactor } from './byte-redactor.js';
import { JsonLineRedactor, type JsonLineOptions } from './json-line.js';
import type { Policy, PolicyOptions } from './policy.js';
import { CountingRedactor, RedactionCounts } from './redaction-counts.js';

/** A line is parsed as JSON only up to this size; a longer one is redacted as text, streamed. */
export const MAX_JSON_LINE_BYTES = 1024 * 1024;
const LINE_FEED = 0x0a;
const NEW_LINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

/**
 * Redacts UTF-8 JSON lines, chunk by chunk, split anywhere. A line that is not valid UTF-8 is
 * redacted as text, each ill-formed sequence read as U+FFFD (SPEC §1, well-formed text). What it holds between chunks is a copy, never
 * a view of a chunk.
 *
 * @example
 * ```ts
 * const lines = new JsonLinesRedactor({ keepTimestamps: true });
 * const out = Buffer.concat([lines.push(Buffer.from('{"msg":"tlf 98 76')), lines.push(Buffer.from(' 54 32"}\n')), lines.end()]);
 * out.toString(); // '{"msg":"tlf "}\n'
 * ```
 */
export class JsonLinesRedactor extends CountingRedactor {
  readonly #lines: JsonLineRedactor;
  /** Lines redacted as bytes: not UTF-8, or too long to hold. */
  readonly #bytes: ByteRedactor;
  /** The start of a line that the chunks so far have not ended. */
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /** The line being streamed as text because it is too long to hold. */
  #inLongLine = false;
  #longLines = 0;
  #byteLines = 0;

  /**
   * @throws `PolicyError` for an invalid policy; `TypeError` for a bad keep-field path
   */
  constructor(policy?: PolicyOptions | Policy, options: JsonLineOptions = {}) {
    super(() => {
      const sum = new RedactionCounts();
      sum.add(this.#lines);
      sum.add(this.#bytes);
      return sum;
    });
    this.#lines = new JsonLineRedactor(policy, options);
    this.#bytes = new ByteRedactor(this.#lines.policy);
  }

  /** Values written as they came because a keep-field named them. */
  get keptFields(): number {
    return this.#lines.keptFields;
  }

  /** Lines redacted as text: not JSON, not UTF-8, or too long to hold. */
  get textLines(): number {
    return this.#lines.textLines + this.#byteLines + this.#longLines;
  }

  /** Lines over {@link MAX_JSON_LINE_BYTES}, redacted as text as they streamed. */
  get longLines(): number {
    return this.#longLines;
  }

  /** Redact the next chunk; returns the bytes now safe to pass on (possibly none). */
  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let at = 0;
    if (this.#inLongLine) at = this.#continueLongLine(chunk, out);
    if (this.#partialBytes > 0) {
      const end = chunk.indexOf(LINE_FEED, at);
      if (end !== -1) {
        const line = Buffer.concat([...this.#partial, chunk.subarray(at, end)]);
        out.push(this.#redactLine(line) ?? line, NEW_LINE);
        this.#partial = [];
        this.#partialBytes = 0;
        at = end + 1;
      }
    }
    const last = this.#partialBytes > 0 ? -1 : chunk.lastIndexOf(LINE_FEED);
    if (last >= at) {
      const lines = chunk.subarray(at, last + 1);
      // The whole lines of a chunk decoded once and, when one changed, encoded once: a line at a
      // time cost a decode, an encode and a Buffer per line, the most of a short line's time
      // (lone surrogate escapes, 40-byte lines). A byte string that is UTF-8 is UTF-8 in every
      // part cut at a line feed, so each line is what it was alone. With the rest of this change
      // (bench/micro/json-hostile.js, CPU, medians of 7 interleaved rounds, load ~12): lone
      // surrogate escapes 453 → 327 ms on Node 26, 518 → 424 on Node 20; benign 451 → 381, 509 → 485.
      // Decoding each line alone and encoding runs of changed lines measured 482 → 431 on Node 26
      // for the escapes (398 on Node 20): the per-line decode is what Node 26 pays most for. A
      // chunk with one non-Latin-1 character makes every line of it two-byte (emoji in 1 line of
      // 20: within the noise, 0–15% more CPU in-process on Node 26).
      out.push(isUtf8(lines) ? this.#redactUtf8Lines(lines) : this.#redactLinesApart(lines));
      at = last + 1;
    }
    if (at < chunk.length) this.#holdPartial(chunk.subarray(at), out);
    return out.length === 0 ? EMPTY : out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Whole UTF-8 lines, each with its line feed: the redacted bytes, or `lines` itself when none changed. */
  #redactUtf8Lines(lines: Buffer): Buffer {
    const text = lines.toString('utf8');
    const redactor = this.#lines;
    let out = '';
    let copied = -1;
    for (let start = 0, end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
      const line = text.slice(start, end);
      const redacted = redactor.redactLine(line);
      if (redacted === line) continue;
      out += text.slice(Math.max(copied, 0), start) + redacted;
      copied = end;
    }
    return copied === -1 ? lines : Buffer.from(out + text.slice(copied), 'utf8');
  }

  /** Whole lines, each with its line feed, not all UTF-8: redacted one by one. */
  #redactLinesApart(lines: Buffer): Buffer {
    const out: Buffer[] = [];
    /** Start of a run of lines that came out unchanged: written as one view. */
    let unchanged = 0;
    for (let start = 0, end = lines.indexOf(LINE_FEED); end !== -1; start = end + 1, end = lines.indexOf(LINE_FEED, start)) {
      const redacted = this.#redactLine(lines.subarray(start, end));
      if (redacted === undefined) continue;
      if (start > unchanged) out.push(lines.subarray(unchanged, start));
      out.push(redacted, NEW_LINE);
      unchanged = end + 1;
    }
    if (lines.length > unchanged) out.push(lines.subarray(unchanged));
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** End of input: the line still held, redacted. */
  end(): Buffer {
    let out: Buffer | undefined;
    if (this.#inLongLine) {
      out = this.#bytes.end();
      this.#inLongLine = false;
    } else if (this.#partialBytes > 0) {
      const line = Buffer.concat(this.#partial);
      out = this.#redactLine(line) ?? line;
      this.#partial = [];
      this.#partialBytes = 0;
    }
    return out ?? EMPTY;
  }

  /** The redacted line, or `undefined` when it comes out as it went in. */
  #redactLine(line: Buffer): Buffer | undefined {
    if (!isUtf8(line)) {
      this.#byteLines += 1;
      const redacted = Buffer.concat([this.#bytes.push(line), this.#bytes.end()]);
      return redacted.equals(line) ? undefined : redacted;
    }
    const text = line.toString('utf8');
    const redacted = this.#lines.redactLine(text);
    return redacted === text ? undefined : Buffer.from(redacted, 'utf8');
  }

  /** Keep the unfinished line for the next chunk, or start streaming it as text when it is too long. */
  #holdPartial(rest: Buffer, out: Buffer[]): void {
    if (this.#partialBytes + rest.length <= MAX_JSON_LINE_BYTES) {
      // A view of a 64 KiB read would pin the whole read in memory: copy the short tail.
      this.#partial.push(Buffer.from(rest));
      this.#partialBytes += rest.length;
      return;
    }
    this.#inLongLine = true;
    this.#longLines += 1;
    for (const part of [...this.#partial, rest]) out.push(this.#bytes.push(part));
    this.#partial = [];
    this.#partialBytes = 0;
  }

  /** Stream the long line on through its line break; returns where the rest of the chunk begins. */
  #continueLongLine(chunk: Buffer, out: Buffer[]): number {
    const end = chunk.indexOf(LINE_FEED);
    if (end === -1) {
      out.push(this.#bytes.push(chunk));
      return chunk.length;
    }
    out.push(this.#bytes.push(chunk.subarray(0, end + 1)), this.#bytes.end());
    this.#inLongLine = false;
    return end + 1;
  }
}
