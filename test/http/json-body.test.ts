/**
 * `readJsonBody` is to read every body as `express.json({ limit, strict: true })` does: the two
 * are mounted side by side on one server and given the same bytes, and must come to the same
 * outcome — the parsed body, or an error of the same status and body-parser `type`.
 */
import http from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../src/http/json-body.js';
import { exchangeBytes, useListener } from './start-app.js';

const LIMIT = 64;

const app = express();
const answerBody: express.RequestHandler = (req, res) => {
  res.json({ body: req.body === undefined ? '(none)' : req.body });
};
app.post('/ours', readJsonBody(LIMIT), answerBody);
app.post('/body-parser', express.json({ limit: LIMIT, strict: true }), answerBody);
const answerError: ErrorRequestHandler = (error: { status?: number; type?: string; limit?: number }, _req, res, _next) => {
  res.status(error.status ?? 500).json({ type: error.type, limit: error.limit });
};
app.use(answerError);
const port = useListener(app);

interface Outcome {
  readonly status: number;
  readonly answer: string;
}

/** `body` to `path`, with its length announced (or chunked, in pieces of `chunkSize` bytes). */
function post(path: string, body: Buffer, headers: Record<string, string>, chunkSize?: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: port(), path, method: 'POST', headers, agent: false }, (res) => {
      let answer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, answer }));
    });
    request.on('error', reject);
    if (chunkSize === undefined) {
      request.setHeader('content-length', body.length);
      request.end(body);
      return;
    }
    for (let at = 0; at < body.length; at += chunkSize) request.write(body.subarray(at, at + chunkSize));
    request.end();
  });
}

async function bothOutcomes(body: Buffer, contentType: string, chunkSize?: number): Promise<[Outcome, Outcome]> {
  const headers = { 'content-type': contentType };
  return Promise.all([post('/ours', body, headers, chunkSize), post('/body-parser', body, headers, chunkSize)]);
}

describe('readJsonBody', () => {
  it.each([
    ['an object', '{"text":"ring 98 76 54 32"}', { text: 'ring 98 76 54 32' }],
    ['an array after whitespace', ' \n\t[1,2]', [1, 2]],
    ['an empty body', '', {}],
    ['a byte-order mark first', '\ufeff{"a":1}', { a: 1 }],
    ['non-ASCII text', '{"text":"tlf ９８ ７６ ５４ ３２ ✓"}', { text: 'tlf ９８ ７６ ５４ ３２ ✓' }],
  ])('parses %s as body-parser does', async (_name, text, expected) => {
    const [ours, theirs] = await bothOutcomes(Buffer.from(text, 'utf8'), 'application/json');
    expect(ours).toEqual(theirs);
    expect(ours.status).toBe(200);
    expect(JSON.parse(ours.answer)).toEqual({ body: expected });
  });

  it.each([
    ['a string at the top', '"text"', 400, 'entity.parse.failed'],
    ['broken JSON', '{"text":', 400, 'entity.parse.failed'],
    ['a body over the limit', `{"text":"${'a'.repeat(LIMIT)}"}`, 413, 'entity.too.large'],
  ])('refuses %s with body-parser’s status and type', async (_name, text, status, type) => {
    for (const chunkSize of [undefined, 7]) {
      const [ours, theirs] = await bothOutcomes(Buffer.from(text, 'utf8'), 'application/json', chunkSize);
      expect(ours).toEqual(theirs);
      expect(ours.status).toBe(status);
      expect(JSON.parse(ours.answer)).toMatchObject({ type });
    }
  });

  it('leaves a request without a body (no length, no transfer encoding) with none, as body-parser does', async () => {
    const send = async (path: string): Promise<string> => {
      const answer = await exchangeBytes(port(), `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n`);
      return answer.slice(answer.indexOf('\r\n\r\n') + 4);
    };
    const [ours, theirs] = await Promise.all([send('/ours'), send('/body-parser')]);
    expect(ours).toBe('{"body":"(none)"}');
    expect(theirs).toBe(ours);
  });

  it('property: any bytes, any charset, announced or chunked, come to body-parser’s outcome', async () => {
    const bytes = fc.oneof(
      fc.json({ maxDepth: 2 }).map((text) => Buffer.from(text, 'utf8')),
      fc.string({ unit: 'binary', maxLength: 40 }).map((text) => Buffer.from(`{"text":${JSON.stringify(text)}}`, 'utf8')),
      // Hostile: ill-formed UTF-8, lone surrogates' bytes, a BOM in the middle, raw bytes.
      fc.uint8Array({ maxLength: 80 }).map((array) => Buffer.from(array)),
      fc.constantFrom('{"a":"\xed\xa0\x80"}', '{"a":"\ufeff"}', '\ufeff\ufeff{}', '  ', '{"a":1}{', 'null').map((text) => Buffer.from(text, 'latin1')),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      'application/json; charset="utf-8"',
      'application/json; charset=utf-16le',
      'application/json; charset=latin1',
      'application/json; foo=bar',
    );
    await fc.assert(
      fc.asyncProperty(bytes, contentType, fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }), async (body, type, chunkSize) => {
        const [ours, theirs] = await bothOutcomes(body, type, chunkSize);
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  }, 30_000);
});
