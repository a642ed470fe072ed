/**
 * Branding without a fork, in Chromium: a host page's `data-` attributes and CSS custom
 * properties dress the launcher and the chat in its frame — colours with their text made readable
 * whatever the host chose, font, radius, the assistant's name (redacted) and avatar — axe-core
 * still clean; hostile values change nothing. And every text of a Norwegian page is Norwegian: a
 * nameless image or file, too. Its screenshots (branded and default) are the README's.
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../src/chat-frame/languages.js';
import { textsFor, type Texts } from '../../src/widget/texts.js';
import { testOutputPath } from '../support/browser.js';
import { countLeaks } from '../support/leak-judge.js';
import { startRestartableGateway, type RestartableGateway } from '../support/restartable-gateway.js';
import { createScriptedChatbot } from '../support/scripted-chatbot.js';
import { embeddingPage, findSeriousViolations, startHostPage, useBrowser, type HostPage } from './browser-kit.js';

const ACTION_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 120_000;
const LAUNCHER = '[data-chat-redact] button.launcher';
const VIEWPORT = { width: 900, height: 760 };
/**
 * An inline avatar: the launcher's page and the frame can both load it. (The gateway's own files
 * answer `Cross-Origin-Resource-Policy: same-origin`, so an avatar served there shows in the
 * frame only, and the launcher leaves it out.)
 */
