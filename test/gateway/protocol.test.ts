import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { MAX_ID_LENGTH, MAX_REPORTED_REMOVALS, MAX_TOKEN_LENGTH, errorFrame, parseClientFrame } from '../../src/gateway/protocol.js';

const parse = (value: unknown) => parseClientFrame(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), false);

describe('parseClientFrame', () => {
  it('reads messages, clicks and resumes', () => {
    expect(parse({ type: 'message', id: 'a', text: 'hei' })).toEqual({ ok: true, frame: { type: 'message', id: 'a', text: 'hei' } });
    expect(parse({ type: 'action', id: 'b', action: 'qwertyuiopas' })).toEqual({ ok: true, frame: { type: 'action', id: 'b', action: 'qwertyuiopas' } });
    expect(parse({ type: 'resume', token: 'abcDEF' })).toEqual({ ok: true, frame: { type: 'resume', token: 'abcDEF' } });
  });

  it('reads a plain message as the schema does: unknown keys dropped, the id checked, the text a string', () => {
    expect(parse({ type: 'message', id: 'a', text: 'hei', extra: 1, kinds: {} })).toEqual({ ok: true, frame: { type: 'message', id: 'a', text: 'hei' } });
    for (const id of ['', 'a\u0001', 'a\u200b', '\ud800', 'x'.repeat(MAX_ID_LENGTH + 1), 7, null]) {
      expect(parse({ type: 'message', id, text: 'hei' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^id: /) });
    }
    expect(parse({ type: 'message', id: 'a', text: 7 })).toMatchObject({ ok: false, id: 'a', problem: expect.stringMatching(/^text: /) });
    expect(parse({ type: 'message', id: 'a' })).toMatchObject({ ok: false, id: 'a', problem: expect.stringMatching(/^text: /) });
    expect(parse([{ type: 'message', id: 'a', text: 'hei' }]).ok).toBe(false);
  });

  it('keeps a valid removal report and drops one that is not counts by known kind, keeping the message', () => {
    expect(parse({ type: 'message', id: 'a', text: 't', removed: { national_id: 1, phone: 2 } })).toEqual({
      ok: true,
      frame: { type: 'message', id: 'a', text: 't', removed: { national_id: 1, phone: 2 } },
    });
    for (const removed of [{ fnr: 1 }, { phone: -1 }, { phone: 1.5 }, { phone: MAX_REPORTED_REMOVALS + 1 }, [1], 'phone', null, { phone: '1' }]) {
      expect(parse({ type: 'message', id: 'a', text: 't', removed })).toEqual({ ok: true, frame: { type: 'message', id: 'a', text: 't' } });
    }
  });

  it('bounds ids, action ids and tokens', () => {
    expect(parse({ type: 'message', id: 'x'.repeat(MAX_ID_LENGTH), text: '' }).ok).toBe(true);
    expect(parse({ type: 'message', id: 'x'.repeat(MAX_ID_LENGTH + 1), text: '' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^id: /) });
    expect(parse({ type: 'action', id: 'a', action: '' }).ok).toBe(false);
    expect(parse({ type: 'action', id: 'a', action: 'x'.repeat(MAX_ID_LENGTH + 1) }).ok).toBe(false);
    expect(parse({ type: 'resume', token: 'x'.repeat(MAX_TOKEN_LENGTH) }).ok).toBe(true);
    expect(parse({ type: 'resume', token: 'x'.repeat(MAX_TOKEN_LENGTH + 1) }).ok).toBe(false);
    expect(parse({ type: 'resume', token: '' }).ok).toBe(false);
  });

  it('takes ids of printable characters of any script, and no control or format character, lone surrogate, private use or line separator', () => {
    for (const id of ['m 1', '漢字', '😀', 'Ærlig?', 'fnr 010190 12345', '٣٤', 'a\u0301']) {
      expect(parse({ type: 'message', id, text: '' }).ok, JSON.stringify(id)).toBe(true);
      expect(parse({ type: 'action', id, action: id }).ok, JSON.stringify(id)).toBe(true);
    }
    for (const bad of ['\u0001', 'a\nb', 'a\rb', 'a\tb', '\u007f', '\u0085', 'a\u200bb', '\u202e', '\ufeff', '\ud800', 'a\udfffb', '\ue000', '\u2028', '\u2029']) {
      expect(parse({ type: 'message', id: bad, text: '' }), JSON.stringify(bad)).toEqual({ ok: false, problem: 'id: must be printable characters' });
      expect(parse({ type: 'action', id: 'ok', action: bad }), JSON.stringify(bad)).toMatchObject({ ok: false, id: 'ok' });
    }
  });

  it('names the id of a bad frame when it has a usable one, and says what is wrong', () => {
    expect(parse({ type: 'message', id: 'm1' })).toEqual({ ok: false, id: 'm1', problem: expect.stringMatching(/^text: /) });
    expect(parse({ type: 'action', id: 'm2' })).toEqual({ ok: false, id: 'm2', problem: expect.stringMatching(/^action: /) });
    expect(parse({ type: 'typing', id: 'm3' })).toMatchObject({ ok: false, id: 'm3' });
    expect(parse('not json')).toEqual({ ok: false, problem: 'the frame is not JSON' });
    expect(parseClientFrame(Buffer.from('{}'), true)).toEqual({ ok: false, problem: 'binary frames are not accepted; send JSON text' });
  });

  it('reads a fragmented frame', () => {
    const frame = parseClientFrame([Buffer.from('{"type":"mess'), Buffer.from('age","id":"f","text":"x"}')], false);
    expect(frame).toEqual({ ok: true, frame: { type: 'message', id: 'f', text: 'x' } });
  });
});

describe('errorFrame', () => {
  it('carries the registry message, and the id only when there is one', () => {
    expect(errorFrame('unknown_action', 'a')).toEqual({ type: 'error', id: 'a', code: 'unknown_action', message: ERROR_CODES.unknown_action.message });
    expect(errorFrame('invalid_message')).toEqual({ type: 'error', code: 'invalid_message', message: ERROR_CODES.invalid_message.message });
  });
});
