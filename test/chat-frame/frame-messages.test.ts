/**
 * The messages between the embed launcher and its frame: recognised exactly, carrying nothing.
 */
import { describe, expect, it } from 'vitest';
import { CHAT_FRAME_PATH, FRAME_MESSAGE_SOURCE, frameMessage, isFrameMessage } from '../../src/chat-frame/frame-messages.js';

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
