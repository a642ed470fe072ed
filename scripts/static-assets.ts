/**
 * The build's last step over `dist/browser/`, after esbuild: the page's style and icon copied
 * under content-hashed names, the page written to name them and the widget's hashed module, the
 * stable module names pointed at the hashed modules, and every file compressed with brotli and
 * gzip beside itself — once, at build time, at the highest settings, so the gateway only picks
 * the right bytes per request.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import {
  ASSETS_DIR,
  CONTENT_TYPES,
  EMBED_FILE,
  MODULE_POINTERS,
  PAGE_FILE,
  PRECOMPRESSED,
} from '../src/http/browser-files.js';

export { ASSETS_DIR };

/** RFC 4648 base32, as esbuild writes its hashes: capitals and digits only. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Eight base32 characters: the first 40 bits of the SHA-256, as long as esbuild's hashes. */
const HASH_BYTES = 5;
const HASH_LENGTH = 8;
const BITS_PER_CHARACTER = 5;
const GZIP_BEST = 9;

/** `widget.css` → `widget-<8 characters of the content's SHA-256>.css`. */
export function hashedName(name: string, content: Uint8Array): string {
  const bits = createHash('sha256').update(content).digest().readUIntBE(0, HASH_BYTES);
  let hash = '';
  for (let index = HASH_LENGTH - 1; index >= 0; index--) hash += BASE32[Math.floor(bits / 2 ** (index * BITS_PER_CHARACTER)) % BASE32.length];
  const extension = extname(name);
  return `${name.slice(0, name.length - extension.length)}-${hash}${extension}`;
}

/**
 * The page with each `src`/`href` of this origin replaced by the hashed file's address. A name
 * the build did not write stops the build: a page must never name an unhashed file.
 */
function writePage(outDir: string, publicDir: string, hashed: ReadonlyMap<string, string>): void {
  const page = readFileSync(join(publicDir, PAGE_FILE), 'utf8').replace(/\b(src|href)="\/([^"]*)"/g, (_whole, attribute: string, name: string) => {
    const file = hashed.get(name);
    if (file === undefined) throw new Error(`public/${PAGE_FILE} names /${name}, which the build does not write`);
    return `${attribute}="/${file}"`;
  });
  writeFileSync(join(outDir, PAGE_FILE), page);
}

/** Every file under `dir`, as paths relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length));
}

/** `<file>.br` and `<file>.gz` beside each file that gets smaller by them. */
function precompress(outDir: string): void {
  for (const file of listFiles(outDir)) {
    if (CONTENT_TYPES[extname(file)] === undefined) continue;
    const content = readFileSync(join(outDir, file));
    const variants = {
      br: brotliCompressSync(content, {
        params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
      }),
      gzip: gzipSync(content, { level: GZIP_BEST }),
    };
    for (const { encoding, suffix } of PRECOMPRESSED) {
      if (variants[encoding].length < content.length) writeFileSync(join(outDir, `${file}${suffix}`), variants[encoding]);
    }
  }
}

/**
 * Finish `outDir` after esbuild: `modules` names the hashed file written for each stable module
 * name (`{ widget: 'assets/widget-<hash>.js', … }`).
 */
export function writeStaticAssets(outDir: string, publicDir: string, modules: Readonly<Record<string, string>>): void {
  const hashed = new Map<string, string>();
  for (const name of readdirSync(publicDir)) {
    if (name === PAGE_FILE) continue;
    const content = readFileSync(join(publicDir, name));
    const file = `${ASSETS_DIR}${hashedName(name, content)}`;
    writeFileSync(join(outDir, file), content);
    hashed.set(name, file);
  }
  for (const pointer of MODULE_POINTERS) {
    const target = modules[pointer.replace(/\.js$/, '')];
    if (target === undefined) throw new Error(`no hashed module for ${pointer}`);
    hashed.set(pointer, target);
    // `export *` carries every export and the import itself: a stable name for either kind of use.
    writeFileSync(join(outDir, pointer), `export * from './${target}';\n`);
  }
  hashed.set(EMBED_FILE, EMBED_FILE);
  writePage(outDir, publicDir, hashed);
  precompress(outDir);
}
