/**
 * What the Dockerfile's runtime stage relies on, without a Docker engine: the package files,
 * `dist/` and `public/` in an empty folder, `npm ci --omit=dev` exactly as the image runs it,
 * and the service started from there. Anything needed at run time but declared as a
 * devDependency fails here.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReply, startVendorStub, type VendorStub } from '../support/vendor-stub.js';
import { connectClient } from '../support/ws-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the runtime stage copies (`COPY package.json package-lock.json`, `dist`, `public`). */
const SHIPPED = ['package.json', 'package-lock.json', 'dist', 'public'];
/** The Dockerfile's install line, word for word. */
const INSTALL_ARGS = ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'];
/** A cold npm cache on a slow mirror; with a warm cache it takes seconds. */
const INSTALL_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 60_000;
/** A synthetic fødselsnummer written with a space. */
const USER_TEXT = 'Hei! Hva er telefonnummeret deres? Mitt fnr er 010190 12345';

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
interface LockEntry {
  dev?: boolean;
}

const run = promisify(execFile);
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const lockPackages = (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;

/**
 * The environment of the image (`NODE_ENV=production`) without what a surrounding `npm test`
 * or the test runner put there: npm's own prefix settings would point npm at this checkout, and
 * `NODE_OPTIONS`/`NODE_PATH` could load modules from it.
 */
function productionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ...extra };
  for (const key of Object.keys(env)) {
    if (/^(NODE_OPTIONS|NODE_PATH|npm_config_(global_|local_)?prefix|npm_config_(omit|include|production))$/i.test(key)) delete env[key];
  }
  return env;
}

/** Every installed package, as lockfile keys: `node_modules/a`, `node_modules/@s/b`, `node_modules/a/node_modules/c`. */
function installedPackages(folder: string, prefix = 'node_modules'): string[] {
  const dir = join(folder, prefix);
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? readdirSync(join(dir, entry.name)).map((name) => `${entry.name}/${name}`)
      : [entry.name];
    for (const name of names) {
      const key = `${prefix}/${name}`;
      found.push(key, ...installedPackages(folder, `${key}/node_modules`));
    }
  }
  return found;
}

/** Start `node dist/cli.js serve` in `cwd`; resolves with the URL it prints on stderr. */
function startService(cwd: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    cwd,
    // NODE_ENV=production refuses the demo bot: a vendor as a bank would configure it.
    env: productionEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', VENDOR_URL: vendor.url }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "gateway on" line in ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /gateway on (http:\/\/\S+)/.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

async function waitUntilReady(url: string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    const status = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (performance.now() > deadline) throw new Error(`/readyz answered ${status}, not 200, for ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let folder: string;
let service: ChildProcess | undefined;
let vendor: VendorStub;

beforeAll(async () => {
  vendor = await startVendorStub();
  // Quotes what reached it and gives a phone number, which is deleted on the way back.
  vendor.setHandler((request) => {
    const text = String((request.body as { text?: unknown }).text ?? '').trim();
    return jsonReply(`Du skrev «${text}». Du kan også ringe kundeservice på 22 33 44 55, hverdager 8–16.`);
  });
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does).');
  folder = mkdtempSync(join(tmpdir(), 'chat-redact-production-'));
  // Node looks for packages in every parent folder: one above the copy would hide a missing one.
  for (let dir = dirname(folder); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules exists above the temp folder; set TMPDIR elsewhere`);
  }
  for (const name of SHIPPED) cpSync(join(ROOT, name), join(folder, name), { recursive: true });
  try {
    await run('npm', INSTALL_ARGS, { cwd: folder, env: productionEnv(), timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${INSTALL_ARGS.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}, INSTALL_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await vendor?.close();
  if (service !== undefined && service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

describe('production install (the Dockerfile runtime stage, without Docker)', { timeout: TEST_TIMEOUT_MS }, () => {
  it('installs every dependency and no devDependency', () => {
    const installed = new Set(installedPackages(folder));
    for (const name of Object.keys(packageJson.dependencies)) expect(installed, `dependency ${name}`).toContain(`node_modules/${name}`);
    for (const name of Object.keys(packageJson.devDependencies)) expect(installed, `devDependency ${name}`).not.toContain(`node_modules/${name}`);
    const devOnly = [...installed].filter((key) => lockPackages[key]?.dev === true);
    expect(devOnly).toEqual([]);
    const unknown = [...installed].filter((key) => lockPackages[key] === undefined);
    expect(unknown).toEqual([]);
  });

  it('serves chat, the redact API and metrics from there, and stops on SIGTERM with exit 0', async () => {
    const started = await startService(folder);
    service = started.child;
    const { url } = started;
    await waitUntilReady(url);

    const client = await connectClient(`${url.replace(/^http/, 'ws')}/chat`);
    expect((await client.waitFor((f) => f.type === 'notice')).text).toMatch(/seven or more digits/);
    client.send({ type: 'message', id: 'prod', text: USER_TEXT });
    expect(await client.waitFor((f) => f.type === 'ack' && f.id === 'prod')).toMatchObject({
      text: 'Hei! Hva er telefonnummeret deres? Mitt fnr er ',
      redactions: 1,
    });
    await client.waitFor((f) => f.id === 'prod' && ((f.type === 'reply' && f.final === true) || f.type === 'error'), 20_000);
    expect(client.frames.filter((f) => f.type === 'error')).toEqual([]);
    const reply = client.frames.filter((f) => f.type === 'reply' && f.id === 'prod').map((f) => f.text).join('');
    // The vendor quotes what reached it and gives a phone number, which is deleted on the way back.
    expect(reply).toContain('«Hei! Hva er telefonnummeret deres? Mitt fnr er»');
    expect(reply).toMatch(/ringe kundeservice på , hverdager/);
    client.ws.close();

    const redacted = await fetch(`${url}/v1/redact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'fnr 010190 12345, takk' }),
    });
    expect(redacted.status).toBe(200);
    expect(await redacted.json()).toMatchObject({ text: 'fnr , takk', redactions: 1 });

    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/chat_redact_redactions_total\{direction="inbound",kind="\w+"\} [1-9]/);
    expect(text).toMatch(/chat_redact_redactions_total\{direction="outbound",kind="phone"\} [1-9]/);

    service.kill('SIGTERM');
    expect(await exitOf(service)).toBe(0);
    expect(started.output()).toMatch(/"msg":"stopped"/);
    expect(started.output()).not.toContain('010190');
  });
});
