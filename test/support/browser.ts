/**
 * Debian's Chromium, driven by `playwright-core`, for the browser tests. No browser download
 * works on this network, so the tests use the distribution's package and fail — never skip —
 * when it is missing.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts its launcher; `.ci/run` installs it there. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless, no sandbox (tests run as root in containers), and nothing that phones home: the
 * browser must only ever talk to the gateway under test. Playwright adds a fresh temporary
 * `--user-data-dir` of its own and deletes it on close.
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

/** Screenshots and other artefacts of test runs (gitignored). */
export const TEST_OUTPUT_DIR = fileURLToPath(new URL('../../test-output/', import.meta.url));

/** Starting a browser on a loaded 2-core machine can take several seconds. */
const LAUNCH_TIMEOUT_MS = 45_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Launch Chromium, or throw an error that says how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!isExecutable(CHROMIUM_PATH)) {
    throw new Error(
      `Browser tests need Debian's Chromium at ${CHROMIUM_PATH}, which is missing. ` +
        'Install it with: apt-get update && apt-get install -y chromium (as root). ' +
        'CI does this in .ci/run.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: LAUNCH_TIMEOUT_MS,
  });
}

/** The path for a test artefact named `name`, creating the folder. */
export function testOutputPath(name: string): string {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  return `${TEST_OUTPUT_DIR}${name}`;
}
