/**
 * Microsoft's Web Chat (`botframework-webchat`'s own bundle, from npm) in Chromium, chatting
 * through the gateway's native Direct Line API with the Direct Line stub behind: the page is
 * a team's page that changed only Web Chat's `domain`. A hero card, an Adaptive Card, a receipt,
 * suggested actions and Markdown, all with numbers in them, render without the numbers — read
 * from the page as a person sees it, judged by the reference — and a click on a card's button
 * reaches the bot.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { conversationBot } from '../support/directline-conversation.js';
import { STUB_SECRET, startDirectLineStub, type DirectLineStub } from '../support/directline-stub.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';

/** The bundle Microsoft publishes for a page's `<script>` (not among the package's exports: read from its folder). */
const WEBCHAT_BUNDLE = readFileSync(fileURLToPath(new URL('../../node_modules/botframework-webchat/dist/webchat.js', import.meta.url)), 'utf8');

/** The team's page: Web Chat from its bundle, its Direct Line domain the gateway's. */
function page(domain: string, token: string): string {
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Web Chat</title></head>
<body style="margin:0"><div id="webchat" style="height:100vh"></div>
<script src="/webchat.js"></script>
<script>
  window.WebChat.renderWebChat(
    { directLine: window.WebChat.createDirectLine({ domain: ${JSON.stringify(domain)}, token: ${JSON.stringify(token)} }), userID: 'user-1' },
    document.getElementById('webchat'),
  );
</script></body></html>`;
}

let stub: DirectLineStub;
let gw: RunningGateway;
let site: http.Server;
let siteUrl: string;
let token = '';
let browser: Browser;

beforeAll(async () => {
  site = http.createServer((req, res) => {
    if (req.url === '/webchat.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(WEBCHAT_BUNDLE);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(`${gw.httpUrl}/v3/directline`, token));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  stub = await startDirectLineStub();
  gw = await startTestGateway({ VENDOR_KIND: 'directline', VENDOR_URL: stub.url, VENDOR_TOKEN: STUB_SECRET, NATIVE_API: 'on', ALLOWED_ORIGINS: siteUrl });
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  await stub?.close();
  await new Promise((resolve) => site?.close(resolve));
});

/** What a person sees of the page: its rendered text, and the text of every image's alt and field's value and placeholder. */
async function seen(on: Page): Promise<string> {
  return on.evaluate(() => {
    const parts = [document.body.innerText];
    for (const element of Array.from(document.querySelectorAll('[alt], [placeholder], [aria-label], [title], input, textarea'))) {
      for (const name of ['alt', 'placeholder', 'aria-label', 'title']) parts.push(element.getAttribute(name) ?? '');
      if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) parts.push(element.value);
    }
    return parts.join('\n');
  });
}

describe('Web Chat through the native Direct Line API', () => {
  it('renders cards, suggested actions and Markdown without their numbers, and a click reaches the bot', async () => {
    stub.bot = conversationBot;
    const generated = await fetch(`${gw.httpUrl}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${STUB_SECRET}` } });
    token = ((await generated.json()) as { token: string }).token;
    const tab = await browser.newPage();
    await tab.goto(siteUrl);
    const sendBox = tab.locator('[data-id="webchat-sendbox-input"], input[type="text"], textarea').first();
    await sendBox.waitFor({ timeout: 30_000 });
    await sendBox.fill('Mitt nummer er 98 76 54 32');
    await sendBox.press('Enter');
    await tab.getByText('Velg:').first().waitFor({ timeout: 30_000 });
    await tab.getByText('Faktura nr 2233').first().waitFor({ timeout: 30_000 });
    await tab.getByText('Kontonummer').first().waitFor({ timeout: 30_000 });
    // Web Chat replaces its own copy of the message with the one Direct Line echoes: redacted.
    await expect.poll(async () => (await seen(tab)).includes('98 76 54 32'), { timeout: 15_000 }).toBe(false);
    const text = await seen(tab);
    expect(text).toContain('Du skrev');
    expect(text).toContain('Betal til');
    expect(countLeaks(text)).toBe(0);
    expect(stub.requestsOf('POST', '/activities').map((request) => (request.body as { text?: string }).text)).toEqual(['Mitt nummer er ']);

    await tab.getByRole('button', { name: 'Velg' }).first().click();
    await expect.poll(() => stub.requestsOf('POST', '/activities').length, { timeout: 15_000 }).toBe(2);
    // Web Chat sends a string postBack value as the activity's text, and text is redacted: data with numbers belongs in an object value.
    expect(stub.requestsOf('POST', '/activities')[1]!.body).toMatchObject({ text: 'case-', channelData: { postBack: true } });
    await tab.close();
  }, 120_000);
});
