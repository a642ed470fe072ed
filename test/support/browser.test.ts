import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEBIAN_CHROMIUM, findChromium, NPM_CHROMIUM_PACKAGE } from './browser.js';

const hasDebianChromium = (() => {
  try {
    accessSync(DEBIAN_CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, whatever else is installed', async () => {
    expect(await findChromium({ CHROMIUM_PATH: process.execPath })).toEqual({ executablePath: process.execPath, source: 'CHROMIUM_PATH' });
  });

  it('refuses a CHROMIUM_PATH that is not an executable file, saying which', async () => {
    await expect(findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).rejects.toThrow('CHROMIUM_PATH is "/nonexistent/chromium", which is not an executable file.');
  });

  it(`without CHROMIUM_PATH: Debian's ${DEBIAN_CHROMIUM} when it is there, else the ${NPM_CHROMIUM_PACKAGE} package's, unpacked once`, async () => {
    const choice = await findChromium({});
    expect(choice.source).toBe(hasDebianChromium ? 'debian' : NPM_CHROMIUM_PACKAGE);
    if (hasDebianChromium) expect(choice.executablePath).toBe(DEBIAN_CHROMIUM);
    // The npm package's browser works on its own, so a fresh machine without Debian's has one.
    const packageDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve(NPM_CHROMIUM_PACKAGE)), '..');
    const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
    const npmChoice = hasDebianChromium ? undefined : choice;
    if (npmChoice !== undefined) {
      expect(npmChoice.executablePath).toMatch(new RegExp(`node_modules/\\.cache/chat-redact/chromium-${version.replaceAll('.', '\\.')}/chromium$`));
      expect(execFileSync(npmChoice.executablePath, ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^Chromium ${version.split('.')[0]}\\.`));
      expect(await findChromium({})).toEqual(npmChoice);
    }
  });
});
