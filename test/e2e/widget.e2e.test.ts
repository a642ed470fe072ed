/**
 * The demo widget in a real browser (Chromium: see test/support/browser.ts) against the real gateway and a real HTTP
 * vendor stub: what a person types and reads, what the vendor receives and what the log keeps.
 */
import type { Socket } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, testOutputPath } from '../support/browser.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { sseReply, statusReply } from '../support/vendor-stub.js';

/** A synthetic fødselsnummer written as people do, with a space. */
const USER_TEXT = 'Mitt fødselsnummer er 010190 12345';
const USER_TEXT_REDACTED = 'Mitt fødselsnummer er ';
/** The vendor's streamed answer: its phone number is cut across two events, mid-group. */
const REPLY_EVENTS = ['Takk! Vi ringer deg på 915 0', '4 738 i morgen.'];
const REPLY_REDACTED = 'Takk! Vi ringer deg på  i morgen.';
/** Every digit group of both numbers: none may survive anywhere. */
const NUMBER_PARTS = ['010190', '12345', '01019012345', '915 0', '4 738', '91504738'];

const REDACTION_NOTE = '1 number was removed before sending. / 1 tall ble fjernet før sending.';
const VENDOR_ERROR_NOTE = 'The assistant could not answer this message. / Assistenten kunne ikke svare på denne meldingen.';
const ACTION_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 60_000;

/** No part of either number, and no number combination of 7+ digits by the reference judge. */
function expectNoNumber(where: string, text: string): void {
  for (const part of NUMBER_PARTS) expect(text, `${where} contains "${part}"`).not.toContain(part);
  expect(countLeaks(text), `${where} has a number combination`).toBe(0);
}

/**
 * The log without pino's own `time`, `pid` and `hostname` (a clock, a process id, a machine
 * name). Numbers are rounded: a duration such as `12345.67` ms reads as seven digits, while an
 * identity number logged as a number keeps all of its digits.
 */
function logWithoutOwnFields(gw: RunningGateway): string {
  return gw.logs
    .lines()
    .map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) =>
      JSON.stringify(rest, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value) : value)),
    )
    .join('\n');
}

let browser: Browser;
let context: BrowserContext | undefined;
let gw: RunningGateway | undefined;

beforeAll(async () => {
  browser = await launchChromium();
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  await gw?.stop();
  gw = undefined;
});

/** A fresh gateway and stub, and the widget page open and connected; `sockets` are the server's TCP connections. */
async function openWidget(): Promise<{ gw: RunningGateway; page: Page; sockets: Set<Socket> }> {
  gw = await startTestGateway();
  const sockets = new Set<Socket>();
  gw.gateway.server.on('connection', (socket: Socket) => sockets.add(socket));
  context = await browser.newContext({ viewport: { width: 900, height: 860 }, colorScheme: 'light', locale: 'nb-NO' });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  const response = await page.goto(`${gw.httpUrl}/`);
  expect(response?.status()).toBe(200);
  await page.locator('#status[data-state="open"]').waitFor();
  return { gw, page, sockets };
}

async function sendMessage(page: Page, text: string): Promise<void> {
  await page.locator('#input').fill(text);
  await page.locator('#send').click();
}

describe('chat widget in Chromium', { timeout: TEST_TIMEOUT_MS }, () => {
  it('shows the notice, replaces the sent number, shows the redacted streamed reply, and leaks no number anywhere', async () => {
    const { gw, page } = await openWidget();
    gw.stub.script(sseReply(REPLY_EVENTS));

    const notice = page.locator('#notice');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.textContent()).toMatch(/seven or more digits/);

    await sendMessage(page, USER_TEXT);
    const user = page.locator('.message.user[data-state="sent"]');
    await user.waitFor();
    expect(await user.locator('.message-text').textContent()).toBe(USER_TEXT_REDACTED);
    expect(await user.locator('.redaction-note').textContent()).toBe(REDACTION_NOTE);
    expect(await page.locator('#input').inputValue()).toBe('');

    const bot = page.locator('.message.bot[data-state="done"]');
    await bot.waitFor();
    expect(await bot.locator('.message-text').textContent()).toBe(REPLY_REDACTED);
    expect(await page.locator('.message').count()).toBe(2);
    expect(await page.locator('.error-note').count()).toBe(0);

    await page.screenshot({ path: testOutputPath('widget-chat.png'), fullPage: true });

    expectNoNumber('page text', await page.locator('body').innerText());
    expectNoNumber('page HTML', await page.content());

    await gw.stub.settled();
    expect(gw.stub.requests).toHaveLength(1);
    expect((gw.stub.requests[0]!.body as { text?: unknown }).text).toBe(USER_TEXT_REDACTED);
    for (const request of gw.stub.requests) expectNoNumber('vendor request body', request.rawBody);

    const log = logWithoutOwnFields(gw);
    expect(log).toContain('gateway listening'); // the capture did receive the log
    expectNoNumber('server log', log);
  });

  it('shows an error note on the message when the vendor fails', async () => {
    const { gw, page } = await openWidget();
    gw.stub.setHandler(() => statusReply(500));

    await sendMessage(page, 'Hei, kan dere hjelpe meg?');
    const note = page.locator('.message.user .error-note');
    await note.waitFor();
    expect(await note.textContent()).toBe(VENDOR_ERROR_NOTE);
    expect(await page.locator('.message.user').getAttribute('data-state')).toBe('sent');
    expect(await page.locator('.message.bot').count()).toBe(0);
    expect(gw.stub.requests).toHaveLength(1);
    expect(await page.locator('#status').getAttribute('data-state')).toBe('open');

    await page.screenshot({ path: testOutputPath('widget-vendor-error.png'), fullPage: true });
  });

  it('reconnects after the server drops the connection, and chats again', async () => {
    const { gw, page, sockets } = await openWidget();
    expect(gw.gateway.chat.size).toBe(1);

    // Every TCP connection, the chat's included, cut without a close frame: as a crash or a network drop.
    for (const socket of sockets) socket.destroy();
    // One wait for state and text together: the widget retries within a second, so a second look could miss it.
    await page.locator('#status[data-state="waiting"]', { hasText: /^Disconnected\. Reconnecting in \d+ s…/ }).waitFor();
    await page.locator('#status[data-state="open"]').waitFor();

    await sendMessage(page, 'Er dere der igjen?');
    const bot = page.locator('.message.bot[data-state="done"]');
    await bot.waitFor();
    expect(await bot.locator('.message-text').textContent()).toBe('echo: Er dere der igjen?');
  });
});
