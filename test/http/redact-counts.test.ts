/**
 * What the redaction routes say they deleted and kept, through the real HTTP app on a loopback
 * port: `POST /v1/redact` beside its text, `POST /v1/redact/stream` in the `Redact-Counts`
 * trailer after its body (text and JSON lines) — with REDACT_KEEP set and unset. The kept classes
 * are the gateway's: a request that asks for others is refused. Texts judged by the reference.
 */
import { describe, expect, it } from 'vitest';
import { COUNTS_TRAILER } from '../../src/http/redact-routes.js';
import { referenceRedact } from '../support/reference.js';
import { requestRaw, useApp, type RunningApp } from './start-app.js';

const KEEP = ['amounts', 'future_dates', 'org_numbers'] as const;
/** Synthetic: the national id's check digits are right (15 July 1965); the org number's too. */
const INVOICE =
  'Fakturaen datert 24.12.2025 på 1 250 000,00 kr har forfall 15.01.2099, org.nr 923 609 016, fnr 150765 00565, tlf 915 04 738';
const NOTHING_KEPT = { allowed: 0, kept: 0, keptClasses: {} };

async function postJson(app: RunningApp, body: unknown, query = ''): Promise<{ status: number; body: unknown }> {
  const answer = await requestRaw(app.port, { method: 'POST', path: `/v1/redact${query}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: answer.status, body: JSON.parse(answer.body) };
}

async function postStream(app: RunningApp, body: string, query = '') {
  const answer = await requestRaw(app.port, { method: 'POST', path: `/v1/redact/stream${query}`, headers: { 'content-type': 'text/plain' }, body });
  const trailer = answer.trailers[COUNTS_TRAILER.toLowerCase()];
  return { status: answer.status, text: answer.body, declared: answer.headers.trailer, counts: trailer === undefined ? undefined : (JSON.parse(trailer) as unknown) };
}

async function keptMetric(app: RunningApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { labels, value } of (await app.metrics.kept.get()).values) {
    if (labels.direction === 'inbound' && value > 0) counts[String(labels.class)] = value;
  }
  return counts;
}

describe('with REDACT_KEEP=amounts,future_dates,org_numbers', () => {
  const app = useApp({ REDACT_KEEP: KEEP.join(',') });
  const policy = { minDigits: 7, maxGap: 3, replacement: '', keep: KEEP };
  const counts = { redactions: 3, kinds: { date: 1, national_id: 1, phone: 1 }, allowed: 0, kept: 3, keptClasses: { amounts: 1, future_dates: 1, org_numbers: 1 } };

  it('POST /v1/redact keeps the amount, the due date and the org number, deletes the rest, and counts both', async () => {
    const answer = await postJson(app(), { text: INVOICE });
    expect(answer).toEqual({ status: 200, body: { text: referenceRedact(INVOICE, policy).text, ...counts } });
    expect((answer.body as { text: string }).text).toBe('Fakturaen datert  på 1 250 000,00 kr har forfall 15.01.2099, org.nr 923 609 016, fnr , tlf ');
    expect(await keptMetric(app())).toEqual({ amounts: 1, future_dates: 1, org_numbers: 1 });
  });

  it('POST /v1/redact/stream does the same and ends with the same counts in its trailer', async () => {
    const before = await keptMetric(app());
    const answer = await postStream(app(), `${INVOICE}\n${INVOICE}`);
    expect(answer.status).toBe(200);
    expect(answer.declared).toBe(COUNTS_TRAILER);
    expect(answer.text).toBe(referenceRedact(`${INVOICE}\n${INVOICE}`, policy).text);
    expect(answer.counts).toEqual({ redactions: 6, kinds: { date: 2, national_id: 2, phone: 2 }, allowed: 0, kept: 6, keptClasses: { amounts: 2, future_dates: 2, org_numbers: 2 } });
    const after = await keptMetric(app());
    for (const name of KEEP) expect((after[name] ?? 0) - (before[name] ?? 0)).toBe(2);
  });

  it('?format=json keeps them inside JSON strings and counts them in the trailer too', async () => {
    const line = JSON.stringify({ time: '2026-12-01T07:45:18Z', msg: INVOICE });
    const answer = await postStream(app(), `${line}\nnot json: beløp 2 000 000 kr, tlf 915 04 738\n`, '?format=json');
    expect(answer.text).toBe(`${JSON.stringify({ time: '2026-12-01T07:45:18Z', msg: referenceRedact(INVOICE, policy).text })}\nnot json: beløp 2 000 000 kr, tlf \n`);
    expect(answer.counts).toEqual({ redactions: 4, kinds: { date: 1, national_id: 1, phone: 2 }, allowed: 0, kept: 4, keptClasses: { amounts: 2, future_dates: 1, org_numbers: 1 } });
  });

  it.each([
    ['/v1/redact', '?keep=amounts'],
    ['/v1/redact/stream', '?keep=amounts'],
    ['/v1/redact/stream', '?format=json&keep_classes=x&keep=future_dates'],
  ])('%s%s: the kept classes are the gateway’s, a query that names them is a 400', async (path, query) => {
    const answer = await requestRaw(app().port, { method: 'POST', path: `${path}${query}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: INVOICE }) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'invalid_request', message: 'The policy is the gateway’s own: the parameter "keep" is not taken.' } });
  });

  it('a body that names kept classes is a 400 too', async () => {
    expect(await postJson(app(), { text: INVOICE, keep: [] })).toEqual({ status: 400, body: { error: { code: 'invalid_request', message: 'Only the field "text" is accepted.' } } });
  });
});

describe('without REDACT_KEEP', () => {
  const app = useApp();

  it('both routes delete every number of seven digits or more and say nothing was kept', async () => {
    const text = referenceRedact(INVOICE).text;
    const counts = { redactions: 6, kinds: { date: 2, other: 1, org_number: 1, national_id: 1, phone: 1 }, ...NOTHING_KEPT };
    expect(await postJson(app(), { text: INVOICE })).toEqual({ status: 200, body: { text, ...counts } });
    expect(await postStream(app(), INVOICE)).toMatchObject({ status: 200, text, counts });
    expect(await keptMetric(app())).toEqual({});
  });

  it('an empty stream ends with zero counts', async () => {
    expect(await postStream(app(), '')).toEqual({ status: 200, text: '', declared: COUNTS_TRAILER, counts: { redactions: 0, kinds: {}, ...NOTHING_KEPT } });
  });
});
