import { describe, expect, it } from 'vitest';
import type { ChatInput, ReplyPart } from '../../src/chatbot/chatbot.js';
import { statelessConversation } from '../../src/chatbot/stateless-conversation.js';
import { idempotencyKeyOf, isKeyOf } from '../../src/chatbot/vendor-exchange.js';
import { redact } from '../../src/redact/index.js';

async function collect(parts: AsyncIterable<ReplyPart>): Promise<ReplyPart[]> {
  const out: ReplyPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('statelessConversation', () => {
  it('greets with nothing, answers with its reply, keeps no state and holds nothing open', async () => {
    const inputs: ChatInput[] = [];
    const conversation = statelessConversation(async function* reply(input) {
      inputs.push(input);
      yield { type: 'text', text: 'svar' };
    });
    const signal = new AbortController().signal;
    expect(await collect(conversation.start(signal))).toEqual([]);
    const input: ChatInput = { kind: 'text', messageId: 'm1', text: redact('hei').text };
    expect(await collect(conversation.reply(input, signal))).toEqual([{ type: 'text', text: 'svar' }]);
    expect(inputs).toEqual([input]);
    expect(conversation.saveState(4096)).toBeUndefined();
    expect(conversation.recordTurn).toBeUndefined();
    expect(() => conversation.close()).not.toThrow();
  });
});

describe('idempotencyKeyOf', () => {
  it('joins conversation and message, and tells a conversation its own keys', () => {
    expect(idempotencyKeyOf('qhzkwmpbtrea', 'm1')).toBe('qhzkwmpbtrea:m1');
    expect(isKeyOf('qhzkwmpbtrea', idempotencyKeyOf('qhzkwmpbtrea', '@a'))).toBe(true);
    expect(isKeyOf('qhzkwmpbtrea', idempotencyKeyOf('qhzkwmpbtreab', 'm1'))).toBe(false);
    expect(isKeyOf('qhzkw', 'qhzkwmpbtrea:m1')).toBe(false);
  });
});
