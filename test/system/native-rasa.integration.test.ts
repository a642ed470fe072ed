/**
 * `NATIVE_API=on` with `VENDOR_KIND=rasa`: a front-end that posts to Rasa's REST channel
 * (`POST /webhooks/rest/webhook`) points at the gateway instead, with the Rasa stub behind. The
 * message is redacted on its way in; texts and button titles on their way out; payloads and the
 * sender pass as they came. Leaks are judged by the reference, payloads set aside.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { RASA_WEBHOOK_PATH, rasaBaseUrl, rasaHandler } from '../support/rasa-stub.js';

const PAYLOAD = '/betal{"kid":"12345678901234"}';
const SENDER = 'user-4711';
let gw: RunningGateway;
const bot = rasaHandler((message) => [
  { text: `Du skrev «${message}». Ring 22 33 4`, buttons: [{ title: 'Betal 7694.05.20300', payload: PAYLOAD }, { title: 'Les mer', url: 'https://bank.example/sak/98765432' }] },
  { image: 'https://bank.example/kvittering/98765432.png' },
  { image: 'https://bank.example/logo.png', custom: { kind: 'card' } },
]);

beforeAll(async () => {
  gw = await startTestGateway({ VENDOR_KIND: 'rasa', NATIVE_API: 'on' }, rasaBaseUrl);
  gw.stub.setHandler(bot);
});
afterEach(() => {
  gw.stub.reset();
  gw.stub.setHandler(bot);
});
afterAll(() => gw.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.httpUrl}${RASA_WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('native Rasa REST channel', () => {
  it('redacts the message in, texts and titles out, drops links with a number, and passes payloads and the sender', async () => {
    const answer = await post({ sender: SENDER, message: 'fnr 010190 12345 takk', metadata: { channel: 'web' } });
    expect(answer.status).toBe(200);
    const messages = (await answer.json()) as unknown[];
    expect(messages).toEqual([
      { recipient_id: SENDER, text: 'Du skrev «fnr  takk». Ring 22 33 4', buttons: [{ title: 'Betal ', payload: PAYLOAD }, { title: 'Les mer' }] },
      { recipient_id: SENDER },
      { recipient_id: SENDER, image: 'https://bank.example/logo.png', custom: { kind: 'card' } },
    ]);
    expect(gw.stub.requests.at(-1)!.body).toEqual({ sender: SENDER, message: 'fnr  takk', metadata: { channel: 'web' } });
    const judged = JSON.stringify(messages, (key, value: unknown) => (key === 'payload' ? undefined : value));
    expect(countLeaks(judged)).toBe(0);
    expect(gw.stub.requests.reduce((sum, request) => sum + countLeaks(request.rawBody), 0)).toBe(0);
    expect(gw.logs.lines().filter((line) => countLogLineLeaks(line) > 0)).toEqual([]);
  });

  it('refuses a body without a message in Rasa’s error shape, before Rasa hears of it', async () => {
    const before = gw.stub.requests.length;
    const answer = await post({ sender: SENDER, text: 'hei' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ status: 'failure', reason: 'invalid_request', code: 400 });
    expect(gw.stub.requests.length).toBe(before);
  });

  it('answers a Rasa that is down with 503 in Rasa’s shape', async () => {
    gw.stub.script({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    const answer = await post({ sender: SENDER, message: 'hei' });
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ status: 'failure', reason: 'vendor_unavailable', code: 503 });
  });

  it('without NATIVE_TOKEN, passes the client’s own authorization on', async () => {
    await post({ sender: SENDER, message: 'hei' }, { authorization: 'Bearer rasa-jwt' });
    expect(gw.stub.requests.at(-1)!.authorization).toBe('Bearer rasa-jwt');
  });
});
