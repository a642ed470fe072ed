/**
 * The demo chat widget: the files of `public/`, served as they are.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

/**
 * The `public/` folder of the package. This module sits at `src/http/` under the tests and at
 * `dist/http/` when built or installed; both are two levels below the package root, which is
 * where `public/` is (and `package.json` ships it in `files`).
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * Serve `public/` with `index.html` for `/`. Only GET and HEAD are answered; dotfiles are
 * hidden, and a path that climbs out of the folder (`..` in any encoding) falls through to the
 * JSON 404 rather than a file.
 */
export function serveWidget(): RequestHandler {
  return express.static(PUBLIC_DIR, {
    index: 'index.html',
    dotfiles: 'ignore',
    fallthrough: true,
    redirect: false,
    // The page is tiny and changes with each release: revalidate rather than risk a stale widget.
    cacheControl: true,
    maxAge: 0,
  });
}
