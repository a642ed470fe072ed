/**
 * The chat page in a real browser (Chromium: see test/support/browser.ts) against the real
 * gateway: numbers typed as a person types them are removed before they leave the browser (the
 * frames are read from the browser's side and judged by the reference), the transcript shows
 * what was sent, the gateway counts what the widget removed; buttons and links of the demo bot,
 * the whole chat by keyboard alone, and axe-core on the page.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { testOutputPath } from '../support/browser.js';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';
import { startRestartableGateway, type RestartableGateway } from '../support/restartable-gateway.js';
import { createScriptedChatbot } from '../support/scripted-chatbot.js';
import { sseReply, statusReply } from '../support/vendor-stub.js';
import { findSeriousViolations, recordFrames, sentOfType, useBrowser, type BrowserFrames } from './browser-kit.js';

/** Synthetic numbers, typed as people write them: a fødselsnummer with a space, a phone number with dots, a card in full-width digits. */
const NATIONAL_ID_PART = 'Mitt fnr er 010190 12480';
const REST = ', ring meg på 915.04.738 eller bruk kortet ４１１１ １１１１ １１１１ １１１１, takk';
const TYPED = NATIONAL_ID_PART + REST;
const SENT_TEXT = referenceRedact(TYPED).text;
/** The vendor's streamed answer: its phone number is cut across two events, mid-group. */
const REPLY_EVENTS = ['Takk! Vi ringer deg på 915 0', '4 738 i morgen.'];
const REPLY_SHOWN = referenceRedact(REPLY_EVENTS.join('')).text;
const KEY_DELAY_MS = 15;
const ACTION_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 90_000;

const browser = useBrowser();
let stubGateway: RunningGateway | undefined;
let demoGateway: RestartableGateway | undefined;

afterEach(async () => {
  await stubGateway?.stop();
  stubGateway = undefined;
  await demoGateway?.stop();
  demoGateway = undefined;
});

/** The page of `baseUrl` open and connected, its frames recorded from the first. */
async function openChat(baseUrl: string, query = '?lang=en'): Promise<{ page: Page; frames: BrowserFrames }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 860 }, colorScheme: 'light', locale: 'en-GB' }, ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  const frames = recordFrames(page);
  const response = await page.goto(`${baseUrl}/${query}`);
  expect(response?.status()).toBe(200);
  await page.locator('#status[data-state="open"]').waitFor();
  return { page, frames };
}

/** The log without pino's own fields; numbers rounded (a duration of `12345.67` ms is no identity number). */
function logWithoutOwnFields(gw: RunningGateway): string {
  return gw.logs
    .lines()
    .map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) =>
      JSON.stringify(rest, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value) : value)),
    )
    .join('\n');
}

async function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element === null ? '' : `${element.tagName.toLowerCase()}#${element.id}.${element.className}`;
  });
}

