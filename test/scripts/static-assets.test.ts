/**
 * The build's finishing step over dist/browser/ as `npm run build` leaves it: hashed names that
 * follow the content, a page that names only hashed files, and compressed forms that are the
 * files themselves. `npm test` builds first; a bare `vitest run` before any build skips the
 * checks of the output.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BROWSER_OUT_DIR } from '../../scripts/build-browser.js';
import { hashedName } from '../../scripts/static-assets.js';
import { PUBLIC_DIR } from '../../src/http/browser-files.js';

const built = existsSync(`${BROWSER_OUT_DIR}index.html`);

describe('hashedName', () => {
  it('puts eight base32 characters of the content hash before the extension', () => {
    const name = hashedName('widget.css', Buffer.from('body{}'));
    expect(name).toMatch(/^widget-[A-Z2-7]{8}\.css$/);
    expect(hashedName('widget.css', Buffer.from('body{}'))).toBe(name);
    expect(hashedName('widget.css', Buffer.from('body{ }'))).not.toBe(name);
    expect(hashedName('favicon.svg', Buffer.from('body{}'))).toBe(name.replace('widget', 'favicon').replace('.css', '.svg'));
  });
});

describe.runIf(built)('dist/browser/ after the build', () => {
  const files = readdirSync(BROWSER_OUT_DIR, { recursive: true }) as string[];

  it('copies each file of public/ but the page under its hashed name, byte for byte', () => {
    for (const name of readdirSync(PUBLIC_DIR).filter((file) => file !== 'index.html')) {
      const content = readFileSync(`${PUBLIC_DIR}${name}`);
      expect(readFileSync(`${BROWSER_OUT_DIR}assets/${hashedName(name, content)}`).equals(content), name).toBe(true);
    }
  });

  it('writes the page as public/ has it, with every address of its own a hashed file that exists', () => {
    const page = readFileSync(`${BROWSER_OUT_DIR}index.html`, 'utf8');
    const addresses = [...page.matchAll(/\b(?:src|href)="(\/[^"]*)"/g)].map((match) => match[1]!);
    expect(addresses).toHaveLength(3);
    for (const address of addresses) {
      expect(address).toMatch(/^\/assets\/[a-z]+-[A-Z0-9]{8}\.(js|css|svg)$/);
      expect(existsSync(`${BROWSER_OUT_DIR}${address.slice(1)}`), address).toBe(true);
    }
    const source = readFileSync(`${PUBLIC_DIR}index.html`, 'utf8');
    expect(page.replace(/\/assets\/([a-z]+)-[A-Z0-9]{8}/g, '/$1')).toBe(source);
  });

  it('writes brotli and gzip forms that decompress to the file, only where they are smaller', () => {
    const compressed = files.filter((file) => /\.(br|gz)$/.test(file));
    expect(compressed.length).toBeGreaterThanOrEqual(10);
    for (const file of compressed) {
      const original = readFileSync(`${BROWSER_OUT_DIR}${file.replace(/\.(br|gz)$/, '')}`);
      const bytes = readFileSync(`${BROWSER_OUT_DIR}${file}`);
      expect(bytes.length, file).toBeLessThan(original.length);
      expect((file.endsWith('.br') ? brotliDecompressSync(bytes) : gunzipSync(bytes)).equals(original), file).toBe(true);
    }
    for (const file of ['index.html', 'embed.js']) {
      expect(files, file).toEqual(expect.arrayContaining([`${file}.br`, `${file}.gz`]));
    }
  });
});
