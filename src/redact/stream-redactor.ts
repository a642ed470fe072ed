/**
 * The streaming redactor for strings: the library's face of the string scanner
 * (`text-scanner.ts`), which it wraps, so that only what the README documents is its API.
 *
 * @module
 */
import { findOpenTailStart } from './combination-bounds.js';
import type { Policy, PolicyOptions } from './policy.js';
import { CountingRedactor } from './redaction-counts.js';
import type { RedactedText } from './redacted-text.js';
import { TextScanner } from './text-scanner.js';
import { createChangeCheck, findChange, utf16 } from './utf16-codec.js';
import { isHighSurrogate, isLowSurrogate } from './unicode.js';
import { WellFormedChunks } from './well-formed.js';

/**
 * Redacts a stream of text chunks. Feed chunks with `push`, which returns at once everything
 * that can no longer become part of a sensitive combination; call `end` once at the end for the
 * rest. What it did is counted: `redactions`, `kinds`, `allowed`, `kept`, `keptClasses`.
 *
 * It holds back only the digits and gap of a combination that is still open and shorter than
 * `minDigits`, the gap after a sensitive one, and the first half of a surrogate pair split
 * across chunks: at most `maxHeldLength` code units (49 for the default policy), whatever the
 * input. A lone surrogate comes out as U+FFFD (SPEC §1, well-formed text): deleting a number
 * can never join what stood on either side of it into a new character.
 *
 * @example
 * ```ts
 * const redactor = new StreamRedactor();
 * let out = redactor.push('call me on 98 76');
 * out += redactor.push(' 54 32 today');
 * out += redactor.end(); // 'call me on  today'
 * redactor.kinds; // { phone: 1 }
 * ```
 */
export class StreamRedactor extends CountingRedactor {
  readonly #scanner: TextScanner;
  readonly #wellFormed = new WellFormedChunks();
  /** The policy's change check (`createChangeCheck`, `g`), as one-shot `redact()` asks it. */
  readonly #changes: RegExp;
  readonly #minDigits: number;
  readonly #maxGap: number;

  /** @throws `PolicyError` for invalid policy options */
  constructor(policy?: PolicyOptions | Policy) {
    super(() => this.#scanner.counts);
    this.#scanner = new TextScanner(policy);
    const { minDigits, maxGap } = this.#scanner.policy;
    this.#changes = createChangeCheck(minDigits, maxGap, 'g');
    this.#minDigits = minDigits;
    this.#maxGap = maxGap;
  }

  /**
   * Scan the next chunk; returns what is now safe to pass on (possibly empty).
   *
   * A chunk in which {@link StreamRedactor.#findFirst} finds nothing, and that ends on no digit
   * that may go on, comes back as it is: 92% of the joined chat corpus's 64-character chunks
   * (78% hold no digit-like unit at all). CPU ms a round of the 16 MiB corpus, fresh processes,
   * one variant a process (bench/micro/stream-chunks.js, 6 a build, load ~10): the 78% alone
   * 26.9 → 23.0 on Node 20, 20.0 → 14.7 on Node 26; every 64-character chunk 54.0 → 34.3 and
   * 48.5 → 39.9 (× one-shot CPU 0.54 → 0.88, 0.82 → 0.83). A chunk it finds a change in is
   * scanned from there (the scanner's `push` with `first`), not read by the finder again from 0:
   * against the build that asked the finder again (8 processes a build, load ~8), 4,096-character
   * chunks 55.3 → 46.8 on Node 20, 49.7 → 43.1 on Node 26 (least round 35.0 → 29.6, 28.1 → 24.5);
   * 64-character chunks 52.4 → 52.5, 43.5 → 41.1. Both against the build before them (8
   * processes a build, load ~12): 64-character chunks 51.6 → 49.4 on Node 20, 43.9 → 37.6 on
   * Node 26 (least round 34.2 → 29.7, 25.2 → 23.5); those without a digit-like unit 28.2 → 18.1,
   * 19.4 → 16.9; 4,096-character chunks 44.8 → 32.5, 44.6 → 41.4 (least 29.4 → 27.2, 26.0 → 25.0).
   * Kept out, not a win on both Nodes in two runs: the scanner's near-digit read stopping at an
   * ASCII letter after 4 units, as PlainScan's does. Kept out too: one-shot's `PlainScan` for the
   * part of a changed chunk before its open tail (the scanner only for that tail), under a plain
   * policy. 4,096-character chunks, four runs against main's build (4–10 processes a build, load
   * 15–18): Node 26 a win (least round 25.3 → 22.7, 29.4 → 24.2, 24.3 → 22.1, 24.7 → 24.0), Node 20
   * none (least 29.4 → 27.5, 28.2 → 28.9, 30.1 → 29.5, 28.7 → 28.7; medians 40.9 → 32.4, 47.7 →
   * 46.3, 37.6 → 43.6, 34.6 → 45.5); 64-character chunks a loss on Node 26 (35.3 → 43.5, 42.3 → 45.4).
   */
  push(chunk: string): RedactedText {
    const scanner = this.#scanner;
    if (this.#wellFormed.heldLength !== 0 || !scanner.isIdle) return scanner.push(this.#wellFormed.push(chunk));
    const first = this.#findFirst(chunk);
    if (first === chunk.length && findOpenTailStart(utf16, this.#maxGap, chunk, 0, first) === first) {
      return chunk as RedactedText;
    }
    return scanner.push(this.#wellFormed.push(chunk), first);
  }

  /**
   * Where the finder first matches in `chunk`, read when nothing is held, as one-shot `redact()`
   * finds it: by the policy's change check, emoji passed over (`findChange`). `chunk.length` when
   * the check finds nothing (the chunk is well-formed and holds no finder match), -1 when its
   * first change is a surrogate (a lone one, or a pair that is a digit or a separator), which
   * the scan settles. Before the change the chunk holds no surrogate but emoji pairs, which
   * making it well-formed leaves where they are; a high surrogate at its end is a change.
   */
  #findFirst(chunk: string): number {
    const changes = this.#changes;
    changes.lastIndex = 0;
    if (!changes.test(chunk)) return chunk.length;
    const change = findChange(chunk, changes, this.#minDigits);
    if (change < 0) return chunk.length;
    const unit = chunk.charCodeAt(change);
    return isHighSurrogate(unit) || isLowSurrogate(unit) ? -1 : change;
  }

  /**
   * End of input, after `chunk` when one is given: returns the rest of the text, held back or
   * not, in one piece. The redactor is then ready for new input.
   */
  end(chunk = ''): RedactedText {
    const rest = chunk === '' ? this.#wellFormed.end() : this.#wellFormed.push(chunk) + this.#wellFormed.end();
    if (rest === '') return this.#scanner.end();
    const out = this.#scanner.push(rest);
    return (out + this.#scanner.end()) as RedactedText;
  }

  /** Code units held back right now. */
  get heldLength(): number {
    return this.#scanner.heldLength + this.#wellFormed.heldLength;
  }

  /** The most code units this redactor can ever hold back; it depends only on the policy. */
  get maxHeldLength(): number {
    return this.#scanner.maxHeldLength;
  }
}