describe('chat widget in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('removes typed numbers before they leave the browser: the hint first, no number in any frame, the transcript as sent, the metric by kind', async () => {
    stubGateway = await startTestGateway();
    const gw = stubGateway;
    gw.stub.script(sseReply(REPLY_EVENTS));
    const { page, frames } = await openChat(gw.httpUrl);
    await page.locator('#notice').waitFor({ state: 'visible' });

    const input = page.locator('#input');
    const hint = page.locator('#redaction-hint');
    await input.pressSequentially(NATIONAL_ID_PART, { delay: KEY_DELAY_MS });
    await expect.poll(() => hint.textContent()).toBe('A number of seven or more digits will be removed before sending.');
    await input.pressSequentially(REST, { delay: KEY_DELAY_MS });
    await expect.poll(() => hint.textContent()).toBe('3 numbers of seven or more digits will be removed before sending.');
    expect(await hint.getAttribute('aria-live')).toBe('polite');
    expect(sentOfType(frames, 'message')).toEqual([]);
    await page.screenshot({ path: testOutputPath('widget-hint.png'), fullPage: true });

    await input.press('Enter');
    const user = page.locator('.message.user[data-state="sent"]');
    await user.waitFor();
    expect(await user.locator('.message-text').textContent()).toBe(`You: ${SENT_TEXT}`);
    expect(await user.locator('.redaction-note').textContent()).toBe('3 numbers were removed before sending.');
    expect(await input.inputValue()).toBe('');
    expect(await hint.textContent()).toBe('');
    const bot = page.locator('.message.bot[data-state="done"]');
    await bot.waitFor();
    expect(await bot.locator('.message-text').textContent()).toBe(`Assistant: ${REPLY_SHOWN}`);
    await page.screenshot({ path: testOutputPath('widget-sent.png'), fullPage: true });

    const [message] = sentOfType(frames, 'message');
    expect(message).toMatchObject({ text: SENT_TEXT, removed: { national_id: 1, phone: 1, payment_card: 1 } });
    expect(frames.sent.length).toBeGreaterThan(0);
    for (const frame of frames.sent) expect(countLeaks(frame), frame).toBe(0);
    for (const frame of frames.received) expect(countLeaks(frame), frame).toBe(0);
    expect(countLeaks(await page.locator('body').innerText())).toBe(0);
    expect(countLeaks(await page.content())).toBe(0);
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    expect(countLeaks(stored)).toBe(0);

    await gw.stub.settled();
    expect((gw.stub.requests[0]!.body as { text: string }).text).toBe(SENT_TEXT);
    for (const kind of ['national_id', 'phone', 'payment_card']) {
      expect(await readMetric(gw.httpUrl, `chat_redact_widget_redactions_total{kind="${kind}"}`), kind).toBe(1);
    }
    const log = logWithoutOwnFields(gw);
    expect(log).toContain('gateway listening');
    expect(countLeaks(log)).toBe(0);
  });

  it('shows an error note on the message when the vendor fails', async () => {
    stubGateway = await startTestGateway();
    stubGateway.stub.setHandler(() => statusReply(500));
    const { page } = await openChat(stubGateway.httpUrl);
    await page.locator('#input').fill('Hei, kan dere hjelpe meg?');
    await page.locator('#send').click();
    const note = page.locator('.message.user .error-note');
    await note.waitFor();
    expect(await note.textContent()).toBe('The assistant could not answer this message.');
    expect(await page.locator('.message.user').getAttribute('data-state')).toBe('sent');
    expect(await page.locator('.message.bot').count()).toBe(0);
    expect(await page.locator('#status').getAttribute('data-state')).toBe('open');
    await page.screenshot({ path: testOutputPath('widget-vendor-error.png'), fullPage: true });
  });

  it('is used by keyboard alone: Tab to the box, Enter sends, Shift+Tab to a quick reply, Enter clicks it; links open in a new tab', async () => {
    demoGateway = await startRestartableGateway({ demoBot: true });
    const { page, frames } = await openChat(demoGateway.httpUrl);
    for (let presses = 0; presses < 10 && (await focusedDescription(page)) !== 'textarea#input.'; presses += 1) await page.keyboard.press('Tab');
    expect(await focusedDescription(page)).toBe('textarea#input.');
    await page.keyboard.type('Hello, how do I pay an invoice?', { delay: KEY_DELAY_MS });
    await page.keyboard.press('Enter');
    const firstReply = page.locator('.message.bot[data-state="done"]').first();
    await firstReply.waitFor();
    const buttons = firstReply.locator('.actions button.action-button');
    expect(await buttons.count()).toBeGreaterThan(0);
    const link = firstReply.locator('.actions a.action-link');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/www\.datatilsynet\.no\//);
    expect(await page.locator('.actions').first().getAttribute('aria-label')).toBe('Suggested replies');

    const label = (await buttons.first().textContent())!;
    for (let presses = 0; presses < 10 && !(await focusedDescription(page)).startsWith('button#.action action-button'); presses += 1) {
      await page.keyboard.press('Shift+Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(label);
    await page.keyboard.press('Enter');
    const click = page.locator('.message.user[data-state="sent"]').nth(1);
    await click.waitFor();
    expect(await click.locator('.message-text').textContent()).toBe(`You: ${label}`);
    expect(sentOfType(frames, 'action')).toHaveLength(1);
    await page.locator('.message.bot[data-state="done"]').nth(1).waitFor();
    expect(await focusedDescription(page)).toBe('textarea#input.');
    expect(await firstReply.locator('.actions button.action-button:not([disabled])').count()).toBe(0);
    await page.screenshot({ path: testOutputPath('widget-actions.png'), fullPage: true });

    expect(await findSeriousViolations(page)).toEqual([]);
  });

  it("shows the vendor's own messages (a greeting, a human agent) as the bot's, redacted, with their buttons", async () => {
    const greeting = 'Velkommen! Ring oss gjerne på 22 00 00 00.';
    demoGateway = await startRestartableGateway({
      chatbot: createScriptedChatbot({ greeting: [greeting, { type: 'actions', actions: [{ label: 'Faktura', payload: 'invoice' }] }] }),
    });
    const { page } = await openChat(demoGateway.httpUrl);
    const bot = page.locator('.message.bot[data-state="done"]');
    await bot.waitFor();
    expect(await bot.getAttribute('data-reply-to')).toBeNull();
    expect(await bot.locator('.message-text').textContent()).toBe(`Assistant: ${referenceRedact(greeting).text}`);
    await bot.locator('button.action-button', { hasText: 'Faktura' }).click();
    await page.locator('.message.bot[data-state="done"]').nth(1).waitFor();
    expect(await page.locator('.message.bot').nth(1).locator('.message-text').textContent()).toBe('Assistant: you said: Faktura');
  });

  it('never writes a query string into the page: the heading and title stay the page’s own', async () => {
    demoGateway = await startRestartableGateway({ demoBot: true });
    const injected = new URLSearchParams({ lang: 'en', title: 'Ring 98 76 54 32 <b>nå</b>', subtitle: 'x 12345678' });
    for (const path of ['/', '/chat-frame']) {
      const { page } = await openChat(demoGateway.httpUrl, `${path === '/' ? '' : path.slice(1)}?${injected}`);
      expect(await page.locator('#chat-title').textContent(), path).toBe('Customer service');
      expect(await page.title()).toBe('Customer service');
      expect(await page.locator('#chat-title b').count()).toBe(0);
      expect(countLeaks(await page.locator('body').innerText())).toBe(0);
      await page.context().close();
    }
  });

  it('has no serious or critical axe-core finding, in English and in Norwegian, light and dark', async () => {
    demoGateway = await startRestartableGateway({ demoBot: true });
    for (const [query, scheme] of [['?lang=en', 'light'], ['?lang=nb', 'dark']] as const) {
      const { page } = await openChat(demoGateway.httpUrl, query);
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.locator('#input').fill('Hei, hvordan kontakter jeg dere? 010190 12480');
      await page.locator('#send').click();
      await page.locator('.message.bot[data-state="done"]').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(query.slice(-2));
      expect(await findSeriousViolations(page), query).toEqual([]);
      await page.screenshot({ path: testOutputPath(`widget-${query.slice(-2)}-${scheme}.png`), fullPage: true });
      await page.context().close();
    }
  });
});
