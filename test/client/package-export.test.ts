/**
 * `chat-redact/client` as the package exports it: types first (tsc's, in dist/client), the
 * bundle in dist/lib, and nothing in it or below it that only Node has — it runs in browsers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
const ENTRY = join(ROOT, 'dist/lib/client.js');
const PUBLIC_API = [
  'ChatClient',
  'DEFAULT_SESSION_KEY',
  'WIDGET_POLICY_PATH',
  'createLocalRedactor',
  'createMemoryStore',
  'createMessageId',
  'createWebStorageStore',
  'fetchWidgetPolicy',
  'parseServerFrame',
  'readWidgetPolicy',
];

/** Every module the built entry loads, following relative imports; and the bare ones it names. */
function importsOf(entry: string): { files: string[]; bare: Set<string> } {
  const files: string[] = [];
  const bare = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(/(?:^|;)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/gm)) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else bare.add(specifier);
    }
  }
  return { files, bare };
}

describe('chat-redact/client', () => {
  it('is exported with its types first, from dist/client, and its bundle from dist/lib', () => {
    const entry = PACKAGE.exports['./client'];
    expect(entry).toEqual({ types: './dist/client/index.d.ts', default: './dist/lib/client.js' });
    expect(Object.keys(entry!)[0]).toBe('types');
  });

  it.runIf(existsSync(ENTRY))('exports the library, and loads nothing only Node has', async () => {
    const api = (await import(pathToFileURL(ENTRY).href)) as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(PUBLIC_API);
    expect(existsSync(join(ROOT, 'dist/client/index.d.ts'))).toBe(true);
    const { files, bare } = importsOf(ENTRY);
    expect([...bare]).toEqual([]);
    // The engine comes along, as one of the bundle's chunks: its scanner (the client's one-shot
    // redact() needs no StreamRedactor, so the bundler leaves that out).
    expect(files.some((file) => /CombinationScanner = class|class CombinationScanner/.test(readFileSync(file, 'utf8')))).toBe(true);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from\s*['"]node:|require\(/);
  });
});
