/**
 * The native API's routes served before express (`fast-routes.ts`, `native-core.ts`) answer as
 * the express routes do: two apps of the same configuration with the OpenAI native API over one
 * OpenAI stub, one with the routes before express and one without (`fastRoutes: false`), are
 * given the same table of requests — streamed and whole completions, the path's spellings, a
 * query, a bad or missing token, origins refused and allowed, bodies of the wrong type, bad,
 * too big (announced: a chunked one is cut off, a reset either way) or refused by the vendor, the model list, preflights and other methods — and must give
 * the same status, headers (all but `date`) and body, write the same log lines (all but the time
 * and duration) and count the same metrics. Then Direct Line's activity POST (a path parameter), each
 * app in a conversation of its own at one Direct Line stub.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNativeDoor } from '../../src/native/native-door.js';
import { STUB_SECRET, startDirectLineStub, type DirectLineStub } from '../support/directline-stub.js';
import { STUB_MODEL, startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { compareDoors, expectSameAnswers, expectSameLogsAndMetrics, usePair, type Exchange, type Seen } from './door-comparison.js';
import type { StartOptions } from './start-app.js';

const NATIVE_TOKEN = 'native-fast-route-token-for-tests';
const VENDOR_KEY = 'sk-vendor-key-for-tests';
const ALLOWED = 'https://bank.example';
const PATH = '/v1/chat/completions';
const GOOD = { 'content-type': 'application/json', authorization: `Bearer ${NATIVE_TOKEN}` };
const MESSAGES = [{ role: 'user', content: 'ring 98 76 54 32 eller kontonummer 7694.05.20300' }];
const STREAMED = JSON.stringify({ model: STUB_MODEL, stream: true, messages: MESSAGES });
const WHOLE = JSON.stringify({ model: STUB_MODEL, messages: MESSAGES });
/** Past the native floor of 1 MiB. */
const TOO_BIG = JSON.stringify({ model: STUB_MODEL, messages: [{ role: 'user', content: 'x'.repeat(1_100_000) }] });

const TABLE: readonly Exchange[] = [
  { name: 'streamed', body: STREAMED },
  { name: 'whole', body: WHOLE },
  { name: 'streamed, chunked', body: STREAMED, chunked: true },
  { name: 'upper case path', path: '/V1/Chat/COMPLETIONS', body: STREAMED },
  { name: 'trailing slash', path: `${PATH}/`, body: STREAMED },
  { name: 'a query', path: `${PATH}?api-version=2024-10-21`, body: WHOLE },
  { name: 'an idempotency key and a passed header', headers: { ...GOOD, 'idempotency-key': 'key-1', 'openai-organization': 'org-1' }, body: WHOLE },
  { name: 'an allowed origin', headers: { ...GOOD, origin: ALLOWED }, body: STREAMED },
  { name: 'a refused origin', headers: { ...GOOD, origin: 'https://evil.example' }, body: STREAMED },
  { name: 'bad token', headers: { ...GOOD, authorization: 'Bearer not-the-token' }, body: STREAMED },
  { name: 'no token', headers: { 'content-type': 'application/json' }, body: STREAMED },
  { name: 'wrong content type', headers: { ...GOOD, 'content-type': 'text/plain' }, body: STREAMED },
  { name: 'no content type', headers: { authorization: GOOD.authorization }, body: STREAMED },
  { name: 'gzip that is not', headers: { ...GOOD, 'content-encoding': 'gzip' }, body: STREAMED },
  { name: 'bad JSON', body: '{"messages": [oops]}' },
  { name: 'JSON that is no object', body: '[1, 2]' },
  { name: 'messages no array', body: JSON.stringify({ model: STUB_MODEL, messages: 'hei' }) },
  { name: 'log probabilities asked for', body: JSON.stringify({ model: STUB_MODEL, messages: MESSAGES, logprobs: true }) },
  { name: 'empty body', body: '' },
  { name: 'ill-formed UTF-8', body: Buffer.from(`{"model":"${STUB_MODEL}","messages":[{"role":"user","content":"a\xff 1234567"}]}`, 'latin1') },
  { name: 'too big, announced', body: TOO_BIG },
  { name: 'a model the vendor lacks', body: JSON.stringify({ model: 'gpt-none 98765432', messages: MESSAGES }) },
  { name: 'a message the vendor refuses', body: JSON.stringify({ model: STUB_MODEL, messages: [{ content: 'ring 98765432' }] }) },
  { name: 'the models', method: 'GET', path: '/v1/models', headers: { authorization: GOOD.authorization } },
  { name: 'a preflight', method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } },
  { name: 'GET', method: 'GET' },
  { name: 'PUT', method: 'PUT', body: STREAMED },
  { name: 'a percent-escaped path', path: '/v1/chat/%63ompletions', body: STREAMED },
  { name: 'a path that is not the route', path: `${PATH}//`, body: STREAMED },
];

