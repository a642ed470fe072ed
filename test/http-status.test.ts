import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS, isClientErrorStatus, isErrorStatus, isHttpStatus, isServerErrorStatus, isSuccessStatus } from '../src/http-status.js';
import { ERROR_CODES } from '../src/errors.js';

describe('HTTP status names', () => {
  it('each name is the status Node names so (RFC 9110)', () => {
    const expected: Record<string, string> = {
      ok: 'OK',
      noContent: 'No Content',
      badRequest: 'Bad Request',
      unauthorized: 'Unauthorized',
      forbidden: 'Forbidden',
      notFound: 'Not Found',
      methodNotAllowed: 'Method Not Allowed',
      payloadTooLarge: 'Payload Too Large',
      unsupportedMediaType: 'Unsupported Media Type',
      tooManyRequests: 'Too Many Requests',
      internalServerError: 'Internal Server Error',
      badGateway: 'Bad Gateway',
      serviceUnavailable: 'Service Unavailable',
      gatewayTimeout: 'Gateway Timeout',
    };
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, status] of Object.entries(HTTP_STATUS)) expect(STATUS_CODES[status], name).toBe(expected[name]);
  });

  it('sorts statuses into their classes', () => {
    expect([199, 200, 204, 299, 300].map(isSuccessStatus)).toEqual([false, true, true, true, false]);
    expect([399, 400, 429, 499, 500].map(isClientErrorStatus)).toEqual([false, true, true, true, false]);
    expect([499, 500, 504, 599, 600].map(isServerErrorStatus)).toEqual([false, true, true, true, false]);
    expect([200, 304, 400, 503].map(isErrorStatus)).toEqual([false, false, true, true]);
    expect([99, 100, 599, 600, 200.5, Number.NaN].map(isHttpStatus)).toEqual([false, true, true, false, false, false]);
  });

  it('the error registry answers only with named error statuses', () => {
    const named = new Set<number>(Object.values(HTTP_STATUS));
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(named.has(status), code).toBe(true);
      expect(isErrorStatus(status), code).toBe(true);
    }
  });
});
