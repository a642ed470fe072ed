/**
 * The walk over one JSON line that rewrites what redaction changes and copies the rest: strings
 * and keys through the scanner, numbers with a sensitive combination to `null`, kept fields
 * checked but left alone. It checks the JSON grammar (RFC 8259) as it goes and gives up on the
 * first error, so that no `JSON.parse` builds a tree it would not use (measured: that cost a
 * quarter of JSON mode's time on pino lines).
 *
 * One rewriter serves every line of a stream; its state is reused, so a line allocates only
 * what it rewrites.
 *
 * @module
 */
import type { KeepFields } from './keep-fields.js';
import type { RedactedText } from './redacted-text.js';
import { KeyNames } from './json-keys.js';
import * as token from './json-tokens.js';
import type { TextScanner } from './text-scanner.js';
import { createChangeCheck } from './utf16-codec.js';

export { KEY_SUFFIX, keySuffix } from './json-keys.js';

/**
 * The deepest nesting of objects and arrays a line may have to be read as JSON; a deeper line is
 * redacted as text. Logs nest a few levels; the bound keeps the rewriter's state small whatever
 * the line (1 MiB of `[` once added 133–147 MiB of RSS).
 */
export const MAX_JSON_DEPTH = 64;
const NULL = 'null';
const NOT_JSON = -1;

/** One open object or array of the line; pooled by depth. */
interface Container {
  isObject: boolean;
  /** Where its keys and its redacted keys begin on the stacks of `KeyNames` (objects). */
  firstKey: number;
  firstPending: number;
  /** The keep-field paths still possible for it (see `KeepFields`), and for its current member. */
  mask: number;
  member: number;
  /** Index of the current element (arrays). */
  index: number;
}

/** Rewrites JSON lines; see the module. */
export class JsonRewriter {
  readonly #strings: TextScanner;
  readonly #keep: KeepFields;
  readonly #minDigits: number;
  /** Strings it does not match need no scan (`createChangeCheck`). */
  readonly #unchanged: RegExp;
  /** The replacement needs no escaping in a JSON string. */
  readonly #plainReplacement: boolean;
  readonly #pool: Container[] = [];
  #line = '';
  /** The keys of the open objects, and their redacted keys until each object closes. */
  readonly #names = new KeyNames();
  readonly #reader = new token.StringReader();
  #depth = 0;
  /** Depth of the kept value being read (its tokens checked, not rewritten); 0 for none. */
  #keptDepth = 0;
  #out = '';
  /** The output after `#out` while a redacted key waits for its object's end (a slot for each). */
  readonly #parts: string[] = [];
  #copied = 0;
  /** Values kept as they came so far. */
  keptFields = 0;

  constructor(strings: TextScanner, keep: KeepFields) {
    this.#strings = strings;
    this.#keep = keep;
    const { replacement, minDigits, maxGap } = strings.policy;
    this.#minDigits = minDigits;
    this.#unchanged = createChangeCheck(minDigits, maxGap);
    this.#plainReplacement = JSON.stringify(replacement) === `"${replacement}"`;
  }

