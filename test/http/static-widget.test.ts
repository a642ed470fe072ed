import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PUBLIC_DIR } from '../../src/http/static-widget.js';
import { exchangeBytes, requestRaw, useApp } from './start-app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_MODULE = `${ROOT}dist/http/static-widget.js`;
/** The test-friendly selectors the browser test relies on. */
const PAGE_IDS = ['notice', 'messages', 'composer', 'input', 'send', 'status'];

const app = useApp();

function directivesOf(csp: string | null): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (csp ?? '').split(';')) {
    const [name = '', ...values] = part.trim().split(/\s+/);
    if (name !== '') directives.set(name, values.join(' '));
  }
  return directives;
}

describe('the widget page', () => {
  it('GET / serves index.html with the selectors the browser test uses', async () => {
    const response = await fetch(`${app().baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    for (const id of PAGE_IDS) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<script type="module" src="widget.js"></script>');
  });

  it('sends a strict CSP and helmet headers, no x-powered-by and no cookie', async () => {
    const response = await fetch(`${app().baseUrl}/`);
    const csp = directivesOf(response.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
    expect(csp.get('require-trusted-types-for')).toBe("'script'");
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-|\*|https?:|data:/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.has('x-powered-by')).toBe(false);
    expect(response.headers.has('set-cookie')).toBe(false);
  });

  it('sets no cookie on any route', async () => {
    const answers = await Promise.all([
      fetch(`${app().baseUrl}/widget.js`),
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

  it('serves the script and the style with their types', async () => {
    const script = await fetch(`${app().baseUrl}/widget.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("new URL(`${scheme}//${location.host}/chat`)");
    const style = await fetch(`${app().baseUrl}/widget.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('the page obeys its own CSP: no inline script, style or handler; the script writes no HTML', () => {
    const html = readFileSync(`${PUBLIC_DIR}index.html`, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);
    const script = readFileSync(`${PUBLIC_DIR}widget.js`, 'utf8');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|localStorage|document\.cookie/);
    for (const id of PAGE_IDS) expect(script).toContain(`getElementById('${id}')`);
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

  it('finds public/ from src/ under the tests', () => {
    expect(PUBLIC_DIR).toBe(`${ROOT}public/`);
    expect(existsSync(`${PUBLIC_DIR}index.html`)).toBe(true);
  });

  // `npm test` builds first, so this runs there; a bare `vitest run` before any build skips it.
  it.runIf(existsSync(DIST_MODULE))('finds the same public/ from the built dist/http/', async () => {
    const built = (await import(DIST_MODULE)) as { PUBLIC_DIR: string };
    expect(built.PUBLIC_DIR).toBe(PUBLIC_DIR);
  });
});
