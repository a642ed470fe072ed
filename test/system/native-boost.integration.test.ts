/**
 * `NATIVE_API=on` with `VENDOR_KIND=boost`: a client that speaks boost.ai's Chat API v2 as the
 * chat panel and the mobile SDKs do (one command per `POST /api/chat/v2`: START, POST text and
 * action links, POLL with the last response id while `state.poll` is on, HUMANCHATPOST, DOWNLOAD)
 * points its API base at the gateway, with the Boost stub behind. Nothing with a sensitive
 * combination reaches the bot or the client — ids aside, HTML judged as a browser renders it
 * (htmlparser2's text, entities decoded) by the reference in `test/support`.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LINKS, WELCOME, htmlElement, startBoostStub, textElement, type BoostStub } from '../support/boost-stub.js';
import { readMetric, startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { DEFAULTS, unkeptCombinations } from '../support/reference.js';

const ALLOWED_ORIGIN = 'https://nav.example.no';
/** Boost's ids (conversation, responses, links, `posted_id`, a POLL's `value`) and timestamps: not user text. */
const ID_FIELDS = new Set(['id', 'conversation_id', 'posted_id', 'reference', 'date_created']);

let boost: BoostStub;
let gw: RunningGateway;

beforeAll(async () => {
  boost = await startBoostStub();
  gw = await startTestGateway({ VENDOR_KIND: 'boost', VENDOR_URL: boost.baseUrl, NATIVE_API: 'on', ALLOWED_ORIGINS: ALLOWED_ORIGIN });
});
beforeEach(() => boost.reset());
afterAll(async () => {
  await gw.stop();
  await boost.close();
});

interface Element {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}
interface Answer {
  readonly conversation: { readonly id: string; readonly state: { readonly poll: boolean; readonly chat_status: string } };
  readonly response?: { readonly id: string; readonly elements: Element[] };
  readonly responses?: { readonly id: string; readonly source: string; readonly elements: Element[] }[];
  readonly posted_id?: number;
}

/** A Boost Chat API v2 client as the SDKs are: one command per POST, the conversation id carried. */
class BoostClient {
  conversationId = '';
  lastResponseId = '';
  constructor(readonly apiBase: string) {}

  async send(command: Record<string, unknown>): Promise<Response> {
    const body = this.conversationId === '' ? command : { conversation_id: this.conversationId, ...command };
    return fetch(`${this.apiBase}/api/chat/v2`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ALLOWED_ORIGIN }, body: JSON.stringify(body) });
  }

  async command(command: Record<string, unknown>): Promise<Answer> {
    const answer = await this.send(command);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const json = (await answer.json()) as Answer;
    expectNoLeak(json);
    this.conversationId = json.conversation.id;
    const last = json.responses?.at(-1)?.id ?? json.response?.id;
    if (last !== undefined) this.lastResponseId = String(last);
    return json;
  }

  start = (customPayload?: unknown) => this.command({ command: 'START', language: 'no-NO', clean: true, ...(customPayload !== undefined && { custom_payload: customPayload }) });
  post = (value: string) => this.command({ command: 'POST', type: 'text', value, clean: true });
  click = (link: { id: string; type: string }) => this.command({ command: 'POST', type: link.type, id: link.id, clean: true });
  poll = () => this.command({ command: 'POLL', value: this.lastResponseId });
}

/** What a browser shows of `html`. */
const rendered = (html: string): string => DomUtils.textContent(parseDocument(html));

/** A body judged by the reference: ids set aside, HTML as it renders. */
function expectNoLeak(body: unknown): void {
  const judged = JSON.stringify(body, (key, value: unknown) => (ID_FIELDS.has(key) ? undefined : key === 'html' && typeof value === 'string' ? rendered(value) : value));
  expect(countLeaks(judged)).toBe(0);
}

/** Every body the bot received, POLL values (response ids) aside. */
function expectBotSawNoLeak(): void {
  for (const command of boost.commands()) expectNoLeak(command.command === 'POLL' ? { ...command, value: undefined } : command);
  expect(boost.http.requests.length).toBeGreaterThan(0);
}

