/**
 * The judge of JSON mode, written apart from the engine: it reads input and output lines with a
 * plain recursive-descent reader that keeps key order and each number's text as written, and
 * decides with the reference redactor (`reference.ts`) what every key, string and number of the
 * output must be.
 */
import { referenceRedact, type ReferencePolicy } from './reference.js';

/** A JSON value as written: objects keep their key order, numbers their source text. */
export type Written =
  | { type: 'object'; entries: [string, Written, string][] } // key, value, the value's source text
  | { type: 'array'; items: [Written, string][] }
  | { type: 'string'; value: string }
  | { type: 'number'; text: string }
  | { type: 'literal'; value: boolean | null };

/** Read one JSON text; throws a SyntaxError (from `JSON.parse`) when it is not one. */
export function readWritten(text: string): Written {
  JSON.parse(text); // the grammar's judge
  let at = 0;
  const space = (): void => {
    while (/[ \t\r\n]/.test(text[at] ?? '')) at++;
  };
  const stringToken = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (): Written => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const entries: [string, Written, string][] = [];
      space();
      while (text[at] !== '}') {
        space();
        const key = stringToken();
        space();
        at++; // :
        space();
        const from = at;
        const item = value();
        entries.push([key, item, text.slice(from, at)]);
        space();
        if (text[at] === ',') at++;
      }
      at++;
      return { type: 'object', entries };
    }
    if (c === '[') {
      at++;
      const items: [Written, string][] = [];
      space();
      while (text[at] !== ']') {
        space();
        const from = at;
        const item = value();
        items.push([item, text.slice(from, at)]);
        space();
        if (text[at] === ',') at++;
      }
      at++;
      return { type: 'array', items };
    }
    if (c === '"') return { type: 'string', value: stringToken() };
    const literal = /^(true|false|null)/.exec(text.slice(at));
    if (literal !== null) {
      at += literal[0].length;
      return { type: 'literal', value: JSON.parse(literal[0]) as boolean | null };
    }
    const number = /^-?[0-9][0-9.eE+-]*/.exec(text.slice(at))![0];
    at += number.length;
    return { type: 'number', text: number };
  };
  return value();
}

/** `true` when a keep-field path (dot segments, `*` any one) names the value at `path`. */
function isNamed(path: readonly string[], keepFields: readonly string[]): boolean {
  return keepFields.some((field) => {
    const segments = field.split('.');
    return segments.length === path.length && segments.every((s, k) => s === '*' || s === path[k]);
  });
}

/**
 * Throw unless `output` is what JSON mode must make of the JSON text `input`: valid JSON of the
 * same shape and key order; kept fields as written; every other key and string as the reference
 * redacts it (a key perhaps with `~` and letters appended, all keys of an object distinct where the input's
 * were); every number written with a sensitive combination (by the reference) `null`.
 */
export function judgeJsonLine(input: string, output: string, policy: ReferencePolicy, keepFields: readonly string[]): void {
  const fail = (path: readonly string[], problem: string): never => {
    throw new Error(`at ${JSON.stringify(path)}: ${problem}\n  in:  ${input}\n  out: ${output}`);
  };
  const judge = (a: Written, b: Written, path: string[], aText: string, bText: string): void => {
    if (path.length > 0 && isNamed(path, keepFields)) {
      if (aText !== bText) fail(path, `a kept field changed: ${aText} → ${bText}`);
      return;
    }
    if (a.type === 'number') {
      const deleted = referenceRedact(a.text, policy).spans.length > 0;
      const expected = deleted ? 'null' : a.text;
      if ((b.type === 'number' ? b.text : b.type === 'literal' && b.value === null ? 'null' : '?') !== expected) {
        fail(path, `number ${a.text} should be ${expected}`);
      }
      return;
    }
    if (a.type !== b.type) fail(path, `a ${a.type} became a ${b.type}`);
    if (a.type === 'string' && b.type === 'string') {
      const expected = referenceRedact(a.value, policy).text;
      if (b.value !== expected) fail(path, `string ${JSON.stringify(b.value)} should be ${JSON.stringify(expected)}`);
    } else if (a.type === 'literal' && b.type === 'literal') {
      if (a.value !== b.value) fail(path, 'a literal changed');
    } else if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) fail(path, `${a.items.length} items became ${b.items.length}`);
      a.items.forEach(([item, text], k) => judge(item, b.items[k]![0], [...path, String(k)], text, b.items[k]![1]));
    } else if (a.type === 'object' && b.type === 'object') {
      if (a.entries.length !== b.entries.length) fail(path, `${a.entries.length} keys became ${b.entries.length}`);
      const outKeys = b.entries.map(([outKey]) => outKey);
      a.entries.forEach(([key, item, text], k) => {
        const [outKey, outItem, outText] = b.entries[k]!;
        const redacted = referenceRedact(key, policy).text;
        const expected = redacted === key ? key : new RegExp(`^${escapeRegExp(redacted)}(?:~[a-z]*)?$`);
        if (typeof expected === 'string' ? outKey !== expected : !expected.test(outKey)) {
          fail(path, `key ${JSON.stringify(outKey)} should be ${JSON.stringify(redacted)}`);
        }
        if (redacted !== key && outKeys.filter((other) => other === outKey).length > 1) {
          fail(path, `the redacted key ${JSON.stringify(outKey)} appears twice`);
        }
        judge(item, outItem, [...path, key], text, outText);
      });
    }
  };
  judge(readWritten(input), readWritten(output), [], input, output);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
