/**
 * Issue 23 through the real gateway and a real `ws` client: a bank's conversation (invoice and
 * due dates, amounts, an org number, a national id typed as an amount) with REDACT_KEEP set and
 * unset, judged by the reference; a number sent in two messages, on one gateway and across a
 * resume on another that shares the secret; and the notice in the language the chat asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRIVACY_NOTICE, DEFAULT_PRIVACY_NOTICE_EN, DEFAULT_PRIVACY_NOTICE_NB } from '../../src/config/load-config.js';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';
import { jsonReply } from '../support/vendor-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const KEEP = ['amounts', 'future_dates', 'org_numbers'] as const;
const SECRET = 'bank-chat-secret-'.repeat(3);
/** Synthetic: its check digits are right, its birth date is 15 July 1965. */
const NATIONAL_ID_AS_AMOUNT = '150 765 005,65 kr';
const BANK_CHAT = [
  'Fakturaen datert 24.12.2025 på 12 500 kr har forfall 15.01.2099.',
  `Jeg skylder 1 250 000,00 kr til org.nr 923 609 016, og beløpet ${NATIONAL_ID_AS_AMOUNT} er feil.`,
  'Fødselsnummeret mitt er 150765 00565 og telefonen 915 04 738.',
];

async function say(client: TestClient, id: string, text: string): Promise<string> {
  client.send({ type: 'message', id, text });
  const ack = await client.waitFor((f) => f.type === 'ack' && f.id === id);
  await client.waitFor((f) => f.type === 'reply' && f.id === id && f.final === true);
  return String(ack.text);
}

describe.each([
  ['with REDACT_KEEP', { REDACT_KEEP: KEEP.join(',') }, KEEP],
  ['without REDACT_KEEP', {}, []],
] as const)('a bank conversation %s', (_name, env, keep) => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ ...env, SESSION_SECRET: SECRET });
  });
  afterAll(async () => {
    await gw.stop();
  });

  it('keeps what identifies nobody, and nothing that identifies a person, both ways', async () => {
    const policy = { minDigits: 7, maxGap: 3, replacement: '', keep };
    const client = await connectClient(`${gw.chatUrl}?resume=0`);
    for (const [k, line] of BANK_CHAT.entries()) {
      gw.stub.script(jsonReply(`Takk. ${line}`));
      const ack = await say(client, `m${k}`, line);
      expect(ack).toBe(referenceRedact(line, policy).text);
      expect((gw.stub.requests.at(-1)?.body as { text: string }).text).toBe(ack);
    }
    const replies = client.frames.filter((f) => f.type === 'reply' && typeof f.id === 'string').map((f) => String(f.text));
    expect(replies).toEqual(BANK_CHAT.map((line) => referenceRedact(`Takk. ${line}`, policy).text));
    const everything = [...replies, ...gw.stub.requests.map((r) => JSON.stringify(r.body))].join('\n');
    expect(everything).not.toContain('150765');
    expect(everything).not.toContain('150 765 005');
    for (const text of replies) expect(referenceRedact(text, policy).spans).toEqual([]);
    if (keep.length > 0) {
      expect(replies[1]).toContain('1 250 000,00 kr til org.nr 923 609 016');
      expect(replies[0]).toContain('forfall 15.01.2099');
      expect(await readMetric(gw.httpUrl, 'chat_redact_kept_total{direction="inbound",class="amounts"}')).toBe(1);
      expect(await readMetric(gw.httpUrl, 'chat_redact_kept_total{direction="outbound",class="org_numbers"}')).toBe(1);
    } else {
      for (const text of replies) expect(countLeaks(text)).toBe(0);
      expect(await readMetric(gw.httpUrl, 'chat_redact_redactions_total{direction="inbound",kind="date"}')).toBe(2);
      expect(await readMetric(gw.httpUrl, 'chat_redact_redactions_total{direction="inbound",kind="org_number"}')).toBe(1);
    }
    expect(await readMetric(gw.httpUrl, 'chat_redact_redactions_total{direction="inbound",kind="national_id"}')).toBe(2);
    client.ws.close();
  });
});

describe('a number sent in pieces', () => {
  let a: RunningGateway;
  let b: RunningGateway;
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestGateway({ SESSION_SECRET: SECRET }), startTestGateway({ SESSION_SECRET: SECRET })]);
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('never reaches the vendor whole: the second half is deleted and counted as split', async () => {
    const client = await connectClient(`${a.chatUrl}?resume=0`);
    expect(await say(client, 'p1', 'fnr 010190')).toBe('fnr 010190');
    expect(await say(client, 'p2', '12345 takk')).toBe(' takk');
    const sent = a.stub.requests.map((r) => (r.body as { text: string }).text);
    expect(sent.slice(-2)).toEqual(['fnr 010190', ' takk']);
    expect(countLeaks(sent.join(''))).toBe(0);
    expect(await readMetric(a.httpUrl, 'chat_redact_redactions_total{direction="inbound",kind="split"}')).toBe(1);
    client.ws.close();
  });

  it('goes on counting across a resume on another replica: the count lives in the session token', async () => {
    const first = await connectClient(`${a.chatUrl}?resume=0`);
    expect(await say(first, 'r1', 'fødselsnummer 010190')).toBe('fødselsnummer 010190');
    await first.waitFor((f) => f.type === 'session' && first.frames.filter((g) => g.type === 'session').length >= 2);
    const token = String(first.frames.filter((f) => f.type === 'session').at(-1)!.token);
    first.ws.close();
    const second = await connectClient(`${b.chatUrl}?resume=1`);
    second.send({ type: 'resume', token });
    await second.waitFor((f) => f.type === 'session' && f.resumed === true);
    expect(await say(second, 'r2', '12345')).toBe('');
    expect(await readMetric(b.httpUrl, 'chat_redact_redactions_total{direction="inbound",kind="split"}')).toBe(1);
    second.ws.close();
  });

  it('REDACT_ACROSS_MESSAGES=off lets each message stand alone', async () => {
    const off = await startTestGateway({ REDACT_ACROSS_MESSAGES: 'off' });
    try {
      const client = await connectClient(`${off.chatUrl}?resume=0`);
      await say(client, 'o1', 'fnr 010190');
      expect(await say(client, 'o2', '12345 takk')).toBe('12345 takk');
      client.ws.close();
    } finally {
      await off.stop();
    }
  });
});

describe('the privacy notice in the chat\'s language', () => {
  it('is in the language the upgrade asks for alone, and in both without one; PRIVACY_NOTICE_EN/_NB replace the built-in ones', async () => {
    const gw = await startTestGateway({ PRIVACY_NOTICE_NB: 'Ikke del tall her.' });
    try {
      const noticeOf = async (query: string): Promise<string> => {
        const client = await connectClient(`${gw.chatUrl}${query}`);
        const notice = await client.waitFor((f) => f.type === 'notice');
        client.ws.close();
        return String(notice.text);
      };
      expect(await noticeOf('?lang=en')).toBe(DEFAULT_PRIVACY_NOTICE_EN);
      expect(await noticeOf('?lang=nb&resume=0')).toBe('Ikke del tall her.');
      expect(await noticeOf('?resume=0&lang=nn')).toBe('Ikke del tall her.');
      expect(await noticeOf('?lang=sv')).toBe(DEFAULT_PRIVACY_NOTICE);
      expect(await noticeOf('')).toBe(DEFAULT_PRIVACY_NOTICE);
      expect(DEFAULT_PRIVACY_NOTICE).toContain(DEFAULT_PRIVACY_NOTICE_NB);
    } finally {
      await gw.stop();
    }
  });
});
