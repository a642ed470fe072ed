/**
 * The browser bundles as `npm run build` leaves them in dist/browser/: the engine in them is the
 * engine (judged by the reference, on the built file itself), shared by the widget and the
 * engine module as one chunk, and the embed script is a classic script. `npm test` builds first;
 * a bare `vitest run` before any build skips these.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BROWSER_OUT_DIR } from '../../scripts/build-browser.js';
import { BROWSER_DIR } from '../../src/http/static-widget.js';
import { chatText } from '../support/arbitraries.js';
import { referenceRedact } from '../support/reference.js';

const BUNDLES = ['widget.js', 'redact.js', 'embed.js'];
const built = BUNDLES.every((name) => existsSync(`${BROWSER_OUT_DIR}${name}`));
/**
 * The engine chunk, minified: the engine and the client's frame checks, no validation library
 * (17 KB at the time of writing; 27.4 KB with the generated Unicode ranges, `unicode-data.ts`,
 * which browsers add to their own: 2.4 KB, 0.7 KB gzipped). A validation library would add tens.
 */
const MAX_CHUNK_BYTES = 30_000;
const MAX_WIDGET_BYTES = 40_000;

interface BrowserEngine {
  redact(text: string, policy?: unknown): { text: string; redactions: number; kinds: Record<string, number> };
  readWidgetPolicy(value: unknown): unknown;
}

const read = (name: string): string => readFileSync(`${BROWSER_OUT_DIR}${name}`, 'utf8');

describe.runIf(built)('the browser bundles', () => {
  it('are written where the gateway serves them from', () => {
    expect(BROWSER_OUT_DIR).toBe(BROWSER_DIR);
  });

  it('redact.js is the engine: it agrees with the reference on every generated text (property)', async () => {
    const engine = (await import(pathToFileURL(`${BROWSER_OUT_DIR}redact.js`).href)) as BrowserEngine;
    fc.assert(
      fc.property(chatText, (text) => {
        const result = engine.redact(text);
        const reference = referenceRedact(text);
        expect(result.text).toBe(reference.text);
        expect(result.redactions).toBe(reference.spans.length);
      }),
      { interruptAfterTimeLimit: 4_000, numRuns: 1_000 },
    );
    const policy = engine.readWidgetPolicy({ minDigits: 8, replacement: '[x]' });
    expect(engine.redact('tlf 98 76 54 3, fnr 010190 12480', policy).text).toBe('tlf 98 76 54 3, fnr [x]');
  });

  it('the widget and the engine module load the engine from one shared chunk', () => {
    const assets = readdirSync(`${BROWSER_OUT_DIR}assets`);
    const chunks = assets.filter((name) => /^chunk-.*\.js$/.test(name));
    expect(chunks).toHaveLength(1);
    const [chunk] = chunks;
    const hashed = (name: string): string => `assets/${assets.find((file) => new RegExp(`^${name}-[A-Z0-9]{8}\\.js$`).test(file))}`;
    expect(read('widget.js')).toBe(`export * from './${hashed('widget')}';\n`);
    expect(read('redact.js')).toBe(`export * from './${hashed('redact')}';\n`);
    expect(read(hashed('widget'))).toContain(`./${chunk}`);
    expect(read(hashed('redact'))).toContain(`./${chunk}`);
    expect(Buffer.byteLength(read(`assets/${chunk}`))).toBeLessThan(MAX_CHUNK_BYTES);
    expect(Buffer.byteLength(read(hashed('widget')))).toBeLessThan(MAX_WIDGET_BYTES);
  });

  it('no source maps, and no validation library, in any bundle', () => {
    const files = readdirSync(BROWSER_OUT_DIR, { recursive: true }) as string[];
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((name) => name.endsWith('.js'))) {
      expect(read(file), file).not.toMatch(/sourceMappingURL|\$ZodType|zod/);
    }
  });

  it('embed.js is a classic script (it must read document.currentScript) and carries no engine', () => {
    const embed = read('embed.js');
    expect(embed).not.toMatch(/^\s*(import|export)\b|\bimport\s*\(|\bexport\s*\{/m);
    expect(embed).toContain('currentScript');
    expect(embed).not.toMatch(/chunk-/);
  });
});
