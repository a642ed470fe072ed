import { describe, expect, it } from 'vitest';
import { maxUnreadBytes } from '../../src/gateway/chat-context.js';

describe('maxUnreadBytes', () => {
  it('lets a client leave 64 frames unread, and never less than 1 MiB', () => {
    expect(maxUnreadBytes({ maxMessageBytes: 16_384 })).toBe(1_048_576);
    expect(maxUnreadBytes({ maxMessageBytes: 512 })).toBe(1_048_576);
    expect(maxUnreadBytes({ maxMessageBytes: 65_536 })).toBe(4_194_304);
  });
});
