/**
 * The chat page's script (`/widget.js`, for `/` and the embed frame `/chat-frame`): it reads the
 * gateway's policy, connects with the client library, and wires the transcript, the composer
 * and, inside a frame, the launcher. Nothing here touches HTML as markup.
 *
 * @module
 */
import { readBranding } from '../chat-frame/branding.js';
import { chooseLanguage } from '../chat-frame/languages.js';
import { ChatClient } from '../client/chat-client.js';
import { redact } from '../redact/redact.js';
import { CLOSE_CODES } from '../errors.js';
import type { StateEvent } from '../client/client-options.js';
import { createLocalRedactor, fetchWidgetPolicy, type LocalRedactor } from '../client/local-redaction.js';
import { createWebStorageStore } from '../client/session-store.js';
import { PAGE_PASS_PATH, cutTitle, limitTitleLength } from '../chat-frame/frame-messages.js';
import { Composer } from './composer.js';
import { connectToLauncher } from './frame-bridge.js';
import { applyBranding } from './page-branding.js';
import { textsFor, type Texts } from './texts.js';
import { Transcript } from './transcript.js';
import { pageSessionStorage } from './transcript-storage.js';

const MS_PER_SECOND = 1_000;
/** Texts of the page that `data-text…` attributes name, so the HTML holds no copy of them. */
type TextKey = { [K in keyof Texts]: Texts[K] extends string ? K : never }[keyof Texts];

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The chat page has no #${id}.`);
  return element as T;
}

/** The page's static texts in the chosen language. */
function translatePage(texts: Texts, language: string): void {
  document.documentElement.lang = language;
  document.title = texts.title;
  // The status the page starts in, until the client says otherwise.
  byId('status').textContent = texts.status.connecting;
  const pick = (key: string | undefined): string | undefined => (key === undefined ? undefined : (texts[key as TextKey] as string | undefined));
  document.querySelectorAll<HTMLElement>('[data-text], [data-text-label], [data-text-placeholder]').forEach((element) => {
    const text = pick(element.dataset.text);
    if (text !== undefined) element.textContent = text;
    const label = pick(element.dataset.textLabel);
    if (label !== undefined) element.setAttribute('aria-label', label);
    const placeholder = pick(element.dataset.textPlaceholder);
    if (placeholder !== undefined) element.setAttribute('placeholder', placeholder);
  });
}

/** How often the page takes a fresh pass while it is open: well within the pass's ten minutes. */
const PASS_REFRESH_MS = 4 * 60 * 1_000;

/**
 * The pass the gateway gives its own pages when `WIDGET_TOKEN` is set (none otherwise: 404), kept
 * fresh while the page is open and taken again after a lost connection.
 */
class PagePass {
  #pass: string | undefined;
  #fetching: Promise<void> | undefined;

  get current(): string | undefined {
    return this.#pass;
  }

  refresh(): Promise<void> {
    this.#fetching ??= fetch(PAGE_PASS_PATH, { cache: 'no-store', credentials: 'omit' })
      .then(async (response) => {
        if (!response.ok) return;
        const { pass } = (await response.json()) as { pass?: unknown };
        if (typeof pass === 'string') this.#pass = pass;
      })
      .catch(() => undefined)
      .finally(() => {
        this.#fetching = undefined;
      });
    return this.#fetching;
  }
}

/**
 * `/chat` on this page's host, saying the page's language (for the notice): with the token a
 * `?token=` on the page names (a team that hands it out itself), else with the page's pass, when
 * the gateway gave one.
 */
