/**
 * The embed snippet in Chromium: a customer's page on another origin (another loopback port)
 * with one `<script src=".../embed.js" defer>` gets a launcher that opens the chat in a frame of
 * the gateway's origin, by keyboard alone, with the focus moved in and back out; the page's own
 * scripts cannot read the conversation; a page whose origin is not in `EMBED_ORIGINS` cannot
 * frame the chat at all; axe-core on the page and on the open chat.
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { testOutputPath } from '../support/browser.js';
import { MAX_TITLE_LENGTH } from '../../src/chat-frame/frame-messages.js';
import { countLeaks } from '../support/leak-judge.js';
import { startRestartableGateway, type RestartableGateway } from '../support/restartable-gateway.js';
import { embeddingPage, findSeriousViolations, recordFrames, sentOfType, startHostPage, useBrowser, type HostPage } from './browser-kit.js';

const ACTION_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 90_000;
const LAUNCHER = '[data-chat-redact] button.launcher';
const PANEL = '[data-chat-redact] .panel';

const browser = useBrowser();
let context: BrowserContext | undefined;
let gw: RestartableGateway | undefined;
const hosts: HostPage[] = [];

afterEach(async () => {
  context = undefined;
  await gw?.stop();
  gw = undefined;
  for (const host of hosts.splice(0)) await host.close();
});

/** A host page that may embed the chat, and the gateway that lets it. */
async function startEmbedding(attributes = '', env: Record<string, string> = {}): Promise<{ gw: RestartableGateway; host: HostPage }> {
  const host = await startHostPage();
  hosts.push(host);
  gw = await startRestartableGateway({ demoBot: true, env: { EMBED_ORIGINS: host.origin, ...env } });
  host.setPage(embeddingPage(gw.httpUrl, attributes));
  return { gw, host };
}

async function openPage(url: string): Promise<Page> {
  context ??= await browser.newContext({ viewport: { width: 1100, height: 820 }, colorScheme: 'light', locale: 'en-GB' }, ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator(LAUNCHER).waitFor();
  return page;
}

/** Whether the launcher button has the focus (it lives in the launcher's shadow root). */
function launcherHasFocus(page: Page): Promise<boolean> {
  return page.locator(LAUNCHER).evaluate((button) => (button.getRootNode() as ShadowRoot).activeElement === button && document.hasFocus());
}

/** The chat frame once it shows the connected chat. */
async function chatFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((frame) => frame.url().includes('/chat-frame'))).toBe(true);
  const frame = page.frames().find((candidate) => candidate.url().includes('/chat-frame'))!;
  await frame.locator('#status[data-state="open"]').waitFor();
  return frame;
}

