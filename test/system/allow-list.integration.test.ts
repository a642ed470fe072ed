/**
 * The help bot of issue 12, end to end: with REDACT_ALLOW set, the bot can tell a customer the
 * organisation's public numbers and the customer can type them back; every other number is still
 * deleted in both directions, and what was kept is counted by direction — never named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { referenceRedact } from '../support/reference.js';
import { sseReply } from '../support/vendor-stub.js';
import { connectClient } from '../support/ws-client.js';

const PUBLIC_NUMBERS = ['+47 21 49 60 00', '21 49 60 00', '7694.05.20300'];
const POLICY = { minDigits: 7, maxGap: 3, replacement: '', allow: PUBLIC_NUMBERS };

let gw: RunningGateway;
beforeAll(async () => {
  gw = await startTestGateway({ REDACT_ALLOW: PUBLIC_NUMBERS.join(',') });
});
afterAll(async () => {
  await gw.stop();
});

describe('allowed numbers through the gateway', () => {
  it('the bot\'s public numbers reach the widget; the customer\'s own are deleted; kept ones are counted', async () => {
    const client = await connectClient(gw.chatUrl);
    const question = 'Hvilken konto betaler jeg til? Mitt fnr er 010190 12345, kundeservice sa 7694.05.20300';
    const answer = ['Account number: 7694.0', '5.20300. Customer service: +47 21 49 ', '60 00; your case 21 49 60 00 12.'];
    gw.stub.script(sseReply(answer));
    client.send({ type: 'message', id: 'q1', text: question });
    const ack = await client.waitFor((f) => f.type === 'ack' && f.id === 'q1');
    await client.waitFor((f) => f.type === 'reply' && f.id === 'q1' && f.final === true);
    const reply = client.frames.filter((f) => f.type === 'reply' && f.id === 'q1').map((f) => f.text).join('');

    expect(ack.text).toBe(referenceRedact(question, POLICY).text);
    expect(ack.text).toBe('Hvilken konto betaler jeg til? Mitt fnr er , kundeservice sa 7694.05.20300');
    expect((gw.stub.requests[0]?.body as { text: string }).text).toBe(ack.text);
    expect(reply).toBe(referenceRedact(answer.join(''), POLICY).text);
    expect(reply).toBe('Account number: 7694.05.20300. Customer service: +47 21 49 60 00; your case .');
    expect(await readMetric(gw.httpUrl, 'chat_redact_allowed_total{direction="inbound"}')).toBe(1);
    expect(await readMetric(gw.httpUrl, 'chat_redact_allowed_total{direction="outbound"}')).toBe(2);
    const metrics = await (await fetch(`${gw.httpUrl}/metrics`)).text();
    for (const number of PUBLIC_NUMBERS) expect(metrics).not.toContain(number.replace(/\D/g, ''));
    client.ws.close();
  });
});
