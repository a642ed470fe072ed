import { beforeAll, describe, expect, it } from 'vitest';
import { requestRaw, useApp, waitFor } from './start-app.js';
import { countLeaks } from '../support/leak-judge.js';

/** Words that travel only in bodies and query strings: none may reach the log. */
const SECRET_WORD = 'hemmeligord';
const JSON_TYPE = { 'content-type': 'application/json' };
/** pino's own fields; they are numbers the logger writes itself. */
const OWN_FIELDS = ['time', 'pid', 'hostname'];

const app = useApp();
beforeAll(async () => {
  const post = (path: string, body: string, headers: Record<string, string> = JSON_TYPE) =>
    fetch(`${app().baseUrl}${path}`, { method: 'POST', headers, body }).then((answer) => answer.arrayBuffer());
  await post('/v1/redact?fnr=01019012345', JSON.stringify({ text: `mitt fnr er 01019012345, ${SECRET_WORD}` }));
  await post('/v1/redact', `{"text": "${SECRET_WORD} 98765432", oops}`);
  // JSON.parse quotes short bodies whole in its message: "Unexpected token 'h', "{…}" is not valid JSON".
  await post('/v1/redact', `{"text":${SECRET_WORD}}`);
  await post('/v1/redact', JSON.stringify({ text: 'a', [SECRET_WORD]: '98765432' }));
  await post('/v1/redact', `${SECRET_WORD} 98765432`, { 'content-type': 'text/plain' });
  // The stream route reads its own query (format, keepField, keepTimestamps): its values stay out of the log too.
  await post(`/v1/redact/stream?format=json&keepField=kid12345678901&keepField=${SECRET_WORD}`, `${SECRET_WORD} 4111 1111 1111 1111`, {});
  await fetch(`${app().baseUrl}/nope/98765432/${SECRET_WORD}?fnr=01019012345`).then((a) => a.arrayBuffer());
  await fetch(`${app().baseUrl}/healthz?${SECRET_WORD}=1`, { headers: { 'x-note': `${SECRET_WORD} 98765432` } });
  await requestRaw(app().port, { path: `/%2e%2e/${SECRET_WORD}?fnr=01019012345` });
  // The request log is written on 'close', which may come just after the client has its answer.
  await waitFor(() => app().logLines().filter((line) => line.msg === 'request').length >= 9);
});

function withoutOwnFields(line: Record<string, unknown>): string {
  const copy = { ...line };
  for (const field of OWN_FIELDS) delete copy[field];
  return JSON.stringify(copy);
}

describe('request log', () => {
  it('writes one line per request with method, route, status, duration and anonymised address', () => {
    const requests = app().logLines().filter((line) => line.msg === 'request');
    expect(requests).toHaveLength(9);
    expect(requests.map((line) => [line.method, line.path, line.status])).toEqual([
      // The query is refused (the policy is the gateway's), and still never logged.
      ['POST', '/v1/redact', 400],
      ['POST', '/v1/redact', 400],
      ['POST', '/v1/redact', 400],
      ['POST', '/v1/redact', 400],
      ['POST', '/v1/redact', 415],
      ['POST', '/v1/redact/stream', 200],
      ['GET', '(unmatched)', 404],
      ['GET', '/healthz', 200],
      ['GET', '(unmatched)', 404],
    ]);
    for (const line of requests) {
      expect(line.ip).toBe('127.0.x.x');
      expect(typeof line.durationMs).toBe('number');
      expect(Object.keys(line).sort()).toEqual(
        ['durationMs', 'hostname', 'ip', 'level', 'method', 'msg', 'path', 'pid', 'status', 'time'].sort(),
      );
    }
  });

  it('holds no body, query string, header or number of seven digits', () => {
    const lines = app().logLines();
    expect(lines.length).toBeGreaterThanOrEqual(9);
    for (const line of lines) {
      const text = withoutOwnFields(line);
      expect(countLeaks(text)).toBe(0);
      expect(text).not.toContain(SECRET_WORD);
      expect(text).not.toContain('?');
      expect(text).not.toMatch(/fnr|kid=|x-note|content-type|user-agent/i);
    }
  });

  it('names refused requests by code and class only', () => {
    const refused = app().logLines().filter((line) => line.msg === 'request refused');
    expect(refused.map((line) => line.code)).toEqual([
      'invalid_request',
      'invalid_request',
      'invalid_request',
      'invalid_request',
      'unsupported_media_type',
    ]);
    expect(refused[1]).toMatchObject({ errorClass: 'SyntaxError', bodyErrorType: 'entity.parse.failed' });
  });
});
