/**
 * The elements of one message on screen. Text is only ever written as text (`textContent`, text
 * nodes): the page's CSP enforces Trusted Types, so any HTML sink would throw. Every line break
 * is drawn as one (`white-space: pre-wrap` draws `\n`, and the text is drawn with its line breaks
 * written `\n`, `line-breaks.ts`): `98\r76\r54\r32` is four lines, never `98765432`.
 *
 * @module
 */
import type { ChatAction } from '../client/frames.js';
import { normalizeLineBreaks } from '../line-breaks.js';
import type { BotEntry, SystemEntry, UserEntry } from './transcript-storage.js';
import type { Texts } from './texts.js';

/** The elements of a message that change after it is drawn. */
export interface MessageView {
  readonly item: HTMLElement;
  readonly body: HTMLElement;
  /** The user's messages: "Sending…", "Sent". */
  readonly meta?: HTMLElement;
  /** Where notes (numbers removed, errors) go. */
  readonly notes: HTMLElement;
}

/** A new element with a class and text. */
export function createElement<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className !== undefined) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A "You:" or "Assistant:" that screen readers read before the message and eyes do not need. */
function speaker(text: string): HTMLElement {
  return createElement('span', 'speaker visually-hidden', `${text} `);
}

/** Name the speaker of a drawn message anew (the assistant's name arrived after it was drawn). */
export function relabelSpeaker(view: MessageView, text: string): void {
  const who = view.body.querySelector(':scope > .speaker');
  if (who !== null) who.textContent = `${text} `;
}

function drawMessage(className: string, who: string, text: string): MessageView {
  const item = createElement('div', className);
  const body = createElement('p', 'message-text');
  body.append(speaker(who), normalizeLineBreaks(text));
  const notes = createElement('div', 'message-notes');
  item.append(body, notes);
  return { item, body, notes };
}

/** Replace the text of a message, keeping its speaker. */
export function setMessageText(view: MessageView, text: string): void {
  const who = view.body.firstElementChild;
  view.body.replaceChildren(...(who === null ? [] : [who]), normalizeLineBreaks(text));
}

/** Add the next part of a reply that streams in. */
export function appendMessageText(view: MessageView, text: string): void {
  if (text !== '') view.body.append(normalizeLineBreaks(text));
}

/** Add a note under a message. */
function addNote(view: MessageView, className: 'redaction-note' | 'error-note', text: string): void {
  view.notes.append(createElement('p', className, text));
}

/** A message of the user's. */
export function drawUserMessage(entry: UserEntry, texts: Texts): MessageView {
  const view = drawMessage('message user', texts.you, entry.text);
  const meta = createElement('span', 'message-meta');
  view.item.insertBefore(meta, view.notes);
  view.item.dataset.id = entry.id;
  const drawn = { ...view, meta };
  showUserState(drawn, entry, texts);
  showUserNotes(drawn, entry, texts);
  return drawn;
}

/** The notes under a user's message: how many numbers were removed (here and by the gateway), and its error. */
export function showUserNotes(view: MessageView, entry: UserEntry, texts: Texts): void {
  view.notes.replaceChildren();
  const removed = entry.removed + entry.gatewayRemoved;
  if (removed > 0) addNote(view, 'redaction-note', texts.removed(removed));
  if (entry.error !== undefined) addNote(view, 'error-note', texts.errors[entry.error] ?? texts.fallbackError);
}

/**
 * Show where a user's message is: sending, sent, not sent — or, with `waiting`, to be sent again
 * once the connection is back (it was cut before the message was answered).
 */
export function showUserState(view: MessageView, entry: UserEntry, texts: Texts, waiting = false): void {
  view.item.dataset.state = entry.state;
  const meta = entry.state === 'failed' ? texts.notSent : waiting ? texts.waitingToResend : entry.state === 'sent' ? texts.sent : texts.sending;
  if (view.meta !== undefined) view.meta.textContent = meta;
}

/** A reply, or a message of the vendor's own; `onAction` is told of a click on one of its buttons. */
export function drawBotMessage(entry: BotEntry, texts: Texts, onAction: (action: ChatAction) => void): MessageView {
  const view = entry.agent === true ? drawMessage('message bot agent', texts.agent, entry.text) : drawMessage('message bot', texts.assistant, entry.text);
  if (entry.replyTo !== undefined) view.item.dataset.replyTo = entry.replyTo;
  showBotState(view, entry);
  if (entry.actions.length > 0) view.item.append(drawActions(entry, texts, onAction));
  return view;
}

/** Busy while an answer streams in (screen readers wait for the whole of it), done after. */
export function showBotState(view: MessageView, entry: BotEntry, interrupted = false): void {
  view.item.dataset.state = entry.done ? 'done' : interrupted ? 'interrupted' : 'streaming';
  if (entry.done || interrupted) view.item.removeAttribute('aria-busy');
  else view.item.setAttribute('aria-busy', 'true');
}

/**
 * The buttons and links under a reply: native buttons and links, so the keyboard reaches and
 * uses them with no script. A link opens in a new tab without telling the site where the user
 * came from or giving it a handle on this page.
 */
export function drawActions(entry: BotEntry, texts: Texts, onAction: (action: ChatAction) => void): HTMLElement {
  const group = createElement('div', 'actions');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', texts.suggestions);
  for (const action of entry.actions) {
    if (action.url !== undefined) {
      const link = createElement('a', 'action action-link', action.attachment === undefined ? action.label : texts.attachments[action.attachment]);
      link.href = action.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.append(createElement('span', 'visually-hidden', ` ${texts.opensInNewTab}`));
      group.append(link);
    } else {
      const button = createElement('button', 'action action-button', action.label);
      button.type = 'button';
      button.disabled = entry.used;
      button.dataset.action = action.id;
      button.addEventListener('click', () => onAction(action));
      group.append(button);
    }
  }
  return group;
}

/** A note of the widget's own, between messages. */
export function drawSystemMessage(entry: SystemEntry, texts: Texts): MessageView {
  const item = createElement('div', 'message system');
  const text = entry.code === 'restarted' ? texts.restarted : (texts.errors[entry.code] ?? texts.fallbackError);
  const body = createElement('p', entry.code === 'restarted' ? 'system-note' : 'error-note', text);
  item.append(body);
  return { item, body, notes: item };
}
