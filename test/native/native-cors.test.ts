/**
 * Who may call the native API from a browser: the service's own origin and `ALLOWED_ORIGINS`
 * exactly; a request without `Origin` is no page's. And how a preflight is answered.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answerPreflight, judgeOrigin } from '../../src/native/native-cors.js';

function requestWith(headers: Record<string, string>): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.headers = { host: 'chat.example.no', ...headers };
  return request;
}

describe('judgeOrigin', () => {
  it.each([
    [{}, [], 'none'],
    [{ origin: 'https://chat.example.no' }, [], 'same'],
    [{ origin: 'https://app.example.no' }, ['https://app.example.no'], 'allowed'],
    [{ origin: 'https://app.example.no.evil.example' }, ['https://app.example.no'], 'refused'],
    [{ origin: 'http://app.example.no' }, ['https://app.example.no'], 'refused'],
    [{ origin: 'null' }, [], 'refused'],
  ] as const)('%j with %j is %s', (headers, allowed, verdict) => {
    expect(judgeOrigin(requestWith(headers), allowed)).toBe(verdict);
  });
});

describe('answerPreflight', () => {
  const answer = (headers: Record<string, string>) => {
    const request = requestWith({ origin: 'https://app.example.no', ...headers });
    const response = new ServerResponse(request);
    answerPreflight(request, response, judgeOrigin(request, ['https://app.example.no']), ['POST', 'OPTIONS']);
    return response;
  };

  it('allows the methods, echoes header names, and says for how long', () => {
    const response = answer({ 'access-control-request-headers': 'Authorization, Content-Type, X-Stainless-Arch' });
    expect(response.statusCode).toBe(204);
    expect(response.getHeader('access-control-allow-origin')).toBe('https://app.example.no');
    expect(response.getHeader('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(response.getHeader('access-control-allow-headers')).toBe('Authorization, Content-Type, X-Stainless-Arch');
    expect(response.getHeader('access-control-max-age')).toBe('600');
  });

  it('does not echo what is no list of header names', () => {
    expect(answer({ 'access-control-request-headers': 'x-a\r\nset-cookie: a=1' }).getHeader('access-control-allow-headers')).toBeUndefined();
    expect(answer({ 'access-control-request-headers': 'a,'.repeat(1_100) + 'b' }).getHeader('access-control-allow-headers')).toBeUndefined();
  });
});
