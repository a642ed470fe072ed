/**
 * The conversation on screen and in `sessionStorage`: the user's messages as they were sent,
 * the bot's replies as they stream in (a reply to a message sent again after a reconnect
 * replaces what was shown of the first attempt, never adds to it), the buttons under them, and
 * the widget's own notes.
 *
 * @module
 */
import type { AckFrame, ChatAction, ErrorFrame } from '../client/frames.js';
import type { ReplyEvent } from '../client/client-options.js';
import type { StorageLike } from '../client/session-store.js';
import { normalizeLineBreaks } from '../line-breaks.js';
import {
  appendMessageText,
  drawActions,
  drawBotMessage,
  drawSystemMessage,
  drawUserMessage,
  relabelSpeaker,
  setMessageText,
  showBotState,
  showUserNotes,
  showUserState,
  type MessageView,
} from './message-view.js';
import type { Texts } from './texts.js';
import { loadTranscript, saveTranscript, type BotEntry, type Entry, type UserEntry } from './transcript-storage.js';

/** Where the transcript is drawn. */
export interface TranscriptElements {
  /** The `role="log"` list of messages. */
  readonly messages: HTMLElement;
  /** The privacy notice's box. */
  readonly notice: HTMLElement;
}

/** The code the gateway uses for a message it will get again after the reconnect. */
const SHUTTING_DOWN = 'shutting_down';

/** The transcript of one page: drawn, updated from the client's events, and saved after each change. */
export class Transcript {
  readonly #elements: TranscriptElements;
  #texts: Texts;
  readonly #storage: StorageLike | undefined;
  readonly #onAction: (action: ChatAction) => void;
  readonly #entries: Entry[] = [];
  readonly #views = new Map<Entry, MessageView>();
  readonly #users = new Map<string, UserEntry>();
  /** The latest reply to each message id. */
  readonly #replies = new Map<string, BotEntry>();
  #notice: string | undefined;
  #saveQueued = false;

  /** `onAction` sends a click on a reply's button; the transcript shows it as the user's message once acked. */
  constructor(elements: TranscriptElements, texts: Texts, storage: StorageLike | undefined, onAction: (action: ChatAction) => void) {
    this.#elements = elements;
    this.#texts = texts;
    this.#storage = storage;
    this.#onAction = onAction;
    const saved = loadTranscript(storage);
    if (saved.notice !== undefined) this.showNotice(saved.notice);
    for (const entry of saved.entries) this.#add(entry);
  }

  /** Messages and replies drawn, oldest first. */
  get entries(): readonly Entry[] {
    return this.#entries;
  }

  showNotice(text: string): void {
    this.#notice = text;
    const { notice } = this.#elements;
    const body = notice.querySelector('.notice-text') ?? notice;
    body.textContent = normalizeLineBreaks(text);
    notice.hidden = false;
    this.#save();
  }