  /** The line rewritten, or `undefined` when it is no JSON text. */
  rewrite(line: string): RedactedText | undefined {
    this.#line = line;
    this.#names.reset();
    // Empty unless the last line was no JSON (`length = 0` on an empty array costs on Node 20).
    if (this.#parts.length !== 0) this.#parts.length = 0;
    this.#reader.read(line);
    this.#depth = 0;
    this.#keptDepth = 0;
    this.#out = '';
    this.#copied = 0;
    const end = this.#walk();
    if (end !== line.length) return undefined;
    return (this.#copied === 0 ? line : this.#out + line.slice(this.#copied)) as RedactedText;
  }

  /** Read the line's value; returns where it and the white space after it end, or `NOT_JSON`. */
  #walk(): number {
    const line = this.#line;
    const keep = this.#keep;
    let at = token.skipSpace(line, 0);
    for (;;) {
      // A value begins at `at`.
      const first = line.charCodeAt(at);
      const parent = this.#depth === 0 ? undefined : this.#pool[this.#depth - 1]!;
      if (this.#keptDepth === 0 && parent !== undefined && parent.member !== 0 && keep.isKept(parent.member, this.#depth)) {
        this.keptFields += 1;
        this.#keptDepth = this.#depth + 1;
      }
      if (first === token.OPEN_BRACE || first === token.OPEN_BRACKET) {
        const isObject = first === token.OPEN_BRACE;
        if (this.#depth === MAX_JSON_DEPTH) return NOT_JSON;
        const container = this.#open(isObject, this.#keptDepth !== 0 ? 0 : (parent?.member ?? keep.all));
        at = token.skipSpace(line, at + 1);
        if (line.charCodeAt(at) !== (isObject ? token.CLOSE_BRACE : token.CLOSE_BRACKET)) {
          if (isObject) at = this.#readKey(at, container);
          else if (container.mask !== 0) container.member = keep.matchIndex(container.mask, this.#depth, 0);
          if (at === NOT_JSON) return NOT_JSON;
          continue;
        }
        this.#close();
        at += 1;
      } else if (first === token.QUOTE) {
        at = this.#readString(at, null);
      } else if (token.isNumberStart(first)) {
        at = this.#readNumber(at);
      } else {
        at = token.literalEnd(line, at);
      }
      if (at === NOT_JSON) return NOT_JSON;
      if (this.#keptDepth > this.#depth) this.#keptDepth = 0;
      // After a value: a comma and the next member, or the end of containers.
      for (;;) {
        at = token.skipSpace(line, at);
        if (this.#depth === 0) return at;
        const container = this.#pool[this.#depth - 1]!;
        const next = line.charCodeAt(at);
        if (next === token.COMMA) {
          at = token.skipSpace(line, at + 1);
          if (container.isObject) at = this.#readKey(at, container);
          else if (container.mask !== 0) container.member = keep.matchIndex(container.mask, this.#depth, ++container.index);
          if (at === NOT_JSON) return NOT_JSON;
          break;
        }
        if (next !== (container.isObject ? token.CLOSE_BRACE : token.CLOSE_BRACKET)) return NOT_JSON;
        this.#close();
        at += 1;
      }
    }
  }

  #open(isObject: boolean, mask: number): Container {
    const names = this.#names;
    let container = this.#pool[this.#depth];
    if (container === undefined) {
      container = { isObject, firstKey: names.keyCount, firstPending: names.pendingCount, mask, member: 0, index: 0 };
      this.#pool.push(container);
    } else {
      container.isObject = isObject;
      container.firstKey = names.keyCount;
      container.firstPending = names.pendingCount;
      container.mask = mask;
      container.member = 0;
      container.index = 0;
    }
    this.#depth += 1;
    return container;
  }

  #close(): void {
    this.#depth -= 1;
    if (this.#keptDepth > this.#depth) this.#keptDepth = 0;
    const container = this.#pool[this.#depth]!;
    if (!container.isObject) return;
    const names = this.#names;
    const waited = names.pendingCount > container.firstPending;
    names.close(container.firstKey, container.firstPending, this.#parts);
    if (waited && names.pendingCount === 0) {
      // No redacted key waits any more: what was held in parts is final.
      this.#out += this.#parts.join('');
      this.#parts.length = 0;
    }
  }

  /** Read the key at `at` of `object` and its colon; returns where its value begins, or `NOT_JSON`. */
  #readKey(at: number, object: Container): number {
    const line = this.#line;
    if (line.charCodeAt(at) !== token.QUOTE) return NOT_JSON;
    const end = this.#readString(at, object);
    if (end === NOT_JSON) return NOT_JSON;
    const colon = token.skipSpace(line, end);
    return line.charCodeAt(colon) === token.COLON ? token.skipSpace(line, colon + 1) : NOT_JSON;
  }

  /** Check and rewrite the string at `from` (a key of `object`, or a value); returns its end or `NOT_JSON`. */
  #readString(from: number, object: Container | null): number {
    const reader = this.#reader;
    const to = reader.end(from);
    if (to === NOT_JSON || reader.hasControl(from, to)) return NOT_JSON;
    const escaped = reader.hasEscape(from, to);
    if (this.#keptDepth !== 0 && !escaped) return to;
    const text = reader.decode(from, to, escaped);
    if (text === undefined) return NOT_JSON;
    if (this.#keptDepth !== 0) return to;
    if (object !== null) {
      this.#names.addKey(text);
      if (object.mask !== 0) object.member = this.#keep.matchKey(object.mask, this.#depth, this.#line, from, to, escaped ? text : undefined);
    }
    // Only an escape (`\ud835`) can put a lone surrogate in a string of a decoded line; such a
    // string is written back well-formed (SPEC §1), as U+FFFD, like everything else.
    const illFormed = escaped && !text.isWellFormed();
    // Each digit is at least one unit: a shorter string holds no sensitive combination.
    if (text.length < this.#minDigits && !illFormed) return to;
    // One regex pass settles most strings of a log line (keys, words, ids): the scan took a
    // well-formed check, the finder and the counts read back. `--json` on 256 MiB of JSON log
    // lines: 3.72 → 3.13 s CPU on Node 20, 2.78 → 2.60 s on Node 26 (bench/micro/cli-builds.js,
    // medians of 3 interleaved rounds, machine loaded by other work).
    if (!illFormed && !this.#unchanged.test(text)) return to;
    const strings = this.#strings;
    const before = strings.counts.redactions;
    const redacted: string = strings.redactWhole(text);
    if (strings.counts.redactions === before && !illFormed) return to;
    const plain = !escaped && this.#plainReplacement;
    if (object === null) this.#replace(from, to, plain ? `"${redacted}"` : JSON.stringify(redacted));
    else this.#replaceKey(from, to, redacted, plain);
    return to;
  }

  /** Check the number at `from`; one written with a sensitive combination becomes `null`. */
  #readNumber(from: number): number {
    const to = token.numberEnd(this.#line, from);
    if (to === NOT_JSON || this.#keptDepth !== 0 || to - from < this.#minDigits) return to;
    const strings = this.#strings;
    const before = strings.counts.redactions;
    strings.redactWhole(this.#line.slice(from, to));
    if (strings.counts.redactions > before) this.#replace(from, to, NULL);
    return to;
  }

  #replace(from: number, to: number, text: string): void {
    const copy = this.#line.slice(this.#copied, from);
    if (this.#parts.length === 0) this.#out += copy + text;
    else this.#parts.push(copy, text);
    this.#copied = to;
  }

  /** A redacted key: its slot in the output is filled when its object closes (`KeyNames`). */
  #replaceKey(from: number, to: number, redacted: string, plain: boolean): void {
    const parts = this.#parts;
    parts.push(this.#line.slice(this.#copied, from), '');
    this.#names.addPending(redacted, parts.length - 1, plain);
    this.#copied = to;
  }
}
