import { describe, expect, it } from 'vitest';
import { VendorFailure, breakerResultOf, failureFromStatus, findProxyRefusal, findTransportCode, isUnprocessed, toVendorFailure } from '../../src/chatbot/vendor-failure.js';

describe('failureFromStatus', () => {
  it('retries 429, 502, 503 and 504 (with Retry-After), and nothing else', () => {
    expect(failureFromStatus(429, '2')).toMatchObject({ code: 'vendor_unavailable', retryable: true, retryAfterMs: 2000, vendorStatus: 429, tripsBreaker: true });
    expect(failureFromStatus(502, undefined)).toMatchObject({ code: 'vendor_unavailable', retryable: true });
    expect(failureFromStatus(503, undefined)).toMatchObject({ code: 'vendor_unavailable', retryable: true });
    expect(failureFromStatus(504, undefined)).toMatchObject({ code: 'vendor_timeout', retryable: true });
    expect(failureFromStatus(500, '5')).toMatchObject({ code: 'vendor_error', retryable: false, retryAfterMs: undefined, tripsBreaker: true });
    for (const status of [400, 401, 403, 404, 409, 413, 422]) {
      expect(failureFromStatus(status, undefined)).toMatchObject({ code: 'vendor_error', retryable: false, tripsBreaker: false, vendorStatus: status });
    }
  });
});

describe('toVendorFailure', () => {
  it('takes a connection failure for unavailable before the reply began, an error after', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toVendorFailure(reset, false)).toMatchObject({ code: 'vendor_unavailable', reason: 'transport', retryable: true });
    expect(toVendorFailure(reset, true)).toMatchObject({ code: 'vendor_error', reason: 'transport', retryable: false });
    expect(toVendorFailure(new TypeError('boom'), false)).toMatchObject({ code: 'vendor_error', reason: 'unexpected', retryable: false });
    const failure = new VendorFailure('vendor_timeout', { reason: 'timeout' });
    expect(toVendorFailure(failure, true)).toBe(failure);
  });

  it('finds a transport code through causes and happy-eyeballs aggregates, and never reports its message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(findTransportCode(new AggregateError([refused]))).toBe('ECONNREFUSED');
    expect(findTransportCode(new Error('wrapped', { cause: refused }))).toBe('ECONNREFUSED');
    expect(findTransportCode(new Error('no code'))).toBeUndefined();
    expect(toVendorFailure(refused, false).message).not.toContain('127.0.0.1');
  });
});

describe('breakerResultOf', () => {
  it('counts against the vendor what is its fault, and not a refusal of this one message', () => {
    expect(breakerResultOf(failureFromStatus(503, undefined))).toBe('failure');
    expect(breakerResultOf(failureFromStatus(400, undefined))).toBe('success');
    expect(breakerResultOf(new VendorFailure('vendor_error', { reason: 'malformed' }))).toBe('success');
    expect(breakerResultOf(new VendorFailure('vendor_unavailable', { reason: 'closed' }))).toBe('neutral');
  });
});

describe('VendorFailure.with', () => {
  it('keeps every field it is not told to change, and changes the code when told', () => {
    const cause = new Error('underneath');
    const base = new VendorFailure('vendor_unavailable', { reason: 'status', retryable: true, tripsBreaker: true, vendorStatus: 503, retryAfterMs: 2000, cause });
    expect(base.with({ retryable: false })).toMatchObject({ code: 'vendor_unavailable', reason: 'status', retryable: false, tripsBreaker: true, vendorStatus: 503, retryAfterMs: 2000, cause });
    expect(base.with({ retryAfterMs: 5 })).toMatchObject({ retryable: true, retryAfterMs: 5 });
    const cut = base.with({ code: 'vendor_error', retryAfterMs: undefined });
    expect(cut).toBeInstanceOf(VendorFailure);
    expect(cut).toMatchObject({ code: 'vendor_error', status: 502, retryAfterMs: undefined, vendorStatus: 503 });
    expect(base.code).toBe('vendor_unavailable');
  });
});

describe('a refusing egress proxy', () => {
  // undici 7's words when the proxy answers CONNECT with anything but 200.
  const refusal = (status: number): Error => Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { code: 'UND_ERR_ABORTED' });

  it('is vendor_unavailable, never acted on by the vendor, retried only when the proxy could not reach it', () => {
    expect(findProxyRefusal(new Error('x', { cause: refusal(407) }))).toBe(407);
    expect(findProxyRefusal(new Error('Proxy said no'))).toBeUndefined();
    expect(toVendorFailure(refusal(407), false)).toMatchObject({ code: 'vendor_unavailable', reason: 'proxy', retryable: false, tripsBreaker: true });
    expect(toVendorFailure(refusal(403), false)).toMatchObject({ reason: 'proxy', retryable: false });
    expect(toVendorFailure(refusal(502), false)).toMatchObject({ reason: 'proxy', retryable: true });
    expect(toVendorFailure(refusal(502), true)).toMatchObject({ reason: 'proxy', retryable: false });
    expect(isUnprocessed(toVendorFailure(refusal(503), false))).toBe(true);
    expect(toVendorFailure(refusal(407), false).with({ proxy: 'proxy.bank.no:3128' }).proxy).toBe('proxy.bank.no:3128');
  });
});