const { runTable } = compareDoors({ path: PATH, headers: GOOD });

/** The native door as the composition root opens it (`server.ts`), with the app's metrics and logger. */
const openNative: StartOptions['openNative'] = ({ config, metrics, logger }) => {
  if (config.vendor.kind === 'demo') throw new Error('the native API needs a vendor');
  return openNativeDoor({
    vendor: config.vendor,
    token: config.native.token,
    policy: config.policy,
    allowedOrigins: config.chat.allowedOrigins,
    maxMessageBytes: config.chat.limits.maxMessageBytes,
    maxReplyBytes: config.chat.limits.maxReplyBytes,
    metrics,
    logger: logger.child({ part: 'native' }),
  });
};

describe('the OpenAI native routes before express', () => {
  let stub: OpenAiStub | undefined;
  beforeAll(async () => {
    stub = await startOpenAiStub({ apiKey: VENDOR_KEY });
  });
  afterAll(async () => {
    await stub?.close();
  });
  const pair = usePair(
    () => ({
      VENDOR_KIND: 'openai',
      VENDOR_URL: stub!.baseUrl,
      VENDOR_TOKEN: VENDOR_KEY,
      VENDOR_MODEL: STUB_MODEL,
      NATIVE_API: 'on',
      NATIVE_TOKEN,
      ALLOWED_ORIGINS: ALLOWED,
    }),
    { openNative },
  );

  it('answers every request of the table as express does: status, headers but date, body', async () => {
    const seen = await runTable(pair(), TABLE);
    // The same answers, and the table reaches every answer it is meant to.
    expect(expectSameAnswers(seen)).toEqual([
      'streamed: 200',
      'whole: 200',
      'streamed, chunked: 200',
      'upper case path: 200',
      'trailing slash: 200',
      'a query: 200',
      'an idempotency key and a passed header: 200',
      'an allowed origin: 200',
      'a refused origin: 403',
      'bad token: 401',
      'no token: 401',
      'wrong content type: 415',
      'no content type: 415',
      'gzip that is not: 415',
      'bad JSON: 400',
      'JSON that is no object: 400',
      'messages no array: 400',
      'log probabilities asked for: 400',
      'empty body: 400',
      'ill-formed UTF-8: 200',
      'too big, announced: 413',
      'a model the vendor lacks: 404',
      'a message the vendor refuses: 400',
      'the models: 200',
      'a preflight: 204',
      'GET: 404',
      'PUT: 404',
      'a percent-escaped path: 404',
      'a path that is not the route: 404',
    ]);
    const streamed = seen[0]!.fast;
    expect(streamed.headers).toContain('content-type: text/event-stream');
    expect(streamed.body).toContain('Du skrev: ');
    expect(streamed.body).not.toMatch(/98 76 54 32|7694/);
    expect(seen.find(({ name }) => name === 'an allowed origin')?.fast.headers).toContain(`access-control-allow-origin: ${ALLOWED}`);
  });

  it('writes the same log lines, at every level, and counts the same metrics', async () => {
    const { lines, metrics } = await expectSameLogsAndMetrics(pair(), TABLE.length);
    expect(lines.filter((line) => line.includes('"path":"/v1/chat/completions"')).length).toBeGreaterThan(20);
    expect(lines.filter((line) => line.includes('native request refused')).length).toBeGreaterThan(5);
    expect(metrics.filter((line) => line.includes('endpoint="native"')).length).toBeGreaterThan(3);
  });
});

