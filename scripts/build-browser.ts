/**
 * `npm run build`'s second step: the browser bundles, written by esbuild to `dist/browser/`,
 * from the same TypeScript as everything else — no second implementation of anything — and the
 * files the gateway serves beside them (`static-assets.ts`: hashed names, the page, compression).
 *
 * - `assets/widget-<hash>.js` (ES module): the chat page's script (`src/widget/`), with the client
 *   library and the engine's one-shot `redact()`; the page names it, `/widget.js` points to it;
 * - `assets/redact-<hash>.js` (ES module): the engine alone, for a web team's own UI
 *   (`import { redact, createPolicy } from 'https://<gateway>/redact.js'`, which points to it);
 * - `embed.js` (classic script): the launcher a customer's page adds with one `<script defer>`.
 *   Classic, because only a classic script can learn its own address (`document.currentScript`),
 *   which is where the chat frame lives; and under that one name, which customers' pages write.
 *
 * The two modules share the engine as one chunk (`assets/chunk-<hash>.js`), so a page that loads
 * both loads it once. No source maps: the package ships no `src/` for them to point to.
 *
 * Run it alone with `npx tsx scripts/build-browser.ts`; tests import {@link buildBrowserBundles}.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { ASSETS_DIR, writeStaticAssets } from './static-assets.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the gateway serves the bundles from (`src/http/static-widget.ts`'s `BROWSER_DIR`). */
export const BROWSER_OUT_DIR = `${ROOT}dist/browser/`;

/**
 * Browsers the bundles are written for: those that keep the page's CSP (`'self'` matching `wss:`,
 * Trusted Types are enforced where known and ignored elsewhere) and have the string methods the
 * engine's policy check uses (`isWellFormed`: Chrome 111, Firefox 119, Safari 16.4).
 */
const TARGETS = ['chrome111', 'firefox119', 'safari16.4', 'edge111'];

/** The ES module entries, by the stable name that points to each. */
const MODULE_ENTRIES = { widget: 'src/widget/chat-page.ts', redact: 'src/widget/redact-engine.ts' } as const;

const COMMON: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  minify: true,
  sourcemap: false,
  target: TARGETS,
  platform: 'browser',
  legalComments: 'eof',
  logLevel: 'warning',
};

/** The hashed file esbuild wrote for each module entry, as a path under {@link BROWSER_OUT_DIR}. */
function entryOutputs(metafile: Metafile): Record<keyof typeof MODULE_ENTRIES, string> {
  const found: Partial<Record<keyof typeof MODULE_ENTRIES, string>> = {};
  for (const [output, { entryPoint }] of Object.entries(metafile.outputs)) {
    for (const [name, source] of Object.entries(MODULE_ENTRIES)) {
      if (entryPoint === source) found[name as keyof typeof MODULE_ENTRIES] = output.slice('dist/browser/'.length);
    }
  }
  if (found.widget === undefined || found.redact === undefined) throw new Error('esbuild wrote no output for an entry');
  return found as Record<keyof typeof MODULE_ENTRIES, string>;
}

/** Build every bundle and asset into {@link BROWSER_OUT_DIR}, replacing what was there. */
export async function buildBrowserBundles(): Promise<void> {
  rmSync(BROWSER_OUT_DIR, { recursive: true, force: true });
  const [modules] = await Promise.all([
    build({
      ...COMMON,
      entryPoints: MODULE_ENTRIES,
      format: 'esm',
      splitting: true,
      outdir: BROWSER_OUT_DIR,
      entryNames: `${ASSETS_DIR}[name]-[hash]`,
      chunkNames: `${ASSETS_DIR}[name]-[hash]`,
      metafile: true,
    }),
    build({
      ...COMMON,
      entryPoints: { embed: 'src/embed/embed-launcher.ts' },
      format: 'iife',
      outdir: BROWSER_OUT_DIR,
    }),
  ]);
  writeStaticAssets(BROWSER_OUT_DIR, `${ROOT}public/`, entryOutputs(modules.metafile));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBrowserBundles();
}
