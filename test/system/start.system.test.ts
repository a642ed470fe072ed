import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { copyCleanTree } from '../../scripts/packed-package.js';
import { CLI as cli, exitOf, killLeftoverChildren, startAndWaitForUrl } from '../support/serve-process.js';
import { countLeaks } from '../support/leak-judge.js';
import { connectClient } from '../support/ws-client.js';

afterEach(killLeftoverChildren);

/** `npm start` builds first (tsc, then the esbuild step): 20 s on a quiet 2-core machine, near 60 s on a loaded one. */
const NPM_START_TIMEOUT_MS = 180_000;
const BUILD_AND_START_MS = 150_000;

describe('starting the service as a user does', () => {
  it('npm start serves the widget page and chats with the demo bot; Ctrl+C drains and ends it', { timeout: NPM_START_TIMEOUT_MS }, async () => {
    // In a copy of the checkout: its build must not rewrite the dist/ that other test files load.
    const work = mkdtempSync(join(tmpdir(), 'chat-redact-start-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    copyCleanTree(work);
    const { child, url, output: stderr } = await startAndWaitForUrl('npm', ['start', '--silent'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, { startTimeoutMs: BUILD_AND_START_MS, cwd: work });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    // The browser bundles come out of the same build.
    for (const bundle of ['widget.js', 'embed.js']) expect((await fetch(`${url}/${bundle}`)).status, bundle).toBe(200);
    const client = await connectClient(`${url.replace('http', 'ws')}/chat`);
    expect((await client.waitFor((f) => f.type === 'notice')).text).toMatch(/seven or more digits/);
    client.send({ type: 'message', id: 'hello', text: 'Hei, fnr 010190 12345, hva skylder jeg?' });
    const ack = await client.waitFor((f) => f.type === 'ack');
    expect(ack).toMatchObject({ redactions: 1, text: 'Hei, fnr , hva skylder jeg?' });
    await client.waitFor((f) => f.type === 'reply' && f.final === true, 15_000);
    const reply = client.frames.filter((f) => f.type === 'reply').map((f) => f.text).join('');
    expect(reply.length).toBeGreaterThan(10);
    expect(countLeaks(reply)).toBe(0);
    // Ctrl+C in a terminal signals the whole foreground group: npm, its shell and the service.
    process.kill(-child.pid!, 'SIGINT');
    expect((await client.closed).code).toBe(1001);
    expect(await exitOf(child)).toBe('SIGINT');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(stderr()).not.toContain('010190');
  });

  it('a bad environment stops the start with one line per problem and exit code 2', () => {
    const result = spawnSync(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH, PORT: 'abc', WORKERS: '0', REDACT_MIN_DIGITS: '1', VENDOR_TOKEN: 'has space' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT: must be a whole number from 0 to 65535 (got "abc")');
    expect(result.stderr).toContain('WORKERS: must be "auto" or a whole number from 1 to 64 (got "0")');
    expect(result.stderr).toMatch(/REDACT_MIN_DIGITS: .*2/);
    expect(result.stderr).toMatch(/VENDOR_TOKEN: /);
    expect(result.stderr).not.toContain('has space');
  });

  it('NODE_ENV=production without VENDOR_URL, and a misspelt variable, stop the start with one clear line each', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [cli, 'serve'], { env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env }, encoding: 'utf8', timeout: 20_000 });
    const production = run({ NODE_ENV: 'production' });
    expect(production.status).toBe(2);
    expect(production.stderr).toContain('  VENDOR_URL: must be set when NODE_ENV is production (without it the built-in demo bot would answer customers)\n');
    const misspelt = run({ VENDOR_URL: 'https://bot.example.no/chat', VENDOR_KND: 'boost' });
    expect(misspelt.status).toBe(2);
    expect(misspelt.stderr).toContain('  VENDOR_KND: unknown; did you mean VENDOR_KIND?\n');
  });

  it('an address that cannot be listened on names HOST', () => {
    const result = spawnSync(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH, PORT: '0', HOST: '999.1.1.1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^chat-redact: cannot start: HOST: cannot listen on "999\.1\.1\.1": no address of this machine \(E[A-Z_]+\)/m);
  });

  it('a port in use is named plainly', async () => {
    const { child, url } = await startAndWaitForUrl(process.execPath, [cli, 'serve'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const port = new URL(url).port;
    const second = spawnSync(process.execPath, [cli, 'serve'], {
      env: { ...process.env, PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`127.0.0.1:${port} is already in use`);
    // What a container runtime or Kubernetes sends: the service itself drains and exits 0.
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });
});