describe('the embed snippet in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('opens the chat from another origin by keyboard, chats in the frame, keeps the page out of it, and gives the focus back', async () => {
    const { host } = await startEmbedding();
    const page = await openPage(`${host.origin}/`);
    const frames = recordFrames(page);
    expect(await findSeriousViolations(page)).toEqual([]);
    await page.screenshot({ path: testOutputPath('embed-closed.png') });

    for (let presses = 0; presses < 5 && !(await launcherHasFocus(page)); presses += 1) await page.keyboard.press('Tab');
    expect(await launcherHasFocus(page)).toBe(true);
    expect(await page.locator(LAUNCHER).getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    const frame = await chatFrame(page);
    expect(await page.locator(LAUNCHER).getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => frame.evaluate(() => document.activeElement?.id)).toBe('input');
    expect(new URL(frame.url()).origin).toBe(gw!.httpUrl);

    await page.keyboard.type('Hei, hvordan betaler jeg en faktura? Fnr 010190 12480', { delay: 15 });
    await expect.poll(() => frame.locator('#redaction-hint').textContent()).toBe('A number of seven or more digits will be removed before sending.');
    await page.keyboard.press('Enter');
    await frame.locator('.message.bot[data-state="done"]').waitFor();
    expect(await frame.locator('.message.user .message-text').textContent()).toBe('You: Hei, hvordan betaler jeg en faktura? Fnr ');
    expect(sentOfType(frames, 'message')).toHaveLength(1);
    for (const sent of frames.sent) expect(countLeaks(sent), sent).toBe(0);

    // The page's own scripts: the frame's document is another origin's, and none of the chat is in the page.
    const reach = await page.evaluate(() => {
      const root = document.querySelector('[data-chat-redact]')!.shadowRoot!;
      const iframe = root.querySelector('iframe')!;
      let read = 'blocked';
      try {
        read = iframe.contentWindow!.document.body.innerText;
      } catch {
        // A SecurityError: what is being checked.
      }
      return { contentDocument: iframe.contentDocument === null, read, pageText: document.body.innerText };
    });
    expect(reach).toEqual({ contentDocument: true, read: 'blocked', pageText: expect.not.stringContaining('faktura') as string });

    expect(await findSeriousViolations(page)).toEqual([]);
    expect(await findSeriousViolations(frame)).toEqual([]);
    await page.screenshot({ path: testOutputPath('embed-open.png') });

    await page.keyboard.press('Escape');
    await page.locator(PANEL).waitFor({ state: 'hidden' });
    await expect.poll(() => launcherHasFocus(page)).toBe(true);
    expect(await page.locator(LAUNCHER).getAttribute('aria-expanded')).toBe('false');

    // Open again: the same chat, not a new connection; the close button closes it too.
    await page.keyboard.press('Enter');
    await page.locator(PANEL).waitFor({ state: 'visible' });
    await expect.poll(() => frame.evaluate(() => document.activeElement?.id)).toBe('input');
    expect(await frame.locator('.message.user').count()).toBe(1);
    expect(frames.sockets).toBe(1);
    await frame.locator('#close').click();
    await page.locator(PANEL).waitFor({ state: 'hidden' });
    await expect.poll(() => launcherHasFocus(page)).toBe(true);
  });

  it('with WIDGET_TOKEN set, the launcher’s frame and the gateway’s own page chat with no extra step; other clients still need the token', async () => {
    const { host } = await startEmbedding('', { WIDGET_TOKEN: 'embed-widget-token-for-tests' });
    const page = await openPage(`${host.origin}/`);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.locator(LAUNCHER).click();
    const frame = await chatFrame(page);
    await frame.locator('#input').fill('Hei, hva er åpningstidene?');
    await frame.locator('#input').press('Enter');
    await frame.locator('.message.bot[data-state="done"]').waitFor();
    // No target-origin error: the launcher speaks to the frame only once the gateway's page is in it.
    expect(consoleErrors.filter((text) => /postMessage|target origin/i.test(text))).toEqual([]);

    const own = await context!.newPage();
    await own.goto(`${gw!.httpUrl}/`);
    await own.locator('#status[data-state="open"]').waitFor();

    const { upgradeStatus } = await import('../support/ws-client.js');
    expect(await upgradeStatus(`${gw!.httpUrl.replace('http', 'ws')}/chat`)).toBe(401);
    expect(await upgradeStatus(`${gw!.httpUrl.replace('http', 'ws')}/chat?token=embed-widget-token-for-tests`)).toBe(101);
    // A pass is for the gateway's own pages: a page of another site cannot read one.
    const fromHost = await page.evaluate(async (url) => fetch(`${url}/chat-pass.json`).then((r) => r.status, () => 'blocked'), gw!.httpUrl);
    expect(fromHost).not.toBe(200);
  });

  it('takes its language, corner and title from data- attributes', async () => {
    const { host } = await startEmbedding('data-language="nb" data-position="left" data-title="Spør oss"');
    const page = await openPage(`${host.origin}/`);
    const launcher = page.locator(LAUNCHER);
    expect(await launcher.textContent()).toBe('Spør oss');
    expect(await launcher.getAttribute('lang')).toBe('nb');
    const box = (await launcher.boundingBox())!;
    expect(box.x).toBeLessThan(100);
    await launcher.click();
    const frame = await chatFrame(page);
    expect(await frame.locator('html').getAttribute('lang')).toBe('nb');
    // The title comes in a message once the frame has loaded.
    await expect.poll(() => frame.locator('#chat-title').textContent()).toBe('Spør oss');
    expect(await frame.title()).toBe('Spør oss');
    expect(await frame.locator('#send').textContent()).toBe('Send');
    expect(await frame.locator('#input').getAttribute('placeholder')).toBe('Skriv en melding…');
    expect(await page.locator('[data-chat-redact] iframe').getAttribute('title')).toBe('Spør oss');

    // The panel rises into view, unless the user asked for reduced motion.
    const panelAnimation = (): Promise<string> => page.locator(PANEL).evaluate((panel) => getComputedStyle(panel).animationName);
    expect(await panelAnimation()).toBe('rise');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await panelAnimation()).toBe('none');
  });

  it('shows a title with a number redacted by the engine and cut to length, and never puts it in the frame address', async () => {
    const title = `Ring oss på 98 76 54 32 eller\n22 33\n44 55, ${'svært lang tittel '.repeat(8)}`;
    const { host } = await startEmbedding(`data-title="${title}"`);
    const page = await openPage(`${host.origin}/`);
    const launcher = page.locator(LAUNCHER);
    // The launcher is the host page's own text on its own page: one line, cut to length.
    const label = (await launcher.textContent())!;
    expect(Array.from(label).length).toBe(MAX_TITLE_LENGTH);
    expect(label.startsWith('Ring oss på 98 76 54 32 eller 22 33 44 55, svært')).toBe(true);
    await launcher.click();
    const frame = await chatFrame(page);
    // The chat's heading is the gateway's page: the numbers are gone, the line breaks that hid one too.
    await expect.poll(() => frame.locator('#chat-title').textContent()).toMatch(/^Ring oss på  eller , svært lang/);
    const heading = (await frame.locator('#chat-title').textContent())!;
    expect(Array.from(heading).length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(countLeaks(heading)).toBe(0);
    // The document's title is read with its white space collapsed.
    expect(await frame.title()).toBe(heading.replace(/\s+/g, ' '));
    expect(countLeaks(await frame.locator('body').innerText())).toBe(0);
    expect(new URL(frame.url()).searchParams.has('title')).toBe(false);
    expect(new URL(frame.url()).search).toBe('?lang=en');
  });

  it('cannot be framed by a page whose origin is not in EMBED_ORIGINS', async () => {
    await startEmbedding();
    const stranger = await startHostPage();
    hosts.push(stranger);
    stranger.setPage(embeddingPage(gw!.httpUrl));
    const page = await openPage(`${stranger.origin}/`);
    const frames = recordFrames(page);
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    await page.locator(LAUNCHER).click();
    await expect.poll(() => refusals.length, { timeout: ACTION_TIMEOUT_MS }).toBeGreaterThan(0);
    expect(refusals[0]).toContain(`frame-ancestors 'self' ${hosts[0]!.origin}`);
    const framed = page.frames().filter((frame) => frame !== page.mainFrame());
    for (const frame of framed) expect(await frame.locator('#input').count()).toBe(0);
    expect(frames.sockets).toBe(0);
    expect(gw!.gateway.chat.size).toBe(0);
    await page.screenshot({ path: testOutputPath('embed-refused.png') });
  });
});
