/**
 * What the client reads from the gateway: every frame the gateway's protocol defines, and
 * nothing else.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseServerFrame, type ServerFrame } from '../../src/client/frames.js';
import type { ServerFrame as GatewayServerFrame } from '../../src/gateway/protocol.js';

describe('parseServerFrame', () => {
  it('takes every frame the gateway sends', () => {
    const frames: GatewayServerFrame[] = [
      { type: 'notice', text: 'Hei' },
      { type: 'session', token: 'abcDEF', resumed: true },
      { type: 'ack', id: 'm', redactions: 2, text: 'fnr ' } as GatewayServerFrame,
      { type: 'reply', id: 'm', text: 'Hei', final: false } as GatewayServerFrame,
      { type: 'reply', text: 'Velkommen', final: true, actions: [{ id: 'qa', label: 'Faktura' }, { id: 'qb', label: 'Mer', url: 'https://example.no/' }] } as GatewayServerFrame,
      { type: 'error', id: 'm', code: 'vendor_timeout', message: 'Too slow.' },
      { type: 'error', code: 'invalid_message', message: 'Bad.' },
    ];
    for (const frame of frames) expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
  });

  it('types the gateway frames as frames the client reads', () => {
    expectTypeOf<GatewayServerFrame>().toExtend<ServerFrame>();
  });

  it('drops what is not a frame: binary data, text that is not JSON, unknown types and shapes', () => {
    for (const data of [new Uint8Array([123, 125]), 42, undefined, 'not json', '[]', 'null', '{"type":"gossip"}', '{"type":"ack","id":"m"}', '{"type":"session","token":"","resumed":false}', '{"type":"reply","text":"x"}']) {
      expect(parseServerFrame(data), String(data)).toBeUndefined();
    }
  });

  it('reads a nameless attachment\'s kind on a link, and no other kind, nor one on a button', () => {
    const image = { id: 'a', label: 'Image', url: 'https://example.no/kart.png', attachment: 'image' };
    const file = { id: 'b', label: 'File', url: 'https://example.no/vilkar.pdf', attachment: 'file' };
    const video = { id: 'c', label: 'Video', url: 'https://example.no/v.mp4' };
    const button = { id: 'd', label: 'Knapp' };
    const actions = [image, file, { ...video, attachment: 'video' }, { ...button, attachment: 'image' }];
    const frame = parseServerFrame(JSON.stringify({ type: 'reply', text: '', final: true, actions }));
    expect(frame).toEqual({ type: 'reply', text: '', final: true, actions: [image, file, video, button] });
  });

  it('drops a malformed action, and a link that is not http(s), but keeps the reply', () => {
    const frame = parseServerFrame(
      JSON.stringify({
        type: 'reply',
        id: 'm',
        text: 'Velg',
        final: true,
        actions: [{ id: 'qa', label: 'OK' }, { label: 'no id' }, { id: 'qb', label: 'Lenke', url: 'javascript:alert(1)' }, 'x'],
      }),
    );
    expect(frame).toEqual({ type: 'reply', id: 'm', text: 'Velg', final: true, actions: [{ id: 'qa', label: 'OK' }] });
  });
});