const htmlOf = (answer: Answer | Answer['response']): string[] =>
  ((answer as { elements?: Element[] } | undefined)?.elements ?? []).filter((element) => element.type === 'html').map((element) => String(element.payload.html));

describe('native Boost Chat API v2', () => {
  it('starts, posts and clicks as the SDK does: user text redacted in, HTML and links redacted out, ids untouched', async () => {
    const client = new BoostClient(gw.httpUrl);
    const started = await client.start({ kundenummer: '1234 5678 901', segment: 'privat' });
    expect(client.conversationId).toBe(boost.conversationIds()[0]);
    expect(started.response!.elements).toEqual(WELCOME); // nothing to delete: HTML and links as they came
    expect(boost.commands()[0]).toMatchObject({ command: 'START', custom_payload: { kundenummer: '', segment: 'privat' } });

    const echoed = await client.post('Kontonummer 1234.56.78903, takk');
    expect(boost.commands().at(-1)).toEqual({ conversation_id: client.conversationId, command: 'POST', type: 'text', value: 'Kontonummer , takk', clean: true });
    expect(htmlOf(echoed.response).map(rendered)).toEqual(['Du skrev: Kontonummer , takk']);
    expect(echoed.posted_id).toBe(Number(boost.responseIds().at(-2)));

    const invoice = await client.click(LINKS.invoice);
    expect(boost.commands().at(-1)).toMatchObject({ type: 'action_link', id: LINKS.invoice.id });
    const [html] = htmlOf(invoice.response);
    // `<b>7694</b>.05.<i>20300</i>` and `12&#8203;34 56 78`: numbers split by tags and entities.
    expect(rendered(html!)).toMatch(/^Betal til konto\s*, KID\s*\.$/);
    expectBotSawNoLeak();
  });

  it('polls a human chat, passes what the user writes to the agent redacted, and the agent’s answer redacted', async () => {
    const client = new BoostClient(gw.httpUrl);
    await client.start();
    const queued = await client.click(LINKS.human);
    expect(queued.conversation.state.poll).toBe(true);
    boost.agentWrites(client.conversationId, htmlElement('<p>Hei, ring meg på <b>22</b>&nbsp;33&#32;44 55.</p>'), textElement('Eller 98 76 54 32.'));
    const polled = await client.poll();
    const agent = polled.responses!.at(-1)!;
    expect(agent.source).toBe('bot');
    expect(rendered(String(agent.elements[0]!.payload.html))).toMatch(/^Hei, ring meg på\s*\.$/);
    expect(agent.elements[1]).toEqual(textElement('Eller .'));
    expect(boost.commands().at(-1)).toEqual({ conversation_id: client.conversationId, command: 'POLL', value: boost.responseIds().at(-2) });

    const posted = await client.command({ command: 'HUMANCHATPOST', value: 'Fødselsnummer 010190 12345' });
    expect(posted.posted_id).toBe(Number(boost.responseIds().at(-1)));
    expect(boost.commands().at(-1)).toEqual({ conversation_id: client.conversationId, command: 'HUMANCHATPOST', value: 'Fødselsnummer ' });
    // A POLL gives the user's own message back too (`source: "client"`), as the bot stored it.
    expect((await client.poll()).responses).toMatchObject([{ source: 'client', elements: [textElement('Fødselsnummer ')] }]);
    expectBotSawNoLeak();
  });

  it('returns the DOWNLOAD transcript redacted', async () => {
    const client = new BoostClient(gw.httpUrl);
    await client.start();
    await client.post('Mitt nummer er 9876 5432');
    await client.click(LINKS.invoice);
    const download = await client.send({ command: 'DOWNLOAD' });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/plain/);
    const transcript = await download.text();
    expect(transcript.split('\n').filter((line) => line !== '')).toHaveLength(4);
    expect(transcript).toContain('Du: Mitt nummer er \n');
    expect(countLeaks(transcript)).toBe(0);
    // The stub's transcript did hold the account number, so the gateway deleted it.
    expect(transcript).toMatch(/Bot: Betal til konto\s*, KID\s*\./);
  });

  it('refuses files, and a body that is no command, in Boost’s error shape before the bot hears of it', async () => {
    const client = new BoostClient(gw.httpUrl);
    await client.start();
    const before = boost.http.requests.length;
    const files = await client.send({ command: 'POST', type: 'files', value: [{ filename: 'kvittering.pdf', url: 'https://files.example/1' }] });
    expect(files.status).toBe(400);
    expect(await files.json()).toEqual({ error: expect.any(String) as string });
    const nothing = await client.send({ value: 'hei' });
    expect(nothing.status).toBe(400);
    expect(Object.keys((await nothing.json()) as object)).toEqual(['error']);
    expect(boost.http.requests.length).toBe(before);
  });

  it('passes the bot’s own refusal on in its shape, and answers a preflight for an allowed origin', async () => {
    const refused = await fetch(`${gw.httpUrl}/api/chat/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'POST', type: 'text', conversation_id: 'ukjent', value: 'hei' }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'Conversation not found' });
    const preflight = await fetch(`${gw.httpUrl}/api/chat/v2`, { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const evil = await fetch(`${gw.httpUrl}/api/chat/v2`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{"command":"START"}' });
    expect(evil.status).toBe(403);
    expect(gw.logs.lines().filter((line) => countLogLineLeaks(line) > 0)).toEqual([]);
  });
});

describe('native Boost Chat API v2 with REDACT_KEEP', () => {
  const KEEP = ['amounts', 'future_dates', 'org_numbers'] as const;
  /** An answer's HTML as it renders, judged by the reference with the kept classes: nothing sensitive left but what is kept. */
  const expectKeptOnly = (html: string) => expect(unkeptCombinations(rendered(html), { ...DEFAULTS, keep: KEEP })).toEqual([]);

  it('keeps amounts, due dates and org numbers both ways, in text and HTML, deletes the rest, and counts them as native', async () => {
    const keeping = await startTestGateway({ VENDOR_KIND: 'boost', VENDOR_URL: boost.baseUrl, NATIVE_API: 'on', ALLOWED_ORIGINS: ALLOWED_ORIGIN, REDACT_KEEP: KEEP.join(',') });
    try {
      const client = new BoostClient(keeping.httpUrl);
      await client.start();
      const post = async (value: string): Promise<string[]> => {
        const answer = (await (await client.send({ command: 'POST', type: 'text', value, clean: true })).json()) as Answer;
        return htmlOf(answer.response);
      };
      // Synthetic: the org number's and the fødselsnummer's check digits are right.
      const echoed = await post('Jeg skylder 1 250 000,00 kr til org.nr 923 609 016 innen 15.01.2099, fnr 150765 00565');
      const kept = 'Jeg skylder 1 250 000,00 kr til org.nr 923 609 016 innen 15.01.2099, fnr ';
      expect(boost.commands().at(-1)).toMatchObject({ command: 'POST', value: kept });
      expect(echoed).toEqual([`<p>Du skrev: ${kept}</p>`]);
      boost.answerTextWith(() => [htmlElement('<p>Beløp <b>1 250 000</b>,00 kr, org.nr 923&nbsp;609&nbsp;016, fnr <i>150765</i> 00565</p>')]);
      const answer = await post('og nå?');
      expect(answer).toEqual(['<p>Beløp <b>1 250 000</b>,00 kr, org.nr 923&nbsp;609&nbsp;016, fnr <i></i></p>']);
      for (const html of [...echoed, ...answer]) expectKeptOnly(html);
      const series = (direction: string, name: string) => `chat_redact_kept_total{direction="${direction}",class="${name}",endpoint="native"}`;
      expect(await readMetric(keeping.httpUrl, series('inbound', 'amounts'))).toBe(1);
      expect(await readMetric(keeping.httpUrl, series('inbound', 'future_dates'))).toBe(1);
      expect(await readMetric(keeping.httpUrl, series('outbound', 'amounts'))).toBe(2);
      expect(await readMetric(keeping.httpUrl, series('outbound', 'org_numbers'))).toBe(2);
    } finally {
      await keeping.stop();
    }
  });
});
