/**
 * Copies of the built engine's module graph (`dist/library/` and `dist/redact/`, which is all
 * `dist/library/redact.js` imports besides `node:` built-ins), one a contender, so that two works
 * raced in one process run on functions and classes of their own: neither runs on type feedback
 * (inline caches, maps of the scanner's classes) gathered by the other, as each would in a
 * process of its own.
 *
 * Why files on disk: `import(url + '?copy=stream')` makes a second instance of that one module
 * only; its relative imports resolve against the URL without the query, to the same
 * `redact/scanner.js` and the rest, so the copies would share the scanner's classes
 * (`test/bench/engine-copies.test.ts` shows both). A copy keeps the layout `<copy>/dist/…`, for
 * `redact/byte-finder.js` finds its WebAssembly at `../../dist/redact/byte-finder.wasm`.
 *
 * @module
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folders of `dist/` that the engine's entry imports. */
const ENGINE_FOLDERS = ['library', 'redact'];
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Copies of the engine in a temporary folder of their own; `remove()` when done. */
export class EngineCopies {
  /** @type {string} */
  dir = mkdtempSync(path.join(os.tmpdir(), 'chat-redact-engine-'));

  /**
   * The engine entry (`chat-redact/redact`) of a copy of its own, made on first use of `name`.
   * @param {string} name
   * @returns {Promise<typeof import('../../dist/library/redact.js')>}
   */
  async load(name) {
    return import(pathToFileURL(this.copy(name, 'library/redact.js')).href);
  }

  /**
   * The path of `relative` (under `dist/`) in the copy `name`, the copy made if it is not yet.
   * @param {string} name a folder name
   * @param {string} relative
   */
  copy(name, relative) {
    const root = path.join(this.dir, name, 'dist');
    for (const folder of ENGINE_FOLDERS) cpSync(path.join(DIST, folder), path.join(root, folder), { recursive: true, force: false });
    return path.join(root, relative);
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
