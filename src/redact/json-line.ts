/**
 * Redaction of JSON log lines: a line that is JSON is written back as valid JSON of the same
 * shape and key order, with every string (keys too) redacted, a number written with a sensitive
 * combination replaced by `null`, and the fields named to keep written as they came. A line that
 * is not JSON is redacted as text.
 *
 * Only what changes is rewritten: everything else — white space, escapes, number formats, kept
 * fields — is copied from the line byte for byte (`json-rewriter.ts`).
 *
 * Two keys of one object may redact to the same text (`"fnr 01019012345"` and `"fnr 98765432"`
 * both to `"fnr "`): the later ones get `~`, `~a`, `~b`, … appended until no key of the object has
 * that text, so the output keeps one key per input key and parses to the same shape, in time and
 * size linear in the line. Keys that redaction leaves alone are never renamed. A line nested
 * deeper than `MAX_JSON_DEPTH` is redacted as text.
 *
 * @module
 */
import { DEFAULT_KEEP_FIELDS, KeepFields } from './keep-fields.js';
import type { KeptCounts } from './kept-classes.js';
import type { KindCounts } from './kinds.js';
import type { Policy, PolicyOptions } from './policy.js';
import type { RedactedText } from './redacted-text.js';
import { CountingRedactor, RedactionCounts } from './redaction-counts.js';
import { JsonRewriter } from './json-rewriter.js';
import { TextScanner } from './text-scanner.js';

/**
 * Options of JSON-line redaction.
 *
 * @example
 * ```ts
 * const options: JsonLineOptions = { keepFields: [...DEFAULT_KEEP_FIELDS, 'req.headers.x-request-id'] };
 * ```
 */
export interface JsonLineOptions {
  /**
   * Dot paths of the values written as they came, from the top of the line; `*` is any one key
   * or array index. Default: `time`, `timestamp`, `@timestamp`, `ts`. `[]` keeps nothing.
   */
  readonly keepFields?: readonly string[];
}

/**
 * Redacts JSON lines one at a time, counting over all of them.
 *
 * @example
 * ```ts
 * const lines = new JsonLineRedactor();
 * lines.redactLine('{"time":1796111050864,"msg":"ring 98 76 54 32","user":{"id":4798765432}}');
 * // '{"time":1796111050864,"msg":"ring ","user":{"id":null}}'
 * lines.redactLine('not json 98765432'); // 'not json '
 * lines.redactions; // 3
 * ```
 */
export class JsonLineRedactor extends CountingRedactor {
  /** Redacts the strings, numbers and text lines; counts only the line in progress. */
  readonly #strings: TextScanner;
  readonly #rewriter: JsonRewriter;
  /** Counts of the lines done. */
  readonly #counts = new RedactionCounts();
  #textLines = 0;

  /**
   * @throws `PolicyError` for an invalid policy; `TypeError` for a bad keep-field path
   */
  constructor(policy?: PolicyOptions | Policy, options: JsonLineOptions = {}) {
    super(() => this.#counts);
    this.#strings = new TextScanner(policy);
    this.#rewriter = new JsonRewriter(this.#strings, new KeepFields(options.keepFields ?? DEFAULT_KEEP_FIELDS));
  }

  /** The policy strings, numbers and text lines are redacted with. */
  get policy(): Policy {
    return this.#strings.policy;
  }

  /** Values written as they came because a keep-field named them. */
  get keptFields(): number {
    return this.#rewriter.keptFields;
  }

  /** Lines that were not JSON and were redacted as text. */
  get textLines(): number {
    return this.#textLines;
  }

  /** Redact one line (without its line break): as JSON when it is JSON, as text otherwise. */
  redactLine(line: string): RedactedText {
    const kept = this.#rewriter.keptFields;
    let out = this.#rewriter.rewrite(line);
    if (out === undefined) {
      // Not JSON after all: what the attempt counted is dropped.
      this.#rewriter.keptFields = kept;
      this.#strings.counts.reset();
      this.#textLines += 1;
      out = this.#strings.redactWhole(line);
    }
    const counted = this.#strings.counts;
    if (counted.redactions + counted.allowed + counted.kept > 0) {
      this.#counts.add(counted);
      counted.reset();
    }
    return out;
  }
}

/**
 * What {@link redactJsonLine} returns.
 *
 * @example
 * ```ts
 * const { text, json }: JsonLineResult = redactJsonLine('{"msg":"ring 98765432"}'); // '{"msg":"ring "}', true
 * ```
 */
export interface JsonLineResult {
  readonly text: RedactedText;
  readonly redactions: number;
  readonly kinds: KindCounts;
  readonly allowed: number;
  /** Combinations of a kept class (`keep`) kept, and by class. */
  readonly kept: number;
  readonly keptClasses: KeptCounts;
  /** `false` when the line was not JSON and was redacted as text. */
  readonly json: boolean;
}

/**
 * Redact one JSON log line (see {@link JsonLineRedactor}); for many lines, make one redactor and
 * reuse it.
 *
 * @example
 * ```ts
 * redactJsonLine('{"ts":"2026-12-01T07:45:18Z","fnr 01019012345":"x","amount":12345678}').text;
 * // '{"ts":"2026-12-01T07:45:18Z","fnr ":"x","amount":null}'
 * ```
 */
export function redactJsonLine(line: string, policy?: PolicyOptions | Policy, options?: JsonLineOptions): JsonLineResult {
  const redactor = new JsonLineRedactor(policy, options);
  const text = redactor.redactLine(line);
  const { redactions, kinds, allowed, kept, keptClasses } = redactor;
  return { text, redactions, kinds, allowed, kept, keptClasses, json: redactor.textLines === 0 };
}
