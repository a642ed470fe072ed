/**
 * Between the embed launcher and its chat frame: where the frame lives, and the only messages
 * that pass between them — "close me" from the frame, "take the focus" from the launcher. They carry no text of the conversation, so the
 * host page learns nothing from them but that the user closed the chat.
 *
 * @module
 */

/** The page the launcher's frame shows: the chat alone, with a close button. */
export const CHAT_FRAME_PATH = '/chat-frame';

/** Marks the messages as this widget's among whatever else a page posts. */
export const FRAME_MESSAGE_SOURCE = 'chat-redact';

/** What the frame and the launcher say to each other. */
export type FrameMessageType = 'close' | 'focus';

/** One message between the frame and the launcher. */
export interface FrameMessage {
  readonly source: typeof FRAME_MESSAGE_SOURCE;
  readonly type: FrameMessageType;
}

/** The message of `type`. */
export function frameMessage(type: FrameMessageType): FrameMessage {
  return { source: FRAME_MESSAGE_SOURCE, type };
}

/** Whether `data` (a `message` event's) is this widget's message of `type`. */
export function isFrameMessage(data: unknown, type: FrameMessageType): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { source?: unknown }).source === FRAME_MESSAGE_SOURCE &&
    (data as { type?: unknown }).type === type
  );
}
