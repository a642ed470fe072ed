/**
 * Fields of a JSON log line that are written as they came (`--keep-field`): dot paths from the
 * top of the line, `*` standing for any one key or array index.
 *
 * @module
 */

/**
 * The fields kept by default in JSON mode: the time stamps of pino, Bunyan, Logstash/ECS,
 * Elasticsearch and most structured loggers.
 *
 * @example
 * ```ts
 * DEFAULT_KEEP_FIELDS; // ['time', 'timestamp', '@timestamp', 'ts']
 * ```
 */
export const DEFAULT_KEEP_FIELDS: readonly string[] = Object.freeze(['time', 'timestamp', '@timestamp', 'ts']);

/** The segment that stands for any one key or index. */
const WILDCARD = '*';
const PATH_SEPARATOR = '.';
/** Each path is one bit of a mask; a log line has a handful of fields to keep. */
export const MAX_KEEP_FIELDS = 31;
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * The one-line problem with a keep-field path, or `undefined` when it is good.
 *
 * @example
 * ```ts
 * checkKeepField('req.headers.x-request-id'); // undefined
 * checkKeepField('req..id'); // '"req..id" is not a dot path such as "req.headers.x-request-id" (an empty part)'
 * ```
 */
export function checkKeepField(path: string): string | undefined {
  if (path.split(PATH_SEPARATOR).some((segment) => segment === '')) {
    return `${JSON.stringify(path)} is not a dot path such as "req.headers.x-request-id" (an empty part)`;
  }
  return undefined;
}

/**
 * The fields a command line or a query names: the defaults and each name given; an empty name
 * drops the defaults. Problems come one line each, naming the path.
 *
 * @example
 * ```ts
 * chooseKeepFields(['req.id']);     // { fields: ['time', 'timestamp', '@timestamp', 'ts', 'req.id'], problems: [] }
 * chooseKeepFields(['', 'time']);   // { fields: ['time'], problems: [] }
 * chooseKeepFields(['a..b']).problems; // ['"a..b" is not a dot path such as … (an empty part)']
 * ```
 */
export function chooseKeepFields(named: readonly string[]): { fields: string[]; problems: string[] } {
  const defaults = named.includes('') ? [] : DEFAULT_KEEP_FIELDS;
  const fields = [...new Set([...defaults, ...named.filter((name) => name !== '')])];
  const problems = fields.map(checkKeepField).filter((problem): problem is string => problem !== undefined);
  if (fields.length > MAX_KEEP_FIELDS) problems.push(`can name at most ${MAX_KEEP_FIELDS} fields`);
  return { fields, problems };
}

/**
 * Which values of a JSON line are kept, by their path of keys and indices from the top. The
 * paths still possible at a depth are a bit mask, so following them while a line is read
 * allocates nothing and compares keys where they stand in the line.
 *
 * @example
 * ```ts
 * const fields = new KeepFields(['time', 'req.headers.*']);
 * const req = fields.matchKey(fields.all, 1, '"req"', 0, 5);
 * const headers = fields.matchKey(req, 2, '"headers"', 0, 9);
 * fields.isKept(fields.matchKey(headers, 3, '"x-request-id"', 0, 14), 3); // true
 * ```
 */
export class KeepFields {
  /** Depth of the deepest path: below it no value can be kept. */
  readonly maxDepth: number;
  /** The mask of every path: what is possible at the top of a line. */
  readonly all: number;
  readonly #segments: readonly (readonly string[])[];
  /** Per path and depth: the array index a segment names, or -1 (a key or `*`). */
  readonly #indices: readonly (readonly number[])[];
  /** Per depth: the paths that end there. */
  readonly #endingAt: readonly number[];

  /**
   * @param paths - dot paths, each checked by {@link checkKeepField}
   * @throws `TypeError` naming the first bad path, or for more than {@link MAX_KEEP_FIELDS}
   */
  constructor(paths: readonly string[]) {
    if (paths.length > MAX_KEEP_FIELDS) throw new TypeError(`at most ${MAX_KEEP_FIELDS} fields can be kept`);
    for (const path of paths) {
      const problem = checkKeepField(path);
      if (problem !== undefined) throw new TypeError(problem);
    }
    this.#segments = paths.map((path) => path.split(PATH_SEPARATOR));
    this.#indices = this.#segments.map((segments) => segments.map((s) => (ARRAY_INDEX.test(s) ? Number(s) : -1)));
    this.maxDepth = Math.max(0, ...this.#segments.map((segments) => segments.length));
    this.all = paths.length === 0 ? 0 : 2 ** paths.length - 1;
    const endingAt = new Array<number>(this.maxDepth + 1).fill(0);
    this.#segments.forEach((segments, p) => (endingAt[segments.length]! |= 1 << p));
    this.#endingAt = endingAt;
  }

  /**
   * The paths of `mask` (those possible for an object) that go on through its key, written as
   * the JSON string `line[from, to)`, to a value at `depth`.
   */
  matchKey(mask: number, depth: number, line: string, from: number, to: number, decoded?: string): number {
    let next = 0;
    for (let p = 0, bit = 1; bit <= mask; p++, bit <<= 1) {
      if ((mask & bit) === 0) continue;
      const segment = this.#segments[p]![depth - 1];
      if (segment === undefined) continue;
      const same =
        segment === WILDCARD ||
        (decoded === undefined ? to - from - 2 === segment.length && line.startsWith(segment, from + 1) : decoded === segment);
      if (same) next |= bit;
    }
    return next;
  }

  /** The paths of `mask` (those possible for an array) that go on through element `index` to `depth`. */
  matchIndex(mask: number, depth: number, index: number): number {
    let next = 0;
    for (let p = 0, bit = 1; bit <= mask; p++, bit <<= 1) {
      if ((mask & bit) === 0) continue;
      const segment = this.#segments[p]![depth - 1];
      if (segment === WILDCARD || (segment !== undefined && this.#indices[p]![depth - 1] === index)) next |= bit;
    }
    return next;
  }

  /** `true` when a path of `mask` ends at `depth`: the value there is kept. */
  isKept(mask: number, depth: number): boolean {
    return (mask & (this.#endingAt[depth] ?? 0)) !== 0;
  }
}
