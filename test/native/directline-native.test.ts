/**
 * The Direct Line module's own decisions: the stream URL rewritten to the gateway (path and query
 * as Direct Line wrote them), the vendor's stream address for a client's, and what passes on the
 * stream each way.
 */
import { describe, expect, it } from 'vitest';
import { createDirectLineNativeApi, rewriteStreamUrl } from '../../src/native/directline-native.js';
import { NativeText } from '../../src/native/native-text.js';
import { createPolicy } from '../../src/redact/index.js';

const policy = createPolicy();
const STREAM = 'wss://directline.botframework.com/v3/directline/conversations/DL1234567890abc-in/stream?watermark=4000012&t=abc123456789';

describe('rewriteStreamUrl', () => {
  it('moves the stream to the gateway, its path and query (token, watermark) untouched', () => {
    expect(rewriteStreamUrl(STREAM, 'https://chat.example.no')).toBe(
      'wss://chat.example.no/v3/directline/conversations/DL1234567890abc-in/stream?watermark=4000012&t=abc123456789',
    );
    expect(rewriteStreamUrl(STREAM, 'http://127.0.0.1:8080')).toMatch(/^ws:\/\/127\.0\.0\.1:8080\/v3\/directline\/conversations\//);
  });

  it('drops what is not a conversation’s stream', () => {
    expect(rewriteStreamUrl('wss://directline.botframework.com/v3/directline/conversations/a/activities', 'https://x.example')).toBeUndefined();
    expect(rewriteStreamUrl('wss://evil.example/other/stream', 'https://x.example')).toBeUndefined();
    expect(rewriteStreamUrl('not a url', 'https://x.example')).toBeUndefined();
  });
});

describe('the Direct Line stream', () => {
  const { stream } = createDirectLineNativeApi({ baseUrl: 'https://europe.directline.botframework.com', answerLimitBytes: 1024 });

  it('is found at the conversation’s stream path and reached at VENDOR_URL’s host', () => {
    expect(stream!.matches('/v3/directline/conversations/DL1-in/stream')).toBe(true);
    expect(stream!.matches('/v3/directline/conversations/DL1-in/activities')).toBe(false);
    expect(stream!.matches('/chat')).toBe(false);
    expect(stream!.vendorUrl('/v3/directline/conversations/DL1-in/stream', '?t=x')).toBe('wss://europe.directline.botframework.com/v3/directline/conversations/DL1-in/stream?t=x');
  });

  it('passes activity sets redacted and keep-alives as they are; nothing else either way', () => {
    const outbound = new NativeText(policy);
    expect(stream!.toClient('', outbound)).toBe('');
    expect(JSON.parse(stream!.toClient(JSON.stringify({ activities: [{ type: 'message', text: 'tlf 98 76 54 32' }], watermark: '4000001' }), outbound)!)).toEqual({
      activities: [{ type: 'message', text: 'tlf ' }],
      watermark: '4000001',
    });
    expect(stream!.toClient('{"not":"a set","text":"98765432"}', outbound)).toBeUndefined();
    expect(stream!.toClient('98765432', outbound)).toBeUndefined();
    expect(stream!.toVendor('', new NativeText(policy))).toBe('');
    expect(stream!.toVendor('{"text":"hei"}', new NativeText(policy))).toBeUndefined();
  });
});
