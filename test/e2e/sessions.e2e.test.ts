/**
 * Sessions in Chromium: the widget survives the server dropping its connection and a server
 * restart with the same `SESSION_SECRET` — the transcript stays, the vendor sees one
 * conversation, the message cut by the shutdown is sent again with its id and answered once,
 * shown once — and a reload of the tab keeps the transcript and the conversation.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { testOutputPath } from '../support/browser.js';
import { countLeaks } from '../support/leak-judge.js';
import { startRestartableGateway, type RestartableGateway } from '../support/restartable-gateway.js';
import { jsonReply, sseReply } from '../support/vendor-stub.js';
import { recordFrames, sentOfType, useBrowser } from './browser-kit.js';

const ACTION_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 120_000;

const browser = useBrowser();
let gw: RestartableGateway | undefined;

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

async function send(page: Page, text: string): Promise<void> {
  await page.locator('#input').fill(text);
  await page.locator('#input').press('Enter');
}

/** The texts of the transcript's messages, in order. */
function transcript(page: Page): Promise<string[]> {
  return page.locator('#messages .message .message-text').allTextContents();
}

const conversationIds = (stub: NonNullable<RestartableGateway['stub']>): string[] =>
  stub.requests.map((request) => (request.body as { conversationId: string }).conversationId);

describe('sessions in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('keeps the transcript and the conversation through a dropped connection, a restart and a reload; the cut message is answered once', async () => {
    gw = await startRestartableGateway();
    const stub = gw.stub!;
    const context = await browser.newContext({ viewport: { width: 900, height: 860 }, locale: 'en-GB' }, ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    const frames = recordFrames(page);
    await page.goto(`${gw.httpUrl}/?lang=en`);
    await page.locator('#status[data-state="open"]').waitFor();

    await send(page, 'Hei, jeg har fnr 010190 12480');
    await page.locator('.message.bot[data-state="done"]').nth(0).waitFor();

    // A crash or a network drop: every TCP connection cut, no close frame.
    gw.dropConnections();
    await page.locator('#status[data-state="waiting"]', { hasText: /^Disconnected\. Reconnecting in \d+ s…$/ }).waitFor();
    await page.locator('#status[data-state="open"]').waitFor();
    await send(page, 'Er dere der fortsatt?');
    await page.locator('.message.bot[data-state="done"]').nth(1).waitFor();

    // A rolling deploy: the reply is being written when the server stops.
    stub.script(sseReply(['Et øyeblikk, jeg '], { done: false, then: 'hang' }), jsonReply('Du kan utsette betalingen i 14 dager.'));
    await send(page, 'Kan jeg utsette betalingen?');
    const cutReply = page.locator('.message.bot').nth(2);
    await cutReply.locator('.message-text', { hasText: 'Et øyeblikk' }).waitFor();
    await gw.stopInstance();
    await page.locator('#status[data-state="waiting"]').waitFor();
    expect(await page.locator('.message.user').nth(2).locator('.message-meta').textContent()).toBe('Will be sent again when the connection is back.');
    await page.screenshot({ path: testOutputPath('session-reconnecting.png'), fullPage: true });
    await gw.startInstance();

    await page.locator('.message.bot[data-state="done"]').nth(2).waitFor();
    expect(await cutReply.locator('.message-text').textContent()).toBe('Assistant: Du kan utsette betalingen i 14 dager.');
    expect(await page.locator('.message.bot').count()).toBe(3);
    const cutId = (sentOfType(frames, 'message').at(-1)!.id as string);
    expect(sentOfType(frames, 'message').map((frame) => frame.id).filter((id) => id === cutId)).toHaveLength(2);
    expect(await page.locator(`.message.bot[data-reply-to="${cutId}"]`).count()).toBe(1);
    const keys = stub.requests.map((request) => request.idempotencyKey);
    expect(keys.slice(-2)[0]).toBe(keys.slice(-2)[1]);
    expect(new Set(conversationIds(stub)).size).toBe(1);
    const resumes = frames.received.map((text) => JSON.parse(text) as { type: string; resumed?: boolean }).filter((frame) => frame.type === 'session' && frame.resumed === true);
    expect(resumes.length).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: testOutputPath('session-resumed.png'), fullPage: true });

    const before = await transcript(page);
    expect(before).toEqual([
      'You: Hei, jeg har fnr ',
      'Assistant: echo: Hei, jeg har fnr ',
      'You: Er dere der fortsatt?',
      'Assistant: echo: Er dere der fortsatt?',
      'You: Kan jeg utsette betalingen?',
      'Assistant: Du kan utsette betalingen i 14 dager.',
    ]);

    // A reload of the tab: the same transcript from sessionStorage, the same conversation.
    await page.reload();
    await page.locator('#status[data-state="open"]').waitFor();
    expect(await transcript(page)).toEqual(before);
    await send(page, 'Takk!');
    await page.locator('.message.bot[data-state="done"]').nth(3).waitFor();
    expect(new Set(conversationIds(stub)).size).toBe(1);
    expect(stub.requests).toHaveLength(5);
    for (const frame of frames.sent) expect(countLeaks(frame), frame).toBe(0);
    expect(countLeaks(await page.evaluate(() => JSON.stringify({ ...sessionStorage })))).toBe(0);
  });

  it('starts a new conversation, and says so, when the token is refused (a gateway with another secret); the transcript stays', async () => {
    gw = await startRestartableGateway();
    const stub = gw.stub!;
    const context = await browser.newContext({ viewport: { width: 900, height: 860 }, locale: 'en-GB' }, ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    await page.goto(`${gw.httpUrl}/?lang=en`);
    await page.locator('#status[data-state="open"]').waitFor();
    await send(page, 'Hei');
    await page.locator('.message.bot[data-state="done"]').waitFor();

    await gw.stopInstance();
    await page.locator('#status[data-state="waiting"]').waitFor();
    await gw.startInstance({ SESSION_SECRET: 'another-deployment-secret-of-enough-letters' });
    const note = page.locator('.message.system .system-note');
    await note.waitFor();
    expect(await note.textContent()).toBe('The earlier conversation could not be resumed, so a new one has begun.');
    await page.locator('#status[data-state="open"]').waitFor();
    await send(page, 'Er dere der?');
    await page.locator('.message.bot[data-state="done"]').nth(1).waitFor();
    expect(await transcript(page)).toEqual(['You: Hei', 'Assistant: echo: Hei', 'You: Er dere der?', 'Assistant: echo: Er dere der?']);
    const ids = conversationIds(stub);
    expect(ids).toHaveLength(2);
    expect(ids[1]).not.toBe(ids[0]);
  });
});
