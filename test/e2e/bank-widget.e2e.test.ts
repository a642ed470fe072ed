/**
 * Issue 23's widget in Chromium against the real gateway: the notice in the page's language
 * (bokmål, nynorsk, English) and folded once a message is sent, one click or Enter to open it;
 * a number sent in two messages caught before the second leaves the browser, the hint saying
 * why; Send disabled with the reason when nothing would be left; a human agent shown as a
 * person; axe-core clean throughout. Its screenshots are the README's (docs/images).
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRIVACY_NOTICE_EN, DEFAULT_PRIVACY_NOTICE_NB } from '../../src/config/load-config.js';
import { testOutputPath } from '../support/browser.js';
import { countLeaks } from '../support/leak-judge.js';
import { startRestartableGateway, type RestartableGateway } from '../support/restartable-gateway.js';
import { createScriptedChatbot } from '../support/scripted-chatbot.js';
import { findSeriousViolations, recordFrames, sentOfType, useBrowser, type BrowserFrames } from './browser-kit.js';

const ACTION_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 90_000;
/** A phone's viewport: the notice must leave room for the conversation. */
const PHONE = { width: 390, height: 844 };
/** Written where the suite keeps its output; the README's copies in docs/images are taken from a run. */
const SCREENSHOTS = (name: string): string => testOutputPath(name);

const browser = useBrowser();
let gateway: RestartableGateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

