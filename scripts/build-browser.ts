/**
 * `npm run build`'s second step: the browser bundles, written by esbuild to `dist/browser/`,
 * from the same TypeScript as everything else — no second implementation of anything.
 *
 * - `widget.js` (ES module): the chat page's script (`src/widget/`), with the client library and
 *   the engine's one-shot `redact()`;
 * - `redact.js` (ES module): the engine alone, for a web team's own UI
 *   (`import { redact, createPolicy } from 'https://<gateway>/redact.js'`);
 * - `embed.js` (classic script): the launcher a customer's page adds with one `<script defer>`.
 *   Classic, because only a classic script can learn its own address (`document.currentScript`),
 *   which is where the chat frame lives.
 *
 * The two modules share the engine as one chunk (`chunks/`), so a page that loads both loads it once.
 *
 * Run it alone with `npx tsx scripts/build-browser.ts`; tests import {@link buildBrowserBundles}.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the gateway serves the bundles from (`src/http/static-widget.ts`'s `BROWSER_DIR`). */
export const BROWSER_OUT_DIR = `${ROOT}dist/browser/`;

/**
 * Browsers the bundles are written for: those that keep the page's CSP (`'self'` matching `wss:`,
 * Trusted Types are enforced where known and ignored elsewhere) and have the string methods the
 * engine's policy check uses (`isWellFormed`: Chrome 111, Firefox 119, Safari 16.4).
 */
const TARGETS = ['chrome111', 'firefox119', 'safari16.4', 'edge111'];

/**
 * zod's namespace export carries every locale's error messages (264 KB of the 463 KB bundle,
 * measured with esbuild's metafile); the widget never shows a validation message, and zod itself
 * uses English. Its locale index is replaced by one that names English alone.
 */
const englishOnlyZod: Plugin = {
  name: 'zod-english-only',
  setup(builder) {
    builder.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

const COMMON: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  target: TARGETS,
  platform: 'browser',
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [englishOnlyZod],
};

/** Build every bundle into {@link BROWSER_OUT_DIR}, replacing what was there. */
export async function buildBrowserBundles(): Promise<void> {
  rmSync(BROWSER_OUT_DIR, { recursive: true, force: true });
  await Promise.all([
    build({
      ...COMMON,
      entryPoints: { widget: 'src/widget/chat-page.ts', redact: 'src/widget/redact-engine.ts' },
      format: 'esm',
      splitting: true,
      outdir: BROWSER_OUT_DIR,
      chunkNames: 'chunks/[name]-[hash]',
    }),
    build({
      ...COMMON,
      entryPoints: { embed: 'src/embed/embed-launcher.ts' },
      format: 'iife',
      outdir: BROWSER_OUT_DIR,
    }),
  ]);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBrowserBundles();
}
