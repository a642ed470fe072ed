/**
 * Where the widget's files are and what they are called: one home for the names that the build
 * (`scripts/build-browser.ts`, which writes them) and the gateway (`static-widget.ts`, which
 * serves them) must agree on. No express here, so the build can import it.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';

/**
 * The `public/` folder of the package: the page, its style and icon as written, which the build
 * copies into {@link BROWSER_DIR} under hashed names. This module sits at `src/http/` under the
 * tests and at `dist/http/` when built or installed; both are two levels below the package root.
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
/** What `npm run build` writes and the gateway serves (`scripts/build-browser.ts`); shipped inside `dist/`. */
export const BROWSER_DIR = fileURLToPath(new URL('../../dist/browser/', import.meta.url));

/** The folder of {@link BROWSER_DIR} whose files carry a hash of their content in their names. */
export const ASSETS_DIR = 'assets/';
/** The chat page, written by the build with the hashed names of what it loads. */
export const PAGE_FILE = 'index.html';
/**
 * The ES modules under a stable name — each a one-line module that imports the hashed one, so a
 * page that names the stable one revalidates a few bytes and caches the rest for good.
 */
export const MODULE_POINTERS = ['widget.js', 'redact.js'] as const;
/** The launcher script, under the one name customers' pages write. */
export const EMBED_FILE = 'embed.js';

/** Encodings written beside each file at build time (`<file>.br`, `<file>.gz`), the better first. */
export const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/** Content types by extension; a file of another extension is not served. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
