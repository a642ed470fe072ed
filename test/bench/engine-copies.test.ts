/**
 * Copies of the engine for works raced in one process (`bench/lib/engine-copies.js`): each copy
 * has functions and classes of its own, down to the scanner's, where a module loaded again under
 * a query (`?copy=…`) still shares the modules it imports. Needs `dist/` (npm test builds it).
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- the benchmarks are plain JavaScript, typed by JSDoc
import { EngineCopies } from '../../bench/lib/engine-copies.js';

const DIST_ENTRY = new URL('../../dist/library/redact.js', import.meta.url);
const DIST_SCANNER = new URL('../../dist/redact/scanner.js', import.meta.url);

describe.runIf(existsSync(DIST_ENTRY))('engine copies', () => {
  const copies = new EngineCopies();
  afterAll(() => copies.remove());

  it('gives each copy its own StreamRedactor and its own scanner class, and both redact alike', async () => {
    const one = await copies.load('one');
    const two = await copies.load('two');
    const original = await import(DIST_ENTRY.href);
    expect(one.StreamRedactor).not.toBe(two.StreamRedactor);
    expect(one.StreamRedactor).not.toBe(original.StreamRedactor);
    const scannerOf = async (name: string) => (await import(pathToFileURL(copies.copy(name, 'redact/scanner.js')).href)).CombinationScanner;
    const originalScanner = (await import(DIST_SCANNER.href)).CombinationScanner;
    expect(await scannerOf('one')).not.toBe(await scannerOf('two'));
    expect(await scannerOf('one')).not.toBe(originalScanner);
    const text = 'ring 12345678 i morgen, konto 1234.56.78903';
    expect(one.redact(text).text).toBe(original.redact(text).text);
    const redactor = new two.StreamRedactor();
    expect(redactor.push(text.slice(0, 9)) + redactor.push(text.slice(9)) + redactor.end()).toBe(original.redact(text).text);
  });

  it('a copy made by a query on the entry alone shares the modules it imports', async () => {
    const original = await import(DIST_ENTRY.href);
    const queried = await import(`${DIST_ENTRY.href}?copy=stream`);
    expect(queried).not.toBe(original);
    expect(queried.StreamRedactor).toBe(original.StreamRedactor);
  });
});