function chatUrl(language: string, pass: string | undefined): string {
  const url = new URL('/chat', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('lang', language);
  const token = new URLSearchParams(location.search).get('token') || pass;
  if (token !== undefined && token !== '') url.searchParams.set('token', token);
  return url.href;
}

function showStatus(status: HTMLElement, texts: Texts, event: StateEvent): void {
  status.dataset.state = event.state;
  if (event.state === 'waiting') {
    const seconds = Math.max(1, Math.round((event.retryInMs ?? 0) / MS_PER_SECOND));
    status.textContent = texts.reconnecting(seconds, event.closeCode === CLOSE_CODES.policyViolation);
  } else {
    status.textContent = texts.status[event.state];
  }
}

/**
 * The chat's heading and the document's title from the launcher's `data-title`: made one line
 * (so a line break cannot hide a number's separators), redacted by the engine with the
 * gateway's policy, and cut to length. An empty title leaves the page's own.
 */
function showTitle(text: string, redactor: LocalRedactor): void {
  const title = limitTitleLength(redactor.redact(cutTitle(text)).text).trim();
  if (title === '') return;
  byId('chat-title').textContent = title;
  document.title = title;
}

/**
 * The launcher's branding, read again here (a message is trusted no more than an attribute), with
 * the assistant's name redacted like the title. Returns the name as shown, or `''`.
 */
function showBranding(settings: Readonly<Record<string, unknown>>, redactor: LocalRedactor, texts: Texts): string {
  const brand = readBranding((key) => settings[key], { baseUrl: location.href, gatewayOrigin: location.origin });
  // The engine alone, with the gateway's policy: a name is no message, so it joins no number sent in pieces.
  const name = brand.assistantName === undefined ? '' : redact(brand.assistantName, redactor.policy).text.trim();
  applyBranding(brand, name, { avatar: byId<HTMLImageElement>('avatar'), assistantLine: byId('assistant-name') }, texts.assistant);
  return name;
}

async function loadRedactor(): Promise<LocalRedactor> {
  try {
    return createLocalRedactor(await fetchWidgetPolicy(location.origin));
  } catch {
    // The engine's defaults until the policy can be read; the gateway redacts by its own anyway.
    return createLocalRedactor();
  }
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const language = chooseLanguage(params.get('lang'), navigator.languages);
  const texts = textsFor(language);
  translatePage(texts, language);
  const redactorLoading = loadRedactor();
  let drawn: Transcript | undefined;
  let assistantLabel: string | undefined;
  // First, so that the launcher's "focus", title and branding are heard even while the policy loads.
  connectToLauncher({
    closeButton: document.getElementById('close') as HTMLButtonElement | null,
    focus: () => byId('input').focus(),
    title: (text) => void redactorLoading.then((redactor) => showTitle(text, redactor)),
    brand: (settings) =>
      void redactorLoading.then((redactor) => {
        const name = showBranding(settings, redactor, texts);
        if (name === '') return;
        assistantLabel = `${name}:`;
        drawn?.setAssistantLabel(assistantLabel);
      }),
  });

  const status = byId('status');
  const storage = pageSessionStorage();
  const pass = new PagePass();
  const [redactor] = await Promise.all([redactorLoading, pass.refresh()]);
  setInterval(() => void pass.refresh(), PASS_REFRESH_MS);
  const client = new ChatClient({
    url: () => chatUrl(language, pass.current),
    redactor,
    ...(storage !== undefined && { store: createWebStorageStore(storage) }),
  });
  const composer = new Composer(
    { form: byId<HTMLFormElement>('composer'), input: byId<HTMLTextAreaElement>('input'), send: byId<HTMLButtonElement>('send'), hint: byId('redaction-hint') },
    {
      texts,
      redactor: () => client.redactor,
      submit(text) {
        const sent = client.send(text);
        transcript.addUserMessage(sent.id, sent.text, sent.redactions);
        transcript.foldNotice();
      },
    },
  );
  const transcript = new Transcript({ messages: byId('messages'), notice: byId('notice') }, texts, storage, (action) => {
    transcript.addUserMessage(client.sendAction(action.id), action.label, 0);
    composer.focus();
  });
  drawn = transcript;
  if (assistantLabel !== undefined) transcript.setAssistantLabel(assistantLabel);

  let resuming = false;
  client.on('state', (event) => {
    showStatus(status, texts, event);
    composer.setEnabled(event.state === 'open');
    if (event.state === 'resuming') resuming = true;
    if (event.state === 'waiting') {
      transcript.showConnectionLost(client.pending.map((frame) => frame.id));
      // A pass may have run out while the device slept: the next attempt takes a fresh one.
      void pass.refresh();
    }
  });
  client.on('session', (session) => {
    if (resuming && !session.resumed && transcript.entries.length > 0) transcript.addSystemNote('restarted');
    resuming = false;
  });
  client.on('notice', (notice) => transcript.showNotice(notice.text));
  client.on('ack', (ack) => transcript.applyAck(ack));
  client.on('reply', (reply) => transcript.applyReply(reply));
  client.on('error', (error) => transcript.applyError(error));

  // Back online: try at once rather than waiting out the backoff.
  window.addEventListener('online', () => client.reconnectNow());
  client.connect();
}

void start();
