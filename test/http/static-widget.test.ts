import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BROWSER_DIR, CHAT_FRAME_PATH, PUBLIC_DIR, STABLE_PATHS, chooseEncoding } from '../../src/http/static-widget.js';
import { countLeaks } from '../support/leak-judge.js';
import { exchangeBytes, requestRaw, useApp } from './start-app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_MODULE = `${ROOT}dist/http/static-widget.js`;
/** The test-friendly selectors the browser tests rely on. */
const PAGE_IDS = ['notice', 'messages', 'composer', 'input', 'send', 'status', 'redaction-hint', 'close', 'chat-title'];
/** The bundles `npm run build` writes; `npm test` builds first. */
const BUNDLES = ['widget.js', 'redact.js', 'embed.js'];
const hasBundles = BUNDLES.every((name) => existsSync(`${BROWSER_DIR}${name}`));
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** What the built page names: `/assets/<name>-<hash>.<ext>`. */
const HASHED = /\/assets\/[a-z]+-[A-Z0-9]{8}\.(?:js|css|svg)/g;

/** The hashed files the built page names, in the order it names them (icon, style, script). */
function namedByPage(): string[] {
  return readFileSync(`${BROWSER_DIR}index.html`, 'utf8').match(HASHED) ?? [];
}

const app = useApp();

