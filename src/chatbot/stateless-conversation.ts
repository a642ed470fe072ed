/**
 * A conversation that keeps no state of its own: the vendor speaks only when spoken to (no
 * greeting, so nothing a resume could repeat), remembers what it needs itself, and holds nothing
 * open between messages. The generic contract, Rasa and the demo bot are such conversations; an
 * adapter gives only its reply.
 *
 * @module
 */
import type { ChatbotConversation } from './chatbot.js';

/**
 * The conversation whose every message is answered by `reply`.
 *
 * @example
 * ```ts
 * open: ({ conversationId }) => statelessConversation((input, signal) => client.turn(signal, (turn) => ask(turn, conversationId, input))),
 * ```
 */
export function statelessConversation(reply: ChatbotConversation['reply']): ChatbotConversation {
  return {
    async *start() {},
    reply,
    saveState: () => undefined,
    close() {},
  };
}
