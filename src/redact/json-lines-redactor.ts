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
import { KEEP_CLASSES, type KeptCounts } from './kept-classes.js';
import { KINDS, type KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';

/** A line is parsed as JSON only up to this size; a longer one is redacted as text, streamed. */
export const MAX_JSON_LINE_BYTES = 1024 * 1024;
const LINE_FEED = 0x0a;
const NEW_LINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

/** The sum of two sets of counts by name (kinds, kept classes); names with none are absent. */
function addCounts<Name extends string>(names: readonly Name[], a: Partial<Record<Name, number>>, b: Partial<Record<Name, number>>): Partial<Record<Name, number>> {
  const sum: Partial<Record<Name, number>> = {};
  for (const name of names) {
    const count = (a[name] ?? 0) + (b[name] ?? 0);
    if (count > 0) sum[name] = count;
  }
  return sum;
}

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
export class JsonLinesRedactor {
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
    this.#lines = new JsonLineRedactor(policy, options);
    this.#bytes = new ByteRedactor(this.#lines.policy);
  }

  /** Combinations deleted so far. */
  get redactions(): number {
    return this.#lines.redactions + this.#bytes.redactions;
  }

  /** Deletions so far by kind. */
  get kinds(): KindCounts {
    return addCounts(KINDS, this.#lines.kinds, this.#bytes.kinds);
  }

  /** Sensitive combinations kept on purpose so far (allowed numbers, date-times); never which. */
  get allowed(): number {
    return this.#lines.allowed + this.#bytes.allowed;
  }

  /** Combinations of a kept class (`keep`) kept so far. */
  get kept(): number {
    return this.#lines.kept + this.#bytes.kept;
  }

  /** Kept combinations so far by class; classes with none are absent. */
  get keptClasses(): KeptCounts {
    return addCounts(KEEP_CLASSES, this.#lines.keptClasses, this.#bytes.keptClasses);
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
    /** Start of a run of lines that came out unchanged: written as one view of the chunk. */
    let unchanged = at;
    for (let end = chunk.indexOf(LINE_FEED, at); end !== -1; end = chunk.indexOf(LINE_FEED, at)) {
      let redacted: Buffer | undefined;
      if (this.#partialBytes > 0) {
        const line = Buffer.concat([...this.#partial, chunk.subarray(at, end)]);
        redacted = this.#redactLine(line) ?? line;
        this.#partial = [];
        this.#partialBytes = 0;
      } else {
        redacted = this.#redactLine(chunk.subarray(at, end));
        if (redacted === undefined) {
          at = end + 1;
          continue;
        }
      }
      if (at > unchanged) out.push(chunk.subarray(unchanged, at));
      out.push(redacted, NEW_LINE);
      at = end + 1;
      unchanged = at;
    }
    if (at > unchanged) out.push(chunk.subarray(unchanged, at));
    if (at < chunk.length) this.#holdPartial(chunk.subarray(at), out);
    return out.length === 0 ? EMPTY : out.length === 1 ? out[0]! : Buffer.concat(out);
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
