/**
 * A Chromium for the browser tests, driven by `playwright-core`. No browser download works on
 * this network, so the tests take the first of:
 *
 * 1. `CHROMIUM_PATH`, when set: any Chromium or Chrome the developer points at;
 * 2. Debian's `chromium` package at `/usr/bin/chromium`;
 * 3. the Chromium inside the `@sparticuz/chromium` devDependency: a headless-shell build that
 *    ships in the npm package itself, so `npm ci && npm test` finds a browser on a machine with
 *    only Node and npm.
 *
 * When none can be had the tests fail, saying why; they never skip.
 */
import { accessSync, constants, createReadStream, createWriteStream, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts its launcher. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** The npm package whose Chromium is the last resort. */
export const NPM_CHROMIUM_PACKAGE = '@sparticuz/chromium';

/**
 * Headless, no sandbox (tests run as root in containers), and nothing that phones home: the
 * browser must only ever talk to the gateway under test. Playwright adds a fresh temporary
 * `--user-data-dir` of its own and deletes it on close (it refuses one in `args`).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
] as const;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots and other artefacts of test runs (gitignored). */
export const TEST_OUTPUT_DIR = path.join(ROOT, 'test-output/');
/** Unpacked browsers, one folder per package version; `npm ci` clears it with the rest of node_modules. */
const UNPACK_DIR = path.join(ROOT, 'node_modules/.cache/chat-redact');

/** Starting a browser on a loaded 2-core machine can take several seconds. */
const LAUNCH_TIMEOUT_MS = 45_000;

/** The browser a test run uses, and where it came from. */
export interface ChromiumChoice {
  readonly executablePath: string;
  readonly source: 'CHROMIUM_PATH' | 'debian' | typeof NPM_CHROMIUM_PACKAGE;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The package's brotli-compressed binary, unpacked once per version. The package's own
 * `executablePath()` unpacks to a fixed `/tmp/chromium` and trusts any file there, so an
 * interrupted unpack, or another version's, would be launched without a word; this one writes
 * to a temporary name and renames it into place only when it is whole.
 */
async function unpackNpmChromium(): Promise<string> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(NPM_CHROMIUM_PACKAGE);
  } catch {
    throw new Error(
      `Browser tests found no Chromium: CHROMIUM_PATH is not set, ${DEBIAN_CHROMIUM} is missing, and the ` +
        `${NPM_CHROMIUM_PACKAGE} devDependency is not installed. Run \`npm ci\` (with dev dependencies), ` +
        'set CHROMIUM_PATH to a Chromium, or install Debian\'s: apt-get install -y chromium.',
    );
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(UNPACK_DIR, `chromium-${version}`, 'chromium');
  if (isExecutable(target)) return target;
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.${Date.now()}.partial`;
  await pipeline(createReadStream(path.join(packageDir, 'bin/chromium.br')), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
  renameSync(partial, target);
  return target;
}

/** Pick the browser: `CHROMIUM_PATH`, then Debian's, then the npm package's. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  const chosen = env.CHROMIUM_PATH;
  if (chosen !== undefined && chosen !== '') {
    if (!isExecutable(chosen)) throw new Error(`CHROMIUM_PATH is ${JSON.stringify(chosen)}, which is not an executable file.`);
    return { executablePath: chosen, source: 'CHROMIUM_PATH' };
  }
  if (isExecutable(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, source: 'debian' };
  return { executablePath: await unpackNpmChromium(), source: NPM_CHROMIUM_PACKAGE };
}

/** Launch the browser {@link findChromium} picks, or throw an error that says how to get one. */
export async function launchChromium(): Promise<Browser> {
  const { executablePath } = await findChromium();
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: LAUNCH_TIMEOUT_MS });
}

/** The path for a test artefact named `name`, creating the folder. */
export function testOutputPath(name: string): string {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  return path.join(TEST_OUTPUT_DIR, name);
}
