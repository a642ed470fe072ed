/**
 * VENDOR_KIND=rasa through the real server, a real ws client and a stub of Rasa's REST channel:
 * one Rasa tracker per chat, buttons as actions whose payload (with digits in it) goes back to
 * Rasa as it came and never reaches the widget, an empty answer as an empty reply, nothing with a
 * number in any frame or log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { rasaBaseUrl, rasaHandler } from '../support/rasa-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const PAYLOAD = '/betal{"kid":"12345678901234"}';
let gw: RunningGateway;
const bot = rasaHandler((message, turn) => {
  if (message === PAYLOAD) return [{ text: 'Fakturaen med KID 12345678901234 er betalt.' }];
  if (message === 'stille') return [];
  return [
    { text: turn === 1 ? `Hei! Du skrev «${message}».` : `Igjen: ${message}` },
    { text: 'Vil du betale?', buttons: [{ title: 'Betal nå', payload: PAYLOAD }, { title: 'Ring 22 33 44 55', payload: '/ring' }] },
    { image: 'https://bank.example/kvittering/98765432.png' },
  ];
});

beforeAll(async () => {
  gw = await startTestGateway({ VENDOR_KIND: 'rasa' }, rasaBaseUrl);
});
afterAll(async () => {
  await gw.stop();
});

async function finalOf(client: TestClient, id: string): Promise<void> {
  await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
}

describe('a Rasa bot through the gateway', () => {
  it('keeps one tracker per chat, turns buttons into actions and sends the payload back on a click', async () => {
    gw.stub.setHandler(bot);
    const client = await connectClient(gw.chatUrl);
    client.send({ type: 'message', id: 'm1', text: 'hei, tlf 98 76 54 32' });
    await finalOf(client, 'm1');
    const reply = client.frames.filter((f) => f.id === 'm1' && f.type === 'reply');
    expect(reply.map((f) => f.text).join('')).toBe('Hei! Du skrev «hei, tlf ».\n\nVil du betale?');
    const actions = reply.flatMap((f) => f.actions ?? []);
    // The image link holds a number and is dropped; the label with a number is redacted.
    expect(actions.map((a) => [a.label, a.url])).toEqual([
      ['Betal nå', undefined],
      ['Ring ', undefined],
    ]);
    client.send({ type: 'message', id: 'm2', text: 'en gang til' });
    await finalOf(client, 'm2');
    client.send({ type: 'action', id: 'm3', action: actions[0]!.id });
    await finalOf(client, 'm3');
    expect(client.frames.find((f) => f.id === 'm3' && f.type === 'ack')).toMatchObject({ text: 'Betal nå', redactions: 0 });
    expect(client.frames.filter((f) => f.id === 'm3' && f.type === 'reply').map((f) => f.text).join('')).toBe('Fakturaen med KID  er betalt.');

    const bodies = gw.stub.requests.map((r) => r.body as { sender: string; message: string });
    expect(new Set(bodies.map((b) => b.sender)).size).toBe(1);
    expect(bodies.map((b) => b.message)).toEqual(['hei, tlf ', 'en gang til', PAYLOAD]);
    expect(bot.turns.get(bodies[0]!.sender)).toBe(3);
    for (const frame of client.frames) {
      expect(countLeaks(JSON.stringify(frame))).toBe(0);
      expect(JSON.stringify(frame)).not.toContain('/betal');
    }
    for (const line of gw.logs.lines()) expect(countLogLineLeaks(line)).toBe(0);
    client.ws.close();
  });

  it('answers an empty list with an empty final reply, not an error', async () => {
    gw.stub.setHandler(bot);
    const client = await connectClient(gw.chatUrl);
    client.send({ type: 'message', id: 'q', text: 'stille' });
    await finalOf(client, 'q');
    expect(client.frames.filter((f) => f.id === 'q' && f.type !== 'ack')).toEqual([{ type: 'reply', id: 'q', text: '', final: true }]);
    client.ws.close();
  });

  it('drops every link whose number a server would read, however it is encoded, and passes a clean one', async () => {
    const smuggled = [
      'https://x.example/?tel=98+76+54+32',
      'https://x.example/#tel=98+76+54+32',
      'https://x.example/tel/98+76+54+32.png',
      'https://x.example/?tel=%2539%2538%2537%2536%2535%2534%2533%2532',
      'https://x.example/?tel=%26%2357%3B%26%2356%3B765432',
      'https://x.example/?tel=98&nbsp;76&nbsp;54&nbsp;32',
    ];
    const clean = 'https://x.example/kvittering.png?side=2&sortering=dato+ny';
    gw.stub.setHandler(rasaHandler(() => [...smuggled, clean].map((image) => ({ image }))));
    const client = await connectClient(gw.chatUrl);
    client.send({ type: 'message', id: 'l', text: 'kvittering' });
    await finalOf(client, 'l');
    const urls = client.frames.flatMap((f) => f.actions ?? []).map((action) => action.url);
    expect(urls).toEqual([clean]);
    for (const frame of client.frames) expect(countLeaks(JSON.stringify(frame))).toBe(0);
    const query = [...new URLSearchParams(new URL(clean).search)].flat().join(' ');
    expect(countLeaks(query)).toBe(0);
    client.ws.close();
  });

  it('answers a click on an action it never offered with unknown_action, and sends Rasa nothing', async () => {
    const before = gw.stub.requests.length;
    const client = await connectClient(gw.chatUrl);
    client.send({ type: 'action', id: 'x', action: 'abcdefghijkl' });
    expect(await client.waitFor((f) => f.type === 'error')).toMatchObject({ id: 'x', code: 'unknown_action' });
    expect(gw.stub.requests.length).toBe(before);
    client.ws.close();
  });
});
