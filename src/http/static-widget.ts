/**
 * The chat widget's files: the pages, style and icon of `public/`, and the browser bundles that
 * `npm run build` writes to `dist/browser/` (the widget's script, the engine as an ES module,
 * the embed script). The security headers they carry are `security-headers.ts`'s.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import { CHAT_FRAME_PATH } from '../chat-frame/frame-messages.js';

// The launcher names the frame's path; the page is served there.
export { CHAT_FRAME_PATH };

/**
 * The `public/` folder of the package. This module sits at `src/http/` under the tests and at
 * `dist/http/` when built or installed; both are two levels below the package root, which is
 * where `public/` is (and `package.json` ships it in `files`).
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
/** Where `npm run build` writes the browser bundles (`scripts/build-browser.ts`); shipped inside `dist/`. */
export const BROWSER_DIR = fileURLToPath(new URL('../../dist/browser/', import.meta.url));

/** The script that one `<script src>` on a customer's page loads to add the launcher. */
export const EMBED_SCRIPT_PATH = '/embed.js';
/** The frame shows the chat page itself; its script sees that it is framed and adds the close button. */
const CHAT_FRAME_FILE = 'index.html';
/** Bundle chunks carry a content hash in their names, so a year's caching can never serve a stale one. */
const CHUNK_DIR = `${BROWSER_DIR}chunks/`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Options shared by every folder served: GET and HEAD only, no dotfiles, no redirects. */
const STATIC_OPTIONS = {
  index: 'index.html',
  dotfiles: 'ignore',
  fallthrough: true,
  redirect: false,
  // The pages and scripts change with each release: revalidate rather than risk a stale widget.
  cacheControl: true,
  maxAge: 0,
} as const;

/**
 * Serve the widget: `index.html` for `/`, the frame page for {@link CHAT_FRAME_PATH}, then the
 * files of `public/` and of the built bundles. A path that climbs out of either folder (`..` in
 * any encoding) falls through to the JSON 404 rather than a file.
 */
export function serveWidget(): RequestHandler {
  const router = Router();
  router.get(CHAT_FRAME_PATH, (_request, response, next) => {
    response.sendFile(CHAT_FRAME_FILE, { root: PUBLIC_DIR, dotfiles: 'deny', cacheControl: true, maxAge: 0 }, (error) => {
      if (error !== undefined) next(error);
    });
  });
  router.use(express.static(PUBLIC_DIR, STATIC_OPTIONS));
  router.use(
    express.static(BROWSER_DIR, {
      ...STATIC_OPTIONS,
      setHeaders(response, path) {
        if (path.startsWith(CHUNK_DIR)) response.setHeader('cache-control', IMMUTABLE);
      },
    }),
  );
  return router;
}