  /** The assistant has a name of its own (the host's branding): its messages, drawn and to come, say it. */
  setAssistantLabel(label: string): void {
    this.#texts = { ...this.#texts, assistant: label };
    for (const entry of this.#entries) {
      if (entry.kind === 'bot' && entry.agent !== true) relabelSpeaker(this.#views.get(entry)!, label);
    }
  }

  /** The notice has been read (the user sent a message): fold it to its one-line summary; a click opens it again. */
  foldNotice(): void {
    const { notice } = this.#elements;
    if (notice instanceof HTMLDetailsElement) notice.open = false;
  }

  /** A message of the user's, as it is being sent: `removed` numbers were deleted on the device. */
  addUserMessage(id: string, text: string, removed: number): void {
    this.#add({ kind: 'user', id, text, state: 'pending', removed, gatewayRemoved: 0 });
  }

  /** The gateway took the message: show exactly what it sent on. */
  applyAck(ack: AckFrame): void {
    const entry = this.#users.get(ack.id);
    const view = entry && this.#views.get(entry);
    if (entry === undefined || view === undefined) return;
    entry.text = ack.text;
    entry.state = 'sent';
    entry.gatewayRemoved = ack.redactions;
    delete entry.error;
    setMessageText(view, ack.text);
    showUserState(view, entry, this.#texts);
    showUserNotes(view, entry, this.#texts);
    this.#save();
  }

  applyReply(reply: ReplyEvent): void {
    if (reply.id === undefined) {
      if (reply.text !== '' || reply.actions.length > 0) this.#add(this.#botEntry(undefined, reply));
      return;
    }
    const entry = this.#replies.get(reply.id);
    if (entry === undefined) {
      // An empty final frame only closes a reply; alone it is no message.
      if (!reply.final || reply.text !== '' || reply.actions.length > 0) this.#add(this.#botEntry(reply.id, reply));
      return;
    }
    const view = this.#views.get(entry)!;
    if (reply.first) {
      // The message went again after a reconnect: its new answer replaces what the first attempt showed.
      entry.text = reply.text;
      entry.actions = [...reply.actions];
      setMessageText(view, entry.text);
      view.item.querySelector('.actions')?.remove();
    } else {
      entry.text += reply.text;
      entry.actions.push(...reply.actions);
      appendMessageText(view, reply.text);
    }
    entry.done = reply.final;
    if (reply.actions.length > 0 || reply.first) this.#redrawActions(entry, view);
    showBotState(view, entry);
    this.#scrollToEnd();
    this.#save();
  }

  applyError(error: ErrorFrame): void {
    const entry = error.id === undefined ? undefined : this.#users.get(error.id);
    if (entry === undefined) {
      this.addSystemNote(error.code);
      return;
    }
    const view = this.#views.get(entry)!;
    const reply = this.#replies.get(entry.id);
    if (reply !== undefined && !reply.done) showBotState(this.#views.get(reply)!, reply, true);
    if (error.code === SHUTTING_DOWN) {
      // The gateway stopped before it answered: the client sends the message again after the reconnect.
      showUserState(view, entry, this.#texts, true);
      return;
    }
    entry.error = error.code;
    if (entry.state === 'pending') entry.state = 'failed';
    showUserState(view, entry, this.#texts);
    showUserNotes(view, entry, this.#texts);
    this.#scrollToEnd();
    this.#save();
  }

  /** A note of the widget's own: an error code, or `restarted` (a new conversation began). */
  addSystemNote(code: string): void {
    this.#add({ kind: 'system', code });
  }

  /** The connection dropped: the unanswered messages `waiting` go again once it is back; answers being written stop. */
  showConnectionLost(waiting: readonly string[]): void {
    for (const entry of this.#entries) {
      const view = this.#views.get(entry)!;
      if (entry.kind === 'user' && waiting.includes(entry.id)) showUserState(view, entry, this.#texts, true);
      if (entry.kind === 'bot' && !entry.done) showBotState(view, entry, true);
    }
  }

  #botEntry(replyTo: string | undefined, reply: ReplyEvent): BotEntry {
    return {
      kind: 'bot',
      ...(replyTo !== undefined && { replyTo }),
      text: reply.text,
      done: reply.final,
      actions: [...reply.actions],
      used: false,
      ...(reply.from === 'agent' && { agent: true }),
    };
  }

  #add(entry: Entry): void {
    const texts = this.#texts;
    let view: MessageView;
    if (entry.kind === 'user') {
      view = drawUserMessage(entry, texts);
      this.#users.set(entry.id, entry);
    } else if (entry.kind === 'bot') {
      view = drawBotMessage(entry, texts, (action) => this.#click(entry, action));
      if (entry.replyTo !== undefined) this.#replies.set(entry.replyTo, entry);
    } else {
      view = drawSystemMessage(entry, texts);
    }
    this.#entries.push(entry);
    this.#views.set(entry, view);
    this.#elements.messages.append(view.item);
    this.#scrollToEnd();
    this.#save();
  }

  /** A quick reply is used once: its group is disabled, and the click shows as the user's message. */
  #click(entry: BotEntry, action: ChatAction): void {
    if (entry.used) return;
    entry.used = true;
    this.#redrawActions(entry, this.#views.get(entry)!);
    this.#onAction(action);
    this.#save();
  }

  #redrawActions(entry: BotEntry, view: MessageView): void {
    view.item.querySelector('.actions')?.remove();
    if (entry.actions.length > 0) view.item.append(drawActions(entry, this.#texts, (action) => this.#click(entry, action)));
  }

  #scrollToEnd(): void {
    const { messages } = this.#elements;
    messages.scrollTop = messages.scrollHeight;
  }

  /** Saved once per turn of the event loop, however many frames changed it. */
  #save(): void {
    if (this.#saveQueued) return;
    this.#saveQueued = true;
    queueMicrotask(() => {
      this.#saveQueued = false;
      saveTranscript(this.#storage, { ...(this.#notice !== undefined && { notice: this.#notice }), entries: this.#entries });
    });
  }
}
