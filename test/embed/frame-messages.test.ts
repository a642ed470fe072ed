/**
 * The messages between the embed launcher and its frame: recognised exactly, carrying nothing
 * but a title, which is one line of at most MAX_TITLE_LENGTH characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHAT_FRAME_PATH,
  FRAME_MESSAGE_SOURCE,
  MAX_TITLE_LENGTH,
  cutTitle,
  frameMessage,
  isFrameMessage,
  limitTitleLength,
  readTitleMessage,
  titleMessage,
} from '../../src/embed/frame-messages.js';

describe('frame messages', () => {
  it('carry their source and type and nothing else', () => {
    expect(frameMessage('close')).toEqual({ source: FRAME_MESSAGE_SOURCE, type: 'close' });
    expect(Object.keys(frameMessage('focus'))).toEqual(['source', 'type']);
    expect(CHAT_FRAME_PATH).toBe('/chat-frame');
  });

  it('are told apart from whatever else a page posts', () => {
    expect(isFrameMessage(frameMessage('close'), 'close')).toBe(true);
    expect(isFrameMessage(frameMessage('close'), 'focus')).toBe(false);
    for (const data of [null, undefined, 'close', { type: 'close' }, { source: 'other', type: 'close' }, [FRAME_MESSAGE_SOURCE, 'close']]) {
      expect(isFrameMessage(data, 'close'), JSON.stringify(data)).toBe(false);
    }
  });
});

describe('the title message', () => {
  it('carries the title as one line, cut to length, and is read back only from a title message', () => {
    expect(titleMessage('  Spør\n oss\u2028nå  ')).toEqual({ source: FRAME_MESSAGE_SOURCE, type: 'title', text: 'Spør oss nå' });
    expect(readTitleMessage(titleMessage('Spør oss'))).toBe('Spør oss');
    for (const data of [frameMessage('focus'), { source: FRAME_MESSAGE_SOURCE, type: 'title' }, { source: FRAME_MESSAGE_SOURCE, type: 'title', text: 7 }, { type: 'title', text: 'x' }, 'title']) {
      expect(readTitleMessage(data), JSON.stringify(data)).toBeUndefined();
    }
  });

  it(`cuts at ${MAX_TITLE_LENGTH} code points, never inside a surrogate pair, and makes every line break a space`, () => {
    expect(cutTitle('x'.repeat(200))).toBe('x'.repeat(MAX_TITLE_LENGTH));
    expect(cutTitle('😀'.repeat(100))).toBe('😀'.repeat(MAX_TITLE_LENGTH));
    expect(cutTitle('98\r76\n54\u008532\f10\v')).toBe('98 76 54 32 10');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (text) => {
        const title = cutTitle(text);
        expect(Array.from(title).length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
        expect(title).not.toMatch(/[\r\n\v\f\u0085\u2028\u2029]/);
        expect(title.isWellFormed()).toBe(text.isWellFormed());
        expect(limitTitleLength(title)).toBe(title);
      }),
    );
  });
});
