/**
 * Line breaks as a person sees them, in Chromium against the real gateway and a vendor stub: a
 * number written across lines — `98\r76\r54\r32` in a reply, `98`, U+2028, `76`, U+2029, `54`,
 * form feed, `32` typed — is drawn on four lines, never as `98765432`, in the message sent, in
 * the reply, and in the transcript restored after a reload. The lines are read from the page as
 * rendered (where each character is drawn), not from its text.
 */
import type { Locator } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { testOutputPath } from '../support/browser.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { sseReply } from '../support/vendor-stub.js';
import { recordFrames, sentOfType, useBrowser } from './browser-kit.js';

const ACTION_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 90_000;
const TYPED = '98\u202876\u202954\f32';
/** The vendor's reply, its carriage returns cut across two events. */
const REPLY_EVENTS = ['98\r76\r', '54\r32'];
const FOUR_LINES = ['98', '76', '54', '32'];

const browser = useBrowser();
let gw: RunningGateway | undefined;

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

/**
 * The lines a message's text is drawn on: its visible characters grouped by where the browser
 * put them, top to bottom (the hidden "You:"/"Assistant:" aside).
 */
function renderedLines(message: Locator): Promise<string[]> {
  return message.locator('.message-text').evaluate((element) => {
    const lines = new Map<number, string>();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      if (node.parentElement?.closest('.visually-hidden') !== null) continue;
      const text = node.textContent ?? '';
      for (let at = 0; at < text.length; at += 1) {
        if (!/\p{Nd}/u.test(text[at]!)) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        lines.set(top, (lines.get(top) ?? '') + text[at]);
      }
    }
    return [...lines].sort(([a], [b]) => a - b).map(([, line]) => line);
  });
}

describe('line breaks in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('draws a number written across lines on its lines, typed and replied, and again after a reload', async () => {
    gw = await startTestGateway();
    gw.stub.script(sseReply(REPLY_EVENTS));
    const context = await browser.newContext({ viewport: { width: 900, height: 860 }, colorScheme: 'light', locale: 'en-GB' }, ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    const frames = recordFrames(page);
    await page.goto(`${gw.httpUrl}/?lang=en`);
    await page.locator('#status[data-state="open"]').waitFor();

    await page.locator('#input').fill(TYPED);
    expect(await page.locator('#redaction-hint').textContent()).toBe('');
    await page.locator('#input').press('Enter');
    const user = page.locator('.message.user[data-state="sent"]');
    await user.waitFor();
    const bot = page.locator('.message.bot[data-state="done"]');
    await bot.waitFor();
    expect(await renderedLines(user)).toEqual(FOUR_LINES);
    expect(await renderedLines(bot)).toEqual(FOUR_LINES);
    await page.screenshot({ path: testOutputPath('widget-line-breaks.png'), fullPage: true });

    expect(sentOfType(frames, 'message')).toMatchObject([{ text: '98\n76\n54\n32' }]);
    await gw.stub.settled();
    expect((gw.stub.requests[0]!.body as { text: string }).text).toBe('98\n76\n54\n32');
    for (const frame of [...frames.sent, ...frames.received]) expect(countLeaks(frame), frame).toBe(0);
    expect(countLeaks(await page.locator('#messages').innerText())).toBe(0);

    await page.reload();
    await page.locator('#status[data-state="open"]').waitFor();
    expect(await renderedLines(page.locator('.message.user'))).toEqual(FOUR_LINES);
    expect(await renderedLines(page.locator('.message.bot'))).toEqual(FOUR_LINES);
  });
});
