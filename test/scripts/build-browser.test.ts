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
/** The engine chunk, minified: zod is most of it (the engine itself is about 9 KB). */
const MAX_CHUNK_BYTES = 250_000;
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
    const chunks = readdirSync(`${BROWSER_OUT_DIR}chunks`).filter((name) => name.endsWith('.js'));
    expect(chunks).toHaveLength(1);
    const [chunk] = chunks;
    expect(read('widget.js')).toContain(`./chunks/${chunk}`);
    expect(read('redact.js')).toContain(`./chunks/${chunk}`);
    expect(Buffer.byteLength(read(`chunks/${chunk}`))).toBeLessThan(MAX_CHUNK_BYTES);
    expect(Buffer.byteLength(read('widget.js'))).toBeLessThan(MAX_WIDGET_BYTES);
  });

  it('embed.js is a classic script (it must read document.currentScript) and carries no engine', () => {
    const embed = read('embed.js');
    expect(embed).not.toMatch(/^\s*(import|export)\b|\bimport\s*\(|\bexport\s*\{/m);
    expect(embed).toContain('currentScript');
    expect(embed).not.toContain('./chunks/');
  });
});
