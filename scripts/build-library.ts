/**
 * `npm run build`'s library step: the package's entry points (`chat-redact`, `/redact`,
 * `/express`, `/pino`, `/client`) bundled by esbuild into `dist/lib/`, sharing their common code
 * as chunks so that a class is one class whichever entry point it came through.
 *
 * Why bundles and not tsc's files: an ES module costs Node a resolution, a read and a compile of
 * its own. The engine entry is 27 modules as tsc writes them and 6 files bundled; importing it
 * took 65.6 ms against 47.0 ms (medians of 8 fresh processes each, interleaved, at real-time
 * priority on the shared 2-core machine, Node 20; 32.6 ms of either is the engine's Unicode
 * tables, built at import). The types stay tsc's (`dist/**.d.ts`);
 * the command line and the gateway run tsc's files, which a library user never loads.
 *
 * Run it alone with `npx tsx scripts/build-library.ts` (after `tsc -p tsconfig.build.json`).
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the bundles go; `package.json` `exports` names them. */
export const LIBRARY_OUT_DIR = `${ROOT}dist/lib/`;

/** Each entry point's bundle name and its source. */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  redact: 'src/library/redact.ts',
  'redact-browser': 'src/library/redact-browser.ts',
  express: 'src/integrations/express.ts',
  pino: 'src/integrations/pino.ts',
  client: 'src/client/index.ts',
} as const;

/** Bundle every entry point into {@link LIBRARY_OUT_DIR}, replacing what was there. */
export async function buildLibrary(): Promise<void> {
  rmSync(LIBRARY_OUT_DIR, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: LIBRARY_ENTRIES,
    outdir: LIBRARY_OUT_DIR,
    // Chunks beside the entries: modules that find files relative to their own address
    // (`import.meta.url`: the WebAssembly byte finder) sit two folders below the package, as in tsc's output.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    target: 'node20.19',
    // Dependencies (pino) are the user's installed packages, loaded as such, never copied in.
    packages: 'external',
    external: ['node:*'],
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildLibrary();
}
