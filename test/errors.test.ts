import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, CodedError, ERROR_CODES, errorBody, isErrorCode, type ErrorCode } from '../src/errors.js';
import { redact } from '../src/redact/index.js';
import { codeIn, readmeTable } from './support/readme.js';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];
const closeCodeOf = (code: ErrorCode): number | undefined =>
  (ERROR_CODES[code] as { closeCode?: number }).closeCode;

describe('ERROR_CODES', () => {
  it('holds every code the WebSocket protocol promises', () => {
    for (const code of ['invalid_message', 'message_too_large', 'rate_limited', 'vendor_unavailable', 'vendor_timeout', 'vendor_error', 'internal']) {
      expect(isErrorCode(code)).toBe(true);
    }
  });

  it.each(CODES)('%s: a snake_case code, an error status, a known close code, a safe message', (code) => {
    const spec = ERROR_CODES[code];
    expect(code).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThan(600);
    const closeCode = closeCodeOf(code);
    if (closeCode !== undefined) expect(Object.values(CLOSE_CODES)).toContain(closeCode);
    expect(spec.message.length).toBeGreaterThan(10);
    // The message goes to users and logs as it is: it must survive redaction untouched.
    expect(redact(spec.message).text).toBe(spec.message);
  });

  it('closes with the codes RFC 6455 and the protocol assign', () => {
    expect(CLOSE_CODES).toEqual({
      normal: 1000,
      goingAway: 1001,
      invalidPayload: 1007,
      policyViolation: 1008,
      messageTooBig: 1009,
      internalError: 1011,
    });
    expect(Object.fromEntries(CODES.filter((c) => closeCodeOf(c) !== undefined).map((c) => [c, closeCodeOf(c)]))).toEqual({
      message_too_large: 1009,
      rate_limited: 1008,
      internal: 1011,
      unauthorized: 1008,
      forbidden_origin: 1008,
      shutting_down: 1001,
    });
  });
});

describe('CodedError', () => {
  it('carries the code, the status and the registry message', () => {
    const error = new CodedError('vendor_timeout');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CodedError');
    expect(error.code).toBe('vendor_timeout');
    expect(error.status).toBe(504);
    expect(error.message).toBe(ERROR_CODES.vendor_timeout.message);
    expect(error.cause).toBeUndefined();
  });

  it('keeps a cause and takes a message of its own', () => {
    const cause = new Error('socket hang up');
    const error = new CodedError('vendor_unavailable', { cause, message: 'Vendor refused.' });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('Vendor refused.');
    expect(error.status).toBe(503);
    expect(error.stack).toMatch(/^CodedError: Vendor refused\./);
  });
});

describe('isErrorCode', () => {
  it.each(CODES)('knows %s', (code) => expect(isErrorCode(code)).toBe(true));

  it.each(['', 'INTERNAL', 'toString', '__proto__', 'constructor', 'hasOwnProperty', 42, null, undefined, {}])(
    'rejects %j',
    (value) => expect(isErrorCode(value)).toBe(false),
  );
});

describe('errorBody', () => {
  it('is {"error":{"code","message"}} with the registry message by default', () => {
    expect(errorBody('not_found')).toEqual({ error: { code: 'not_found', message: 'There is nothing at this address.' } });
    expect(errorBody('invalid_request', 'text must be a string')).toEqual({
      error: { code: 'invalid_request', message: 'text must be a string' },
    });
    expect(JSON.stringify(errorBody('internal'))).toBe(`{"error":{"code":"internal","message":${JSON.stringify(ERROR_CODES.internal.message)}}}`);
  });
});

describe('README error table', () => {
  const rows = readmeTable('Error codes');
  const documented = new Map(rows.map((cells) => [codeIn(cells[0] ?? ''), cells]));

  it('has one row per registered code, and no other', () => {
    const names = rows.map((cells) => codeIn(cells[0] ?? ''));
    expect(names.every((name) => name !== undefined)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...CODES].sort());
  });

  it.each(CODES)('documents %s with its meaning, HTTP status and close code', (code) => {
    const [, meaning = '', status = '', close = ''] = documented.get(code) ?? [];
    expect(meaning.length).toBeGreaterThan(10);
    expect(Number(status)).toBe(ERROR_CODES[code].status);
    expect(close).toBe(String(closeCodeOf(code) ?? '—'));
  });
});
