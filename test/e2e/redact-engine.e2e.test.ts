/**
 * `/redact.js` in Chromium as the README shows it: a web team's page on another origin (another
 * loopback port) imports the engine from the gateway as an ES module, reads the gateway's policy,
 * and redacts on the device. Module scripts are fetched with CORS, the engine module's own
 * imports (hashed files) too, so this holds only while the gateway allows any origin for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redact } from '../../src/redact/index.js';
import { bankChat } from '../support/kept-class-arbitraries.js';
import { startRestartableGateway, type RestartableGateway } from '../support/restartable-gateway.js';
import { startHostPage, useBrowser, type HostPage } from './browser-kit.js';

const ACTION_TIMEOUT_MS = 20_000;

const browser = useBrowser();
let gw: RestartableGateway;
let host: HostPage;

beforeAll(async () => {
  host = await startHostPage();
  gw = await startRestartableGateway({ demoBot: true, env: { REDACT_MIN_DIGITS: '8', REDACT_REPLACEMENT: '[x]' } });
});

afterAll(async () => {
  await gw?.stop();
  await host?.close();
});

/** The page a web team writes, with the README's import line. */
function teamPage(gatewayUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Own chat</title></head>
<body><p id="out">waiting</p>
<script type="module">
  import { redact, readWidgetPolicy } from '${gatewayUrl}/redact.js';
  const policy = readWidgetPolicy(await (await fetch('${gatewayUrl}/widget-policy.json')).json());
  const result = redact('ring meg på 98 76 54 32, ordre 1234567', policy);
  document.getElementById('out').textContent = JSON.stringify(result);
</script>
</body></html>`;
}

describe('GET /redact.js imported from another origin', () => {
  it('loads with its hashed imports and redacts with the gateway’s policy, with no CORS error', { timeout: 90_000 }, async () => {
    host.setPage(teamPage(gw.httpUrl));
    const context = await browser.newContext({}, ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const loaded: string[] = [];
    page.on('response', (response) => loaded.push(`${response.status()} ${new URL(response.url()).pathname}`));
    await page.goto(host.origin);
    await expect.poll(() => page.locator('#out').textContent(), { timeout: ACTION_TIMEOUT_MS }).not.toBe('waiting');
    expect(problems).toEqual([]);
    expect(JSON.parse((await page.locator('#out').textContent())!)).toEqual({
      text: 'ring meg på [x], ordre 1234567',
      redactions: 1,
      kinds: { phone: 1 },
      allowed: 0,
      kept: 0,
      keptClasses: {},
    });
    expect(host.origin).not.toBe(new URL(gw.httpUrl).origin);
    expect(loaded).toEqual(expect.arrayContaining(['200 /redact.js', expect.stringMatching(/^200 \/assets\/redact-[A-Z0-9]{8}\.js$/), expect.stringMatching(/^200 \/assets\/chunk-[A-Z0-9]{8}\.js$/)]));
  });

  it('keeps what the engine keeps on the server: kept classes give the same output in the browser bundle', { timeout: 90_000 }, async () => {
    const keep = ['amounts', 'future_dates', 'org_numbers'];
    const texts = fc.sample(bankChat, { numRuns: 400, seed: 23 });
    const context = await browser.newContext({}, ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    await page.goto(gw.httpUrl);
    // A string, not a function: the test runner rewrites a function's dynamic import for Node.
    const inBrowser = (await page.evaluate(`(async () => {
      const engine = await import(${JSON.stringify(`${gw.httpUrl}/redact.js`)});
      const policy = engine.createPolicy({ keep: ${JSON.stringify(keep)} });
      return ${JSON.stringify(texts)}.map((text) => engine.redact(text, policy));
    })()`)) as Array<{ kept: number }>;
    expect(inBrowser).toEqual(texts.map((text) => JSON.parse(JSON.stringify(redact(text, { keep: keep as never })))));
    expect(inBrowser.some((result) => result.kept > 0)).toBe(true);
    await context.close();
  });
});