describe('the Direct Line native routes before express', () => {
  const CONVERSATION = '{conversation}';
  const ACTIVITIES = `/v3/directline/conversations/${CONVERSATION}/activities`;
  const SECRET = { 'content-type': 'application/json', authorization: `Bearer ${STUB_SECRET}` };
  const MESSAGE = JSON.stringify({ type: 'message', from: { id: 'user-1' }, text: 'ring 98 76 54 32' });
  const DIRECT_LINE_TABLE: readonly Exchange[] = [
    { name: 'a message', body: MESSAGE },
    { name: 'upper case path, trailing slash', path: `${ACTIVITIES.toUpperCase().replace('{CONVERSATION}', CONVERSATION)}/`, body: MESSAGE },
    { name: 'an activity without a type', body: JSON.stringify({ from: { id: 'user-1' } }) },
    { name: 'bad JSON', body: '{"type": oops}' },
    { name: 'no body', headers: { authorization: SECRET.authorization } },
    { name: 'wrong content type', headers: { ...SECRET, 'content-type': 'text/plain' }, body: MESSAGE },
    { name: 'no authorization', headers: { 'content-type': 'application/json' }, body: MESSAGE },
    { name: 'a conversation the vendor lacks', path: '/v3/directline/conversations/DL0none/activities', body: MESSAGE },
    { name: 'an empty conversation id', path: '/v3/directline/conversations//activities', body: MESSAGE },
  ];
  let stub: DirectLineStub | undefined;
  /** Each app's own conversation, started at the stub: the fast app's and express's. */
  const conversations = { fast: '', express: '' };
  beforeAll(async () => {
    stub = await startDirectLineStub();
    for (const door of ['fast', 'express'] as const) {
      const started = await fetch(`${stub.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: SECRET.authorization } });
      conversations[door] = ((await started.json()) as { conversationId: string }).conversationId;
    }
  });
  afterAll(async () => {
    await stub?.close();
  });
  const pair = usePair(() => ({ VENDOR_KIND: 'directline', VENDOR_URL: stub!.url, VENDOR_TOKEN: STUB_SECRET, NATIVE_API: 'on' }), { openNative });
  const { exchange } = compareDoors({ path: ACTIVITIES, headers: SECRET });

  it('answers an activity POST as express does, each app in its own conversation', async () => {
    const agents = { fast: new http.Agent({ keepAlive: true, maxSockets: 1 }), express: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
    const seen: Array<{ name: string; fast: Seen; express: Seen }> = [];
    try {
      for (const entry of DIRECT_LINE_TABLE) {
        const [fast, express] = await Promise.all(
          (['fast', 'express'] as const).map(async (door) => {
            const path = (entry.path ?? ACTIVITIES).replace(CONVERSATION, conversations[door]);
            const answer = await exchange(pair()[door], agents[door], { ...entry, path });
            // The conversation's id, which differs between the two, where the vendor's answer repeats it.
            return { ...answer, body: answer.body.replaceAll(conversations[door], CONVERSATION), headers: answer.headers.map((line) => line.replace(/^content-length: \d+$/, 'content-length: n')) };
          }),
        );
        seen.push({ name: entry.name, fast: fast!, express: express! });
      }
    } finally {
      agents.fast.destroy();
      agents.express.destroy();
    }
    expect(expectSameAnswers(seen)).toEqual([
      'a message: 200',
      'upper case path, trailing slash: 200',
      'an activity without a type: 400',
      'bad JSON: 400',
      'no body: 415',
      'wrong content type: 415',
      'no authorization: 401',
      'a conversation the vendor lacks: 404',
      'an empty conversation id: 404',
    ]);
    expect(JSON.parse(seen[0]!.fast.body)).toEqual({ id: `${CONVERSATION}|0000001` });
    const { lines } = await expectSameLogsAndMetrics(pair(), DIRECT_LINE_TABLE.length);
    expect(lines.filter((line) => line.includes('"path":"/v3/directline/conversations/:conversationId/activities"')).length).toBe(DIRECT_LINE_TABLE.length - 1);
  });
});