const AVATAR = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="20" fill="#1b2330"/><circle cx="20" cy="16" r="7" fill="#ffd400"/><ellipse cx="20" cy="34" rx="12" ry="9" fill="#ffd400"/></svg>',
).toString('base64')}`;

const browser = useBrowser();
let gw: RestartableGateway | undefined;
const hosts: HostPage[] = [];

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  for (const host of hosts.splice(0)) await host.close();
});

async function startHost(): Promise<HostPage> {
  const host = await startHostPage();
  hosts.push(host);
  return host;
}

async function openLauncher(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator(LAUNCHER).waitFor();
  return page;
}

/** The chat frame once it shows the connected chat. */
async function chatFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((frame) => frame.url().includes('/chat-frame'))).toBe(true);
  const frame = page.frames().find((candidate) => candidate.url().includes('/chat-frame'))!;
  await frame.locator('#status[data-state="open"]').waitFor();
  return frame;
}

/** Computed style properties of the first element `selector` finds in `target`. */
function styleOf(target: Page | Frame, selector: string, properties: readonly string[]): Promise<Record<string, string>> {
  return target.locator(selector).first().evaluate((element, names) => {
    const style = getComputedStyle(element);
    return Object.fromEntries(names.map((name) => [name, style.getPropertyValue(name).trim()]));
  }, properties);
}

async function sendAndWait(frame: Frame, text: string): Promise<void> {
  await frame.locator('#input').fill(text);
  await frame.locator('#input').press('Enter');
  await frame.locator('.message.bot[data-state="done"]').last().waitFor();
}

describe('widget branding in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('dresses the launcher and the chat from data- attributes, text readable on an unreadable choice, axe-core clean', async () => {
    const host = await startHost();
    gw = await startRestartableGateway({ demoBot: true, env: { EMBED_ORIGINS: host.origin } });
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', locale: 'nb-NO' }, ACTION_TIMEOUT_MS);

    // The default first, for the README's pair of screenshots.
    host.setPage(embeddingPage(gw.httpUrl, 'data-language="nb"'));
    const plain = await openLauncher(context, `${host.origin}/`);
    expect(await styleOf(plain, LAUNCHER, ['background-color', 'color'])).toEqual({ 'background-color': 'rgb(36, 87, 214)', color: 'rgb(255, 255, 255)' });
    await plain.locator(LAUNCHER).click();
    const plainFrame = await chatFrame(plain);
    await sendAndWait(plainFrame, 'Hei, hvordan betaler jeg en faktura?');
    expect(await plainFrame.locator('#assistant-name').isHidden()).toBe(true);
    expect(await plainFrame.locator('#avatar').isHidden()).toBe(true);
    await plain.screenshot({ path: testOutputPath('widget-embed-default.png') });
    await plain.close();

    // White text on yellow is 1.4:1: the host asks for it, the widget draws black.
    const brand = [
      'data-language="nb"',
      'data-accent="#ffd400"',
      'data-accent-text="#ffffff"',
      'data-font="Georgia, serif"',
      'data-radius="4px"',
      'data-assistant-name="Ada"',
      `data-avatar="${AVATAR}"`,
    ].join(' ');
    host.setPage(embeddingPage(gw.httpUrl, brand));
    const page = await openLauncher(context, `${host.origin}/`);
    expect(await styleOf(page, LAUNCHER, ['background-color', 'color', 'border-top-left-radius', 'font-family'])).toEqual({
      'background-color': 'rgb(255, 212, 0)',
      color: 'rgb(0, 0, 0)',
      'border-top-left-radius': '4px',
      'font-family': expect.stringMatching(/^"?Georgia"?, serif, system-ui/) as string,
    });
    const launcherAvatar = page.locator(`${LAUNCHER} img.avatar`);
    await launcherAvatar.waitFor();
    expect(await launcherAvatar.evaluate((image: HTMLImageElement) => ({ loaded: image.naturalWidth > 0, alt: image.alt }))).toEqual({ loaded: true, alt: '' });
    expect(await findSeriousViolations(page)).toEqual([]);

    await page.locator(LAUNCHER).click();
    const frame = await chatFrame(page);
    await expect.poll(() => frame.locator('#assistant-name').textContent()).toBe('Assistent: Ada');
    expect(await frame.locator('#avatar').evaluate((image: HTMLImageElement) => !image.hidden && image.naturalWidth > 0)).toBe(true);
    expect(await styleOf(frame, '#send', ['background-color', 'color', 'border-top-left-radius'])).toMatchObject({ 'background-color': 'rgb(255, 212, 0)', color: 'rgb(0, 0, 0)' });
    expect((await styleOf(frame, 'body', ['font-family']))['font-family']).toMatch(/^"?Georgia"?, serif, system-ui/);
    await sendAndWait(frame, 'Hei, hvordan betaler jeg en faktura?');
    expect(await styleOf(frame, '.message.user', ['background-color', 'color', 'border-top-left-radius'])).toEqual({
      'background-color': 'rgb(255, 212, 0)',
      color: 'rgb(0, 0, 0)',
      'border-top-left-radius': '4px',
    });
    // The yellow as text on the white panel would be 1.5:1: the quick replies get it darkened to 4.5:1.
    const action = await styleOf(frame, '.action', ['color']);
    expect(action.color).not.toBe('rgb(255, 212, 0)');
    expect(await frame.locator('.message.bot:not(.agent) .speaker').first().textContent()).toBe('Ada: ');
    expect(countLeaks(await frame.locator('body').innerText())).toBe(0);
    expect(await findSeriousViolations(frame)).toEqual([]);
    expect(await findSeriousViolations(page)).toEqual([]);
    await page.screenshot({ path: testOutputPath('widget-embed-branded.png') });

    // Dark: the same brand colour, and its text colour as text adjusted for the dark panel.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await findSeriousViolations(frame)).toEqual([]);
  });

  it('takes the looks from CSS custom properties, a valid attribute winning, ignores hostile values and redacts the name', async () => {
    const host = await startHost();
    gw = await startRestartableGateway({ demoBot: true, env: { EMBED_ORIGINS: host.origin } });
    const style = `<style>
      :root { --chat-redact-accent: #0a7d45; --chat-redact-radius: 0; --chat-redact-font: "Courier New", monospace; }
      [data-chat-redact] { --chat-redact-accent-text: #fff; }
    </style>`;
    const hostile = [
      'data-radius="12"',
      'data-font="x; } .launcher { display: none"',
      'data-avatar="javascript:alert(document.domain)"',
      'data-assistant-name="Ada 98 76 54 32 <img src=x onerror=alert(1)> and more"',
    ].join(' ');
    host.setPage(embeddingPage(gw.httpUrl, hostile).replace('</head>', `${style}</head>`));
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', locale: 'en-GB' }, ACTION_TIMEOUT_MS);
    const page = await openLauncher(context, `${host.origin}/`);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    expect(await styleOf(page, LAUNCHER, ['background-color', 'color', 'border-top-left-radius', 'font-family', 'display'])).toEqual({
      'background-color': 'rgb(10, 125, 69)',
      color: 'rgb(255, 255, 255)',
      'border-top-left-radius': '12px',
      'font-family': expect.stringMatching(/^"Courier New", monospace, system-ui/) as string,
      // A fixed inline-flex box computes to flex: shown, whatever the font attribute tried.
      display: 'flex',
    });
    expect(await page.locator(`${LAUNCHER} img`).count()).toBe(0);
    await page.locator(LAUNCHER).click();
    const frame = await chatFrame(page);
    // The name is the host's text in the gateway's page: cut to 40 characters, its number gone, markup only text.
    await expect.poll(() => frame.locator('#assistant-name').textContent()).toBe('Assistant: Ada  <img src=x onerror=alert');
    expect(countLeaks(await frame.locator('body').innerText())).toBe(0);
    expect(await frame.locator('#chat-title img, .chat-heading img').count()).toBe(0);
    expect(await frame.locator('#avatar').isHidden()).toBe(true);
    expect(await styleOf(frame, '#send', ['background-color', 'color'])).toEqual({ 'background-color': 'rgb(10, 125, 69)', color: 'rgb(255, 255, 255)' });
    expect(dialogs).toEqual([]);
    expect(await findSeriousViolations(frame)).toEqual([]);
  });
});

/** Every English text of the widget that its Norwegian differs from, functions called with sample values. */
function englishOnly(language: Language): string[] {
  const flatten = (texts: Texts): string[] =>
    Object.values(texts).flatMap((value: unknown) => {
      if (typeof value === 'string') return [value];
      if (typeof value === 'function') return [(value as (a: number, b: boolean) => string)(1, false), (value as (a: number, b: boolean) => string)(2, true)];
      return Object.values(value as Record<string, string>);
    });
  const local = new Set(flatten(textsFor(language)));
  return flatten(textsFor('en')).filter((text) => !local.has(text));
}

describe('a Norwegian page in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('shows no English text: the page, its labels, and a nameless image or file under a reply', async () => {
    const chatbot = createScriptedChatbot({
      greeting: [
        'Her er kartet og vilkårene.',
        {
          type: 'actions',
          actions: [
            { label: 'Image', url: 'https://example.no/kart.png', attachment: 'image' },
            { label: 'File', url: 'https://example.no/vilkar.pdf', attachment: 'file' },
          ],
        },
      ],
    });
    gw = await startRestartableGateway({ chatbot });
    for (const language of LANGUAGES.filter((candidate) => candidate !== 'en')) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'light', locale: 'en-GB' }, ACTION_TIMEOUT_MS);
      const page = await context.newPage();
      await page.goto(`${gw.httpUrl}/?lang=${language}`);
      await page.locator('#status[data-state="open"]').waitFor();
      const links = page.locator('.action-link');
      await links.nth(1).waitFor();
      const texts = textsFor(language);
      expect(await links.allTextContents()).toEqual([`${texts.attachments.image} ${texts.opensInNewTab}`, `${texts.attachments.file} ${texts.opensInNewTab}`]);
      const shown = await page.evaluate(() => {
        const attributes = Array.from(document.querySelectorAll('*')).flatMap((element) =>
          ['aria-label', 'placeholder', 'title', 'alt'].map((name) => element.getAttribute(name) ?? '').filter((value) => value !== ''),
        );
        return [document.title, document.body.innerText, document.body.textContent ?? '', ...attributes].join('\n');
      });
      for (const english of englishOnly(language)) expect(shown, `${language}: ${english}`).not.toContain(english);
      // The check can fail: the same scan finds the English page's words on the English page.
      expect(englishOnly(language)).toContain('Image');
      await context.close();
    }
  });
});
