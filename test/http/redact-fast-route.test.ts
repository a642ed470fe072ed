/**
 * `POST /v1/redact` served before express (`redact-fast-route.ts`) answers as the express route
 * does: two apps of the same configuration, one with the route before express and one without
 * (`fastRoutes: false`), are given the same table of requests — good, a bad or missing
 * token, a wrong method, bad JSON, too big, a wrong content type, rate-limited, and the path's
 * spellings — and must give the same status, headers (all but `date`, in their order and case)
 * and body, write the same log lines (all but the time and duration) and count the same metrics.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { isRedactJsonUrl } from '../../src/http/redact-fast-route.js';
import { compareDoors, stableLines, stableMetrics, usePair, type Exchange } from './door-comparison.js';
import { waitFor, type RunningApp } from './start-app.js';

const TOKEN = 'fast-route-token-for-tests';
const LIMIT = 1024;
const ENV = { REDACT_API_TOKEN: TOKEN, MAX_REDACT_BYTES: String(LIMIT) };
const JSON_TYPE = 'application/json';
const GOOD = { 'content-type': JSON_TYPE, authorization: `Bearer ${TOKEN}` };
const TEXT = JSON.stringify({ text: 'ring 98 76 54 32 or 22 33 44 55, kontonummer 7694.05.20300' });
const TABLE: readonly Exchange[] = [
  { name: 'good', body: TEXT },
  { name: 'good, upper case path', path: '/V1/REDACT', body: TEXT },
  { name: 'good, trailing slash', path: '/v1/Redact/', body: TEXT },
  { name: 'good, charset utf-8', headers: { ...GOOD, 'content-type': 'application/json; charset=utf-8' }, body: TEXT },
  { name: 'good, chunked', body: TEXT, chunked: true },
  { name: 'good, ill-formed UTF-8 and a byte-order mark', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"text":"a\xff 1234567"}', 'latin1')]) },
  { name: 'bad token', headers: { ...GOOD, authorization: 'Bearer not-the-token' }, body: TEXT },
  { name: 'no token', headers: { 'content-type': JSON_TYPE }, body: TEXT },
  { name: 'token in another scheme', headers: { ...GOOD, authorization: `Basic ${TOKEN}` }, body: TEXT },
  { name: 'wrong method GET', method: 'GET' },
  { name: 'wrong method PUT', method: 'PUT', body: TEXT },
  { name: 'HEAD', method: 'HEAD' },
  { name: 'OPTIONS', method: 'OPTIONS' },
  { name: 'bad JSON', body: '{"text": "a", oops}' },
  { name: 'JSON that is no object', body: '"just a string"' },
  { name: 'another field', body: JSON.stringify({ text: 'a', extra: 1 }) },
  { name: 'text no string', body: JSON.stringify({ text: 7 }) },
  { name: 'empty body', body: '' },
  { name: 'no body', headers: GOOD },
  { name: 'too big, announced', body: JSON.stringify({ text: 'x'.repeat(LIMIT) }) },
  { name: 'too big, chunked', body: JSON.stringify({ text: 'x'.repeat(LIMIT) }), chunked: true },
  { name: 'wrong content type', headers: { ...GOOD, 'content-type': 'text/plain' }, body: TEXT },
  { name: 'no content type', headers: { authorization: GOOD.authorization }, body: TEXT },
  { name: 'other charset', headers: { ...GOOD, 'content-type': 'application/json; charset=latin1' }, body: TEXT },
  { name: 'gzip that is not', headers: { ...GOOD, 'content-encoding': 'gzip' }, body: TEXT },
  { name: 'a query', path: '/v1/redact?min_digits=8', body: TEXT },
  { name: 'an empty query', path: '/v1/redact?', body: TEXT },
  { name: 'a path that is not the route', path: '/v1/redact//', body: TEXT },
  { name: 'the stream route', path: '/v1/redact/stream', headers: { authorization: GOOD.authorization }, body: 'ring 98765432' },
];

const { exchange, runTable } = compareDoors({ path: '/v1/redact', headers: GOOD });

describe('POST /v1/redact before express', () => {
  const pair = usePair(ENV);

  it('answers every request of the table as express does: status, headers but date, body', async () => {
    const seen = await runTable(pair(), TABLE);
    for (const { name, fast, express } of seen) {
      expect({ name, ...fast }).toEqual({ name, ...express });
    }
    // The table reaches every answer it is meant to.
    expect(seen.map(({ name, fast }) => `${name}: ${fast.status}`)).toEqual([
      'good: 200',
      'good, upper case path: 200',
      'good, trailing slash: 200',
      'good, charset utf-8: 200',
      'good, chunked: 200',
      'good, ill-formed UTF-8 and a byte-order mark: 200',
      'bad token: 401',
      'no token: 401',
      'token in another scheme: 401',
      'wrong method GET: 405',
      'wrong method PUT: 405',
      'HEAD: 405',
      'OPTIONS: 405',
      'bad JSON: 400',
      'JSON that is no object: 400',
      'another field: 400',
      'text no string: 400',
      'empty body: 400',
      'no body: 400',
      'too big, announced: 413',
      'too big, chunked: 413',
      'wrong content type: 415',
      'no content type: 415',
      'other charset: 415',
      'gzip that is not: 400',
      'a query: 400',
      'an empty query: 400',
      'a path that is not the route: 404',
      'the stream route: 200',
    ]);
    const good = seen[0]?.fast;
    expect(JSON.parse(good?.body ?? '')).toEqual({ text: 'ring  or , kontonummer ', redactions: 3, kinds: { phone: 2, bank_account: 1 }, allowed: 0, kept: 0, keptClasses: {} });
    expect(good?.headers).toContain('Connection: keep-alive');
    expect(seen.find(({ name }) => name === 'too big, announced')?.fast.headers).toContain('connection: close');
  });

  it('writes the same log lines, at every level, and counts the same metrics', async () => {
    const { fast, express } = pair();
    const requests = (app: RunningApp) => app.logLines().filter((line) => line.msg === 'request').length;
    expect(await waitFor(() => requests(fast) >= TABLE.length && requests(express) >= TABLE.length)).toBe(true);
    expect(stableLines(fast)).toEqual(stableLines(express));
    expect(stableLines(fast).filter((line) => line.includes('"path":"/v1/redact"')).length).toBeGreaterThan(20);
    expect(await stableMetrics(fast)).toEqual(await stableMetrics(express));
    // Five good requests with two phone numbers each, and the stream route's one.
    expect(await stableMetrics(fast)).toContain('chat_redact_redactions_total{direction="inbound",kind="phone"} 11');
  });
});

describe('POST /v1/redact before express, rate-limited', () => {
  const RATE = 3;
  const pair = usePair({ ...ENV, REDACT_API_RATE_PER_MINUTE: String(RATE) });

  it('answers 429 with the same headers and body once the rate is spent', async () => {
    const seen = await runTable(pair(), Array.from({ length: RATE + 2 }, (_, at) => ({ name: `request ${at + 1}`, body: TEXT })));
    for (const { name, fast, express } of seen) {
      // Retry-After counts whole seconds to the minute's end: the two may straddle a second.
      expect(Math.abs((fast.retryAfter ?? 0) - (express.retryAfter ?? 0))).toBeLessThanOrEqual(1);
      expect({ name, ...fast, retryAfter: undefined }).toEqual({ name, ...express, retryAfter: undefined });
    }
    expect(seen.map(({ fast }) => fast.status)).toEqual([200, 200, 200, 429, 429]);
    expect(seen[RATE]?.fast.retryAfter).toBeGreaterThanOrEqual(1);
  });
});

describe('the route before express and the express routes', () => {
  const pair = usePair({ ...ENV, REDACT_API_RATE_PER_MINUTE: '2' });

  it('share one rate per client: a request through express counts for the route before it', async () => {
    const { fast } = pair();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Through express: the stream route, then the JSON route with a query; then the JSON route before express.
      const statuses = [];
      for (const entry of [TABLE.at(-1), TABLE.find(({ name }) => name === 'a query'), TABLE[0]]) {
        statuses.push((await exchange(fast, agent, entry as Exchange)).status);
      }
      expect(statuses).toEqual([200, 400, 429]);
    } finally {
      agent.destroy();
    }
  });
});

describe('isRedactJsonUrl', () => {
  it('takes the route in any case with at most a trailing slash, and nothing else', () => {
    expect(['/v1/redact', '/V1/REDACT', '/v1/Redact/'].map(isRedactJsonUrl)).toEqual([true, true, true]);
    const others = ['/v1/redact//', '//v1/redact', '/v1/redact?', '/v1/redact?x=1', '/v1/%72edact', '/v1/redact/stream', '/v1/redactx', 'http://h/v1/redact', '/v1/redac', ''];
    expect(others.filter(isRedactJsonUrl)).toEqual([]);
  });
});