describe('the widget page', () => {
  it('GET / serves index.html with the selectors the browser tests use', async () => {
    const response = await fetch(`${app().baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    for (const id of PAGE_IDS) expect(html).toContain(`id="${id}"`);
    expect(html).toMatch(/<script type="module" src="\/assets\/widget-[A-Z0-9]{8}\.js"><\/script>/);
    expect(html).toMatch(/id="redaction-hint"[^>]*aria-live="polite"/);
  });

  it(`GET ${CHAT_FRAME_PATH} serves the same page, revalidated on every load`, async () => {
    const [page, frame] = await Promise.all([fetch(`${app().baseUrl}/`), fetch(`${app().baseUrl}${CHAT_FRAME_PATH}`)]);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // The page names hashed files: a cached page would name those of an older build.
    expect(frame.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await frame.text()).toBe(await page.text());
  });

  it('never reflects a query string: the page is the same whatever the address asks', async () => {
    const page = await (await fetch(`${app().baseUrl}/`)).text();
    const injected = 'Ring 98 76 54 32 <script>alert(1)</script>';
    // The page is served at these two addresses only (`/index.html` is no address of it: 404).
    for (const path of ['/', CHAT_FRAME_PATH]) {
      const query = new URLSearchParams({ title: injected, lang: 'nb', subtitle: injected, token: 'abc' });
      const response = await fetch(`${app().baseUrl}${path}?${query}`);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html, path).toBe(page);
      expect(countLeaks(html)).toBe(0);
    }
    expect(page).not.toMatch(/98 76|alert/);
  });

  it('sets no cookie on any route', async () => {
    const answers = await Promise.all([
      fetch(`${app().baseUrl}/widget.js`),
      fetch(`${app().baseUrl}/chat-frame`),
      fetch(`${app().baseUrl}/widget-policy.json`),
      fetch(`${app().baseUrl}${namedByPage()[1] ?? '/widget.css'}`),
      fetch(`${app().baseUrl}/healthz`),
      fetch(`${app().baseUrl}/metrics`),
      fetch(`${app().baseUrl}/nope`),
      fetch(`${app().baseUrl}/v1/redact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"a"}' }),
    ]);
    for (const answer of answers) {
      expect(answer.headers.has('set-cookie')).toBe(false);
      expect(answer.headers.has('x-powered-by')).toBe(false);
      await answer.arrayBuffer();
    }
  });

  it.runIf(hasBundles)('serves the stable scripts with their types, revalidated; what the page names is hashed and cached for good', async () => {
    for (const name of BUNDLES) {
      const script = await fetch(`${app().baseUrl}/${name}`);
      expect(script.status, name).toBe(200);
      expect(script.headers.get('content-type'), name).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('cache-control'), name).toBe('no-cache');
      expect(await script.text(), name).toBe(readFileSync(`${BROWSER_DIR}${name}`, 'utf8'));
    }
    const named = namedByPage();
    expect(named.map((path) => path.replace(/-[A-Z0-9]{8}/, ''))).toEqual(['/assets/favicon.svg', '/assets/widget.css', '/assets/widget.js']);
    const [, style, script] = named;
    const [chunk] = readFileSync(`${BROWSER_DIR}${script!.slice(1)}`, 'utf8').match(/chunk-[A-Z0-9]{8}\.js/) ?? [];
    expect(chunk).toBeDefined();
    for (const path of [...named, `/assets/${chunk}`]) {
      const asset = await fetch(`${app().baseUrl}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('cache-control'), path).toBe(IMMUTABLE);
      expect(Buffer.from(await asset.arrayBuffer()).equals(readFileSync(`${BROWSER_DIR}${path.slice(1)}`)), path).toBe(true);
    }
    expect((await fetch(`${app().baseUrl}${style}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${app().baseUrl}${named[0]}`)).headers.get('content-type')).toBe('image/svg+xml');
    // Only what the build wrote is served: no guessed name, no stable name of a hashed file.
    for (const path of ['/widget.css', '/favicon.svg', '/assets/widget.js', '/assets/', `/assets/${chunk}.map`, `/assets/${chunk}.br`, '/index.html']) {
      expect((await requestRaw(app().port, { path })).status, path).toBe(404);
    }
  });

  it.runIf(hasBundles)('answers in brotli or gzip as the client takes them, the bytes the build compressed', async () => {
    const [, , script] = namedByPage();
    for (const path of [...STABLE_PATHS.filter((path) => path !== '/redact.js' && path !== '/widget.js'), script!]) {
      const file = path === '/' || path === CHAT_FRAME_PATH ? 'index.html' : path.slice(1);
      const plain = readFileSync(`${BROWSER_DIR}${file}`);
      const brotli = await requestRaw(app().port, { path, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(brotli.headers['content-encoding'], path).toBe('br');
      expect(brotli.headers.vary, path).toBe('accept-encoding');
      expect(Number(brotli.headers['content-length'])).toBe(brotli.bytes.length);
      expect(brotli.bytes.length, path).toBeLessThan(plain.length * 0.6);
      expect(brotliDecompressSync(brotli.bytes).equals(plain), path).toBe(true);
      const gzip = await requestRaw(app().port, { path, headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } });
      expect(gzip.headers['content-encoding'], path).toBe('gzip');
      expect(gunzipSync(gzip.bytes).equals(plain), path).toBe(true);
      const identity = await requestRaw(app().port, { path });
      expect(identity.headers['content-encoding'], path).toBeUndefined();
      expect(identity.bytes.equals(plain), path).toBe(true);
    }
  });

  it.runIf(hasBundles)('a revalidation of a stable name costs a 304 without a body, per encoding', async () => {
    for (const path of ['/', '/embed.js']) {
      const first = await requestRaw(app().port, { path, headers: { 'accept-encoding': 'br' } });
      const etag = first.headers.etag!;
      expect(etag, path).toMatch(/^"[\w-]+-br"$/);
      const again = await requestRaw(app().port, { path, headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
      expect(again.status, path).toBe(304);
      expect(again.bytes.length).toBe(0);
      const otherEncoding = await requestRaw(app().port, { path, headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
      expect(otherEncoding.status, path).toBe(200);
    }
    // A one-line module that compression would only make longer is sent as it is.
    const pointer = await requestRaw(app().port, { path: '/redact.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(pointer.headers['content-encoding']).toBeUndefined();
    expect(pointer.headers.etag).toMatch(/^"[\w-]+"$/);
    expect((await requestRaw(app().port, { path: '/redact.js', headers: { 'if-none-match': `W/${pointer.headers.etag}` } })).status).toBe(304);
  });

  it.runIf(hasBundles)('lets any origin import the engine module and what it imports, and only that (CORS)', async () => {
    const engine = await requestRaw(app().port, { path: '/redact.js', headers: { origin: 'https://shop.example.no' } });
    expect(engine.status).toBe(200);
    expect(engine.headers['access-control-allow-origin']).toBe('*');
    expect(engine.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const imported = /from '\.\/(assets\/redact-[A-Z0-9]{8}\.js)'/.exec(engine.body)?.[1];
    expect(imported).toBeDefined();
    const module = await requestRaw(app().port, { path: `/${imported}`, headers: { origin: 'https://shop.example.no' } });
    expect(module.headers['access-control-allow-origin']).toBe('*');
    const [chunk] = module.body.match(/chunk-[A-Z0-9]{8}\.js/) ?? [];
    const shared = await requestRaw(app().port, { path: `/assets/${chunk}`, headers: { origin: 'https://shop.example.no' } });
    expect(shared.status).toBe(200);
    expect(shared.headers['access-control-allow-origin']).toBe('*');
    for (const path of ['/', CHAT_FRAME_PATH, '/widget.js']) {
      const page = await requestRaw(app().port, { path, headers: { origin: 'https://shop.example.no' } });
      expect(page.headers['access-control-allow-origin'], path).toBeUndefined();
    }
  });

  it('the page obeys its own CSP: no inline script, style or handler, nothing from elsewhere', () => {
    const html = readFileSync(`${PUBLIC_DIR}index.html`, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it.runIf(hasBundles)('the bundles write no HTML, evaluate no strings and keep nothing in cookies or localStorage', () => {
    for (const name of BUNDLES) {
      const script = readFileSync(`${BROWSER_DIR}${name}`, 'utf8');
      expect(script, name).not.toMatch(/\.innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write|\beval\(|localStorage|document\.cookie/);
    }
  });
});

describe('chooseEncoding', () => {
  const both = new Set(['identity', 'br', 'gzip']);
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['BR;Q=0.5', 'br'],
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['*;q=0', 'identity'],
    ['deflate', 'identity'],
  ] as const)('%s → %s', (accept, expected) => {
    expect(chooseEncoding(accept, both)).toBe(expected);
  });

  it('chooses only what the file has', () => {
    expect(chooseEncoding('br, gzip', new Set(['identity', 'gzip']))).toBe('gzip');
    expect(chooseEncoding('br', new Set(['identity']))).toBe('identity');
  });
});

describe('paths that try to leave public/', () => {
  it.each([
    '/..%2fpackage.json',
    '/%2e%2e/package.json',
    '/%2e%2e%2fpackage.json',
    '/../package.json',
    '/..%5cpackage.json',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/widget.js/..%2f..%2fpackage.json',
    '/chunks/..%2f..%2fhttp%2fapp.js',
    '/assets/..%2f..%2fhttp%2fapp.js',
    '/assets/..%2findex.html',
    '/assets/%2e%2e%2fembed.js',
    '/..%2fhttp/app.js',
    '/.%2e/src/config.ts',
    '//package.json',
    '/%252e%252e/package.json',
  ])('%s answers the JSON 404 and no file', async (path) => {
    const answer = await requestRaw(app().port, { path });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'not_found', message: 'There is nothing at this address.' } });
    expect(answer.body).not.toContain('chat-redact');
    expect(answer.body).not.toContain('root:');
  });
});

describe('other addresses and limits', () => {
  it('answers unknown routes and wrong methods with the JSON 404', async () => {
    // `GET /v1/redact` is a 405 with Allow (test/system/redact-api.integration.test.ts).
    for (const [method, path] of [['GET', '/nope'], ['GET', '/v1/nope'], ['POST', '/'], ['DELETE', '/healthz']] as const) {
      const response = await fetch(`${app().baseUrl}${path}`, { method });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'There is nothing at this address.' } });
    }
  });

  it('answers oversized headers with 431 and keeps serving', async () => {
    const answer = await exchangeBytes(
      app().port,
      `GET / HTTP/1.1\r\nHost: localhost\r\nX-Filler: ${'a'.repeat(32 * 1024)}\r\n\r\n`,
    );
    expect(answer.startsWith('HTTP/1.1 431 ')).toBe(true);
    expect((await fetch(`${app().baseUrl}/healthz`)).status).toBe(200);
  });

  it('finds public/ and dist/browser/ from src/ under the tests', () => {
    expect(PUBLIC_DIR).toBe(`${ROOT}public/`);
    expect(BROWSER_DIR).toBe(`${ROOT}dist/browser/`);
    expect(existsSync(`${PUBLIC_DIR}index.html`)).toBe(true);
  });

  // `npm test` builds first, so this runs there; a bare `vitest run` before any build skips it.
  it.runIf(existsSync(DIST_MODULE))('finds the same folders from the built dist/http/', async () => {
    const built = (await import(DIST_MODULE)) as { PUBLIC_DIR: string; BROWSER_DIR: string };
    expect(built.PUBLIC_DIR).toBe(PUBLIC_DIR);
    expect(built.BROWSER_DIR).toBe(BROWSER_DIR);
  });
});
