/**
 * `chat-redact/client`: the browser client library the chat widget itself is built on, for web
 * teams who build their own chat UI. It connects to the gateway's `/chat`, redacts every message
 * on the device with the gateway's own engine and policy before sending it, resumes the
 * conversation after a dropped connection or a reload, sends again what was not answered, and
 * reports what the gateway says as typed events. It runs in browsers, and in Node with `ws`.
 *
 * @example
 * ```ts
 * import { ChatClient, createLocalRedactor, createWebStorageStore, fetchWidgetPolicy } from 'chat-redact/client';
 *
 * const client = new ChatClient({
 *   url: 'wss://chat.example.no/chat',
 *   store: createWebStorageStore(sessionStorage),
 *   redactor: createLocalRedactor(await fetchWidgetPolicy('https://chat.example.no')),
 * });
 * client.on('ack', (ack) => showSent(ack.id, ack.text));
 * client.on('reply', (reply) => showReply(reply));
 * client.connect();
 * client.send(input.value);
 * ```
 *
 * @module
 */
export { ChatClient } from './chat-client.js';
export { createMessageId } from './frames.js';
export type {
  ChatClientEvents,
  ChatClientOptions,
  ConnectionState,
  ReconnectOptions,
  ReplyEvent,
  SentMessage,
  StateEvent,
  WebSocketConstructor,
  WebSocketLike,
} from './client-options.js';
export {
  parseServerFrame,
  type AckFrame,
  type AttachmentKind,
  type ChatAction,
  type ErrorFrame,
  type NoticeFrame,
  type OutgoingAction,
  type OutgoingFrame,
  type OutgoingMessage,
  type ReplyFrame,
  type ServerFrame,
  type SessionFrame,
} from './frames.js';
export {
  WIDGET_POLICY_PATH,
  createLocalRedactor,
  fetchWidgetPolicy,
  readWidgetPolicy,
  type LocalRedaction,
  type LocalRedactor,
} from './local-redaction.js';
export {
  DEFAULT_SESSION_KEY,
  createMemoryStore,
  createWebStorageStore,
  type SavedSession,
  type SessionStore,
  type StorageLike,
} from './session-store.js';
