/**
 * A chatbot double at the adapter seam (`src/chatbot/chatbot.ts`): replies come from a script,
 * every input is recorded with its conversation, and a greeting, a saved state and messages the
 * vendor sends on its own can be scripted. For gateway tests that need no HTTP vendor.
 */
import type { Chatbot, ChatInput, ConversationOptions, ReplyPart } from '../../src/chatbot/chatbot.js';

/** One input as the chatbot received it; `text` is a click's label for an action. */
export type RecordedInput = ChatInput & { readonly conversationId: string; readonly state: unknown; readonly text: string };

/** Parts or plain strings (text parts). */
export type ScriptedPart = ReplyPart | string;
export type ReplyScript = (input: RecordedInput, signal: AbortSignal) => AsyncIterable<ScriptedPart>;

export interface ScriptedChatbot extends Chatbot {
  /** Every reply asked for, in order. */
  readonly requests: RecordedInput[];
  /** Every conversation opened, with the options it was opened with. */
  readonly opened: ConversationOptions[];
  /** How many times a conversation was started (its greeting asked for). */
  readonly starts: number;
}

export interface ScriptedChatbotOptions {
  readonly reply?: ReplyScript;
  readonly greeting?: readonly ScriptedPart[];
  /** What `saveState` returns, given the replies the conversation gave so far; default `undefined`. */
  readonly saveState?: (turns: number, maxBytes: number) => unknown;
}

const toPart = (part: ScriptedPart): ReplyPart => (typeof part === 'string' ? { type: 'text', text: part } : part);

export const echoScript: ReplyScript = async function* echo(input) {
  yield `you said: ${input.text}`;
};

export function createScriptedChatbot(options: ScriptedChatbotOptions = {}): ScriptedChatbot {
  const script = options.reply ?? echoScript;
  const requests: RecordedInput[] = [];
  const opened: ConversationOptions[] = [];
  let starts = 0;
  return {
    kind: 'generic',
    requests,
    opened,
    get starts() {
      return starts;
    },
    open(conversation) {
      opened.push(conversation);
      let turns = (conversation.state as { turns?: number } | undefined)?.turns ?? 0;
      return {
        async *start() {
          // A resumed conversation began already: no second greeting.
          if (conversation.state !== undefined) return;
          starts += 1;
          for (const part of options.greeting ?? []) yield toPart(part);
        },
        async *reply(input, signal) {
          const recorded: RecordedInput = {
            ...input,
            conversationId: conversation.conversationId,
            state: conversation.state,
            text: input.kind === 'text' ? input.text : input.label,
          };
          requests.push(recorded);
          for await (const part of script(recorded, signal)) {
            yield toPart(part);
          }
          turns += 1;
        },
        saveState: (maxBytes) => options.saveState?.(turns, maxBytes),
        close() {},
      };
    },
    close: async () => {},
  };
}
