/**
 * The chat widget's files, as `npm run build` leaves them in `dist/browser/`
 * (`browser-files.ts` names them): the page, for `/` and the embed frame; the widget's script, the
 * engine as an ES module and the embed script under their stable names; and under `/assets/` the
 * files whose names carry a hash of their content.
 *
 * Read once, when the app is built, with the brotli and gzip forms the build wrote beside each:
 * a request only picks the bytes its `Accept-Encoding` takes. Hashed files are cached for a year
 * (`immutable`: a new build has new names); the page and the stable names are revalidated on
 * every load (`no-cache`, with an ETag, so a revalidation costs a 304 and no body). The engine
 * module and the hashed files may be loaded from any origin (CORS), as a web team's own UI
 * imports `https://<gateway>/redact.js`. The security headers they carry are `security-headers.ts`'s.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Router, type RequestHandler, type Response } from 'express';
import { CHAT_FRAME_PATH } from '../chat-frame/frame-messages.js';
import { ASSETS_DIR, BROWSER_DIR, CONTENT_TYPES, EMBED_FILE, MODULE_POINTERS, PAGE_FILE, PRECOMPRESSED, PUBLIC_DIR } from './browser-files.js';

// The launcher names the frame's path; the page is served there. The tests find the folders here.
export { BROWSER_DIR, CHAT_FRAME_PATH, PUBLIC_DIR };

/** The script that one `<script src>` on a customer's page loads to add the launcher. */
export const EMBED_SCRIPT_PATH = `/${EMBED_FILE}`;
/** The engine as an ES module, for a web team's own UI on any origin. */
export const ENGINE_MODULE_PATH = '/redact.js';
/** Where the hashed files are served: `/assets/<name>-<hash>.<ext>`. */
export const ASSETS_PATH = `/${ASSETS_DIR}`;
/** The stable addresses of the page and the scripts, each revalidated on every load. */
export const STABLE_PATHS = ['/', CHAT_FRAME_PATH, ...MODULE_POINTERS.map((name) => `/${name}`), EMBED_SCRIPT_PATH] as const;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
type Encoding = (typeof PRECOMPRESSED)[number]['encoding'];

/** One file as it is served: its bytes in each encoding the build wrote, and its fixed headers. */
interface ServedFile {
  readonly bodies: ReadonlyMap<Encoding | 'identity', Buffer>;
  readonly headers: Readonly<Record<string, string>>;
  /** Strong validator of the content; each encoding's ETag is this with the encoding added. */
  readonly tag: string;
}

/**
 * Whether a path may be read from other origins: the engine module, what it imports (hashed
 * files) and the embed script. Only content every visitor gets anyway: no page, nothing secret.
 */
export function isCrossOriginAsset(path: string): boolean {
  return path === ENGINE_MODULE_PATH || path === EMBED_SCRIPT_PATH || path.startsWith(ASSETS_PATH);
}

function readServedFile(file: string, path: string, cacheControl: string): ServedFile | undefined {
  const type = CONTENT_TYPES[extname(file)];
  if (type === undefined || !existsSync(join(BROWSER_DIR, file))) return undefined;
  const bodies = new Map<Encoding | 'identity', Buffer>([['identity', readFileSync(join(BROWSER_DIR, file))]]);
  for (const { encoding, suffix } of PRECOMPRESSED) {
    if (existsSync(join(BROWSER_DIR, `${file}${suffix}`))) bodies.set(encoding, readFileSync(join(BROWSER_DIR, `${file}${suffix}`)));
  }
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': cacheControl };
  if (bodies.size > 1) headers.vary = 'accept-encoding';
  if (isCrossOriginAsset(path)) headers['access-control-allow-origin'] = '*';
  const tag = createHash('sha256').update(bodies.get('identity')!).digest('base64url');
  return { bodies, headers, tag };
}

/** Every file the gateway serves, by path; empty before `npm run build`. */
function readServedFiles(): Map<string, ServedFile> {
  const files = new Map<string, ServedFile | undefined>();
  for (const path of STABLE_PATHS) files.set(path, readServedFile(path === '/' || path === CHAT_FRAME_PATH ? PAGE_FILE : path.slice(1), path, REVALIDATE));
  const assets = join(BROWSER_DIR, ASSETS_DIR);
  for (const name of existsSync(assets) ? readdirSync(assets) : []) {
    files.set(`${ASSETS_PATH}${name}`, readServedFile(`${ASSETS_DIR}${name}`, `${ASSETS_PATH}${name}`, IMMUTABLE));
  }
  return new Map([...files].filter((entry): entry is [string, ServedFile] => entry[1] !== undefined));
}

/** The best encoding `accept` (an `Accept-Encoding` header) takes of those `file` has. */
export function chooseEncoding(accept: string | undefined, available: ReadonlySet<string>): Encoding | 'identity' {
  const weights = new Map<string, number>();
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [name = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    weights.set(name, quality === undefined ? 1 : Number(quality.slice(2)) || 0);
  }
  for (const { encoding } of PRECOMPRESSED) {
    if (available.has(encoding) && (weights.get(encoding) ?? weights.get('*') ?? 0) > 0) return encoding;
  }
  return 'identity';
}

function send(file: ServedFile, ifNoneMatch: string | undefined, accept: string | undefined, response: Response): void {
  const encoding = chooseEncoding(accept, new Set(file.bodies.keys()));
  const etag = `"${file.tag}${encoding === 'identity' ? '' : `-${encoding}`}"`;
  response.set(file.headers).set('etag', etag);
  if (encoding !== 'identity') response.set('content-encoding', encoding);
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    response.status(304).end();
    return;
  }
  const body = file.bodies.get(encoding)!;
  response.status(200).set('content-length', String(body.length)).end(body);
}

/**
 * Serve the widget: the page for `/` and {@link CHAT_FRAME_PATH}, the stable scripts, and the
 * hashed files. Only the files the build wrote are served, each under the one path it has; any
 * other address (`..` in any encoding included) falls through to the JSON 404.
 */
export function serveWidget(): RequestHandler {
  const files = readServedFiles();
  const router = Router();
  const serve = (path: string): RequestHandler => (request, response, next) => {
    const file = files.get(path);
    if (file === undefined) next();
    else send(file, request.headers['if-none-match'], request.headers['accept-encoding'], response);
  };
  for (const path of STABLE_PATHS) router.get(path, serve(path));
  router.get(`${ASSETS_PATH}:file`, (request, response, next) => serve(`${ASSETS_PATH}${request.params.file}`)(request, response, next));
  return router;
}
