import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BROWSER_DIR, CHAT_FRAME_PATH, PUBLIC_DIR } from '../../src/http/static-widget.js';
import { countLeaks } from '../support/leak-judge.js';
import { exchangeBytes, requestRaw, useApp } from './start-app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_MODULE = `${ROOT}dist/http/static-widget.js`;
/** The test-friendly selectors the browser tests rely on. */
const PAGE_IDS = ['notice', 'messages', 'composer', 'input', 'send', 'status', 'redaction-hint', 'close', 'chat-title'];
/** The bundles `npm run build` writes; `npm test` builds first. */
const BUNDLES = ['widget.js', 'redact.js', 'embed.js'];
const hasBundles = BUNDLES.every((name) => existsSync(`${BROWSER_DIR}${name}`));

const app = useApp();

describe('the widget page', () => {
  it('GET / serves index.html with the selectors the browser tests use', async () => {
    const response = await fetch(`${app().baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    for (const id of PAGE_IDS) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<script type="module" src="/widget.js"></script>');
    expect(html).toMatch(/id="redaction-hint"[^>]*aria-live="polite"/);
  });

  it(`GET ${CHAT_FRAME_PATH} serves the same page, revalidated on every load`, async () => {
    const [page, frame] = await Promise.all([fetch(`${app().baseUrl}/`), fetch(`${app().baseUrl}${CHAT_FRAME_PATH}`)]);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(frame.headers.get('cache-control')).toBe('public, max-age=0');
    expect(await frame.text()).toBe(await page.text());
  });

  it('never reflects a query string: the page is the same whatever the address asks', async () => {
    const page = await (await fetch(`${app().baseUrl}/`)).text();
    const injected = 'Ring 98 76 54 32 <script>alert(1)</script>';
    for (const path of ['/', CHAT_FRAME_PATH, '/index.html']) {
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
      fetch(`${app().baseUrl}/widget.css`),
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

  it.runIf(hasBundles)('serves the bundles and the style with their types; hashed chunks are cached for good', async () => {
    for (const name of BUNDLES) {
      const script = await fetch(`${app().baseUrl}/${name}`);
      expect(script.status, name).toBe(200);
      expect(script.headers.get('content-type'), name).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('cache-control'), name).toBe('public, max-age=0');
      expect(await script.text(), name).toBe(readFileSync(`${BROWSER_DIR}${name}`, 'utf8'));
    }
    const [chunk] = readFileSync(`${BROWSER_DIR}widget.js`, 'utf8').match(/chunks\/chunk-[A-Z0-9]+\.js/) ?? [];
    expect(chunk).toBeDefined();
    const shared = await fetch(`${app().baseUrl}/${chunk}`);
    expect(shared.status).toBe(200);
    expect(shared.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await fetch(`${app().baseUrl}/widget.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
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
    for (const [method, path] of [['GET', '/nope'], ['GET', '/v1/redact'], ['POST', '/'], ['DELETE', '/healthz']] as const) {
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