async function openChat(baseUrl: string, query: string, locale = 'nb-NO'): Promise<{ page: Page; frames: BrowserFrames }> {
  const context = await browser.newContext({ viewport: PHONE, colorScheme: 'light', locale }, ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  const frames = recordFrames(page);
  expect((await page.goto(`${baseUrl}/${query}`))?.status()).toBe(200);
  await page.locator('#status[data-state="open"]').waitFor();
  await page.locator('#notice').waitFor({ state: 'visible' });
  return { page, frames };
}

async function send(page: Page, text: string): Promise<void> {
  await page.locator('#input').fill(text);
  await page.locator('#input').press('Enter');
}

describe('the bank widget in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('says the notice in the page\'s language alone, folds it once a message is sent, and opens it again with one click', async () => {
    gateway = await startRestartableGateway({ demoBot: true });
    const cases = [
      ['nb', 'Personvern', DEFAULT_PRIVACY_NOTICE_NB, 'Tall med sju eller flere sifre'],
      ['nn', 'Personvern', DEFAULT_PRIVACY_NOTICE_NB, 'Tal med sju eller fleire siffer'],
      ['en', 'Privacy notice', DEFAULT_PRIVACY_NOTICE_EN, 'Numbers of seven digits or more'],
    ] as const;
    for (const [language, summary, notice, subtitle] of cases) {
      const { page } = await openChat(gateway.httpUrl, `?lang=${language}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(language);
      expect(await page.locator('#notice summary').textContent()).toBe(summary);
      expect(await page.locator('#notice-text').textContent()).toBe(notice);
      expect(await page.locator('.subtitle').textContent()).toContain(subtitle);
      expect(await page.locator('#notice').getAttribute('open')).not.toBeNull();
      expect(await findSeriousViolations(page)).toEqual([]);
      await page.screenshot({ path: SCREENSHOTS(`widget-${language}-open.png`) });

      await send(page, language === 'en' ? 'hello' : 'hei');
      await page.locator('.message.user[data-state="sent"]').waitFor();
      expect(await page.locator('#notice').getAttribute('open')).toBeNull();
      const folded = await page.locator('#notice').boundingBox();
      expect(folded!.height).toBeLessThan(60);
      await page.screenshot({ path: SCREENSHOTS(`widget-${language}-folded.png`) });
      await page.locator('#notice summary').click();
      expect(await page.locator('#notice').getAttribute('open')).not.toBeNull();
      await page.context().close();
    }
  });

  it('catches a number sent in two messages before the second leaves the browser, and says why while the user types', async () => {
    gateway = await startRestartableGateway({ demoBot: true });
    const { page, frames } = await openChat(gateway.httpUrl, '?lang=nb');
    await send(page, 'fødselsnummeret mitt er 010190');
    await page.locator('.message.user[data-state="sent"]').waitFor();
    await page.locator('#input').pressSequentially('12345 takk', { delay: 10 });
    await expect
      .poll(() => page.locator('#redaction-hint').textContent())
      .toBe('Sifrene først i meldingen ville fullføre tallet forrige melding sluttet med, så de blir fjernet.');
    await page.screenshot({ path: SCREENSHOTS('widget-split-hint.png') });
    await page.locator('#input').press('Enter');
    await page.locator('.message.user[data-state="sent"]').nth(1).waitFor();
    const messages = sentOfType(frames, 'message');
    expect(messages.map((m) => m.text)).toEqual(['fødselsnummeret mitt er 010190', ' takk']);
    expect(messages[1]).toMatchObject({ removed: { split: 1 } });
    expect(countLeaks(messages.map((m) => String(m.text)).join(''))).toBe(0);
  });

  it('disables Send, saying why, while nothing would be left to send', async () => {
    gateway = await startRestartableGateway({ demoBot: true });
    const { page } = await openChat(gateway.httpUrl, '?lang=nn', 'nn-NO');
    const sendButton = page.locator('#send');
    expect(await sendButton.isDisabled()).toBe(false);
    await page.locator('#input').fill('98 76 54 32');
    await expect.poll(() => sendButton.isDisabled()).toBe(true);
    expect(await page.locator('#redaction-hint').textContent()).toBe('Det er ingenting att å sende når talet er fjerna.');
    await page.locator('#input').fill('98 76 54 32, kva kostar det?');
    await expect.poll(() => sendButton.isDisabled()).toBe(false);
    expect(await page.locator('#redaction-hint').textContent()).toBe('Eit tal med sju eller fleire siffer blir fjerna før sending.');
  });

  it('with REDACT_KEEP keeps amounts, due dates and org numbers in the browser as the gateway does, and lets an amount alone be sent', async () => {
    gateway = await startRestartableGateway({ demoBot: true, env: { REDACT_KEEP: 'amounts,future_dates,org_numbers' } });
    const { page, frames } = await openChat(gateway.httpUrl, '?lang=nb');
    const sendButton = page.locator('#send');
    await page.locator('#input').fill('1 250 000,00 kr');
    await expect.poll(() => sendButton.isDisabled()).toBe(false);
    await page.locator('#input').fill('1 250 000,00'); // no currency mark: no amount, nothing left
    await expect.poll(() => sendButton.isDisabled()).toBe(true);
    // Synthetic: the org number's and the fødselsnummer's check digits are right.
    await send(page, 'Jeg skylder 1 250 000,00 kr til org.nr 923 609 016 innen 15.01.2099, fnr 150765 00565');
    await page.locator('.message.user[data-state="sent"]').waitFor();
    const [message] = sentOfType(frames, 'message');
    expect(message).toMatchObject({ text: 'Jeg skylder 1 250 000,00 kr til org.nr 923 609 016 innen 15.01.2099, fnr ', removed: { national_id: 1 } });
    expect(await page.locator('.message.user .message-text').textContent()).toBe(`Du: ${String(message!.text)}`);
  });

  it('shows a human agent as a person with a label of its own, never as the assistant, by keyboard alone too', async () => {
    gateway = await startRestartableGateway({
      chatbot: createScriptedChatbot({ greeting: [{ type: 'author', from: 'agent' }, 'Hei, Kari her fra kundeservice.'] }),
    });
    const { page } = await openChat(gateway.httpUrl, '?lang=nb');
    const agent = page.locator('.message.bot.agent[data-state="done"]');
    await agent.waitFor();
    expect(await agent.locator('.message-text').textContent()).toBe('Kundebehandler: Hei, Kari her fra kundeservice.');
    expect(await findSeriousViolations(page)).toEqual([]);
    // The notice's summary is reached by Tab and toggled by Enter, like any control.
    await page.locator('#notice summary').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#notice').getAttribute('open')).toBeNull();
    await page.keyboard.press('Enter');
    expect(await page.locator('#notice').getAttribute('open')).not.toBeNull();
    await page.screenshot({ path: SCREENSHOTS('widget-agent.png') });
  });
});
