/**
 * A Boost.ai bot for tests: Chat API v2 (`POST /api/chat/v2`, one command per request) on the
 * scriptable HTTP stub, answering as boost.ai's iOS and Android SDKs show the real API does —
 * a START with `conversation.id`, `state` (`chat_status`, `poll`, `max_input_chars`, …) and a
 * welcome `response`; POSTs answered with `posted_id` and the bot's `response`; POLL with every
 * `responses` entry after the id it is sent (the user's own messages too, `source: "client"`,
 * at most 100); HUMANCHATPOST (what the user writes to the agent) with `posted_id`; DOWNLOAD with
 * the transcript as text; errors as `{"error":"…"}` with a 4xx or 5xx status. Ids hold digits, as Boost's
 * do: a conversation id of 88 characters, response ids counting up from 1683979, link ids.
 *
 * The bot: a welcome in HTML with three links (an invoice question, a human agent, the privacy
 * policy as an external link); text is answered `Du skrev: <text>` unless a test says otherwise;
 * asking for a human puts the chat in the human chat queue, where what the test makes the agent
 * write comes with the next POLL, until the test ends the human chat.
 *
 * @example
 * ```ts
 * const boost = await startBoostStub();
 * boost.http.script(boostError(429, 'Too many requests', 1)); // the next request is refused
 * // … point the adapter at boost.baseUrl …
 * boost.agentWrites(boost.conversationIds()[0]!, textElement('Hei, jeg heter Kari.'));
 * ```
 */
import { startVendorStub, type RecordedRequest, type StubReply, type VendorStub } from './vendor-stub.js';

/** One element of a response, as Boost sends it. */
export interface BoostElement {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** The links of the welcome message. */
export const LINKS = Object.freeze({
  invoice: { id: '184712', text: 'Faktura', type: 'action_link' },
  human: { id: '184713', text: 'Snakk med en rådgiver', type: 'action_link' },
  privacy: { id: '184714', text: 'Personvern', type: 'external_link', url: 'https://www.boost.ai/privacy-policy' },
});
export const MAX_INPUT_CHARS = 110;
const FIRST_RESPONSE_ID = 1_683_979;
const MAX_POLLED_RESPONSES = 100;
const CHAT_PATH = '/api/chat/v2';

export const textElement = (text: string): BoostElement => ({ type: 'text', payload: { text } });
export const htmlElement = (html: string): BoostElement => ({ type: 'html', payload: { html } });
export const linksElement = (...links: Record<string, unknown>[]): BoostElement => ({ type: 'links', payload: { links } });

export const WELCOME: readonly BoostElement[] = [
  htmlElement('<p>Hei! Jeg er <strong>Boost-boten</strong>. Ikke del personnummer&nbsp;her.</p>'),
  linksElement(LINKS.invoice, LINKS.human, LINKS.privacy),
];
const INVOICE_ANSWER = [htmlElement('<p>Betal til konto <b>7694</b>.05.<i>20300</i>, KID 12&#8203;34 56 78.</p>')];
const QUEUED_ANSWER = [textElement('Du er satt i kø til en rådgiver.')];
const HUMAN_CHAT_ENDED = [textElement('Rådgiveren har avsluttet chatten.')];
const echoText = (value: string): readonly BoostElement[] => [htmlElement(`<p>Du skrev: ${escapeHtml(value)}</p>`)];

/** A Boost error answer: `{"error": message}` with `status`, and `Retry-After` when given. */
export function boostError(status: number, message: string, retryAfterSeconds?: number): StubReply {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return { kind: 'json', status, body: { error: message }, headers };
}

/** A command as the stub received it. */
export type BoostCommand = Record<string, unknown> & { readonly command?: string };

interface StoredResponse {
  readonly id: string;
  readonly source: 'bot' | 'client';
  readonly elements: readonly BoostElement[];
  readonly avatar_url?: string;
}

interface StubConversation {
  readonly id: string;
  readonly responses: StoredResponse[];
  chatStatus: 'virtual_agent' | 'in_human_chat_queue' | 'assigned_to_human';
  poll: boolean;
  blocked: boolean;
}

/** A running Boost stub. */
export interface BoostStub {
  /** The bot's base URL, what `VENDOR_URL` is set to. */
  readonly baseUrl: string;
  /** The HTTP stub under it: every request, scripted answers ahead of the bot's own, `settled()`. */
  readonly http: VendorStub;
  /** The body of every request, in order (scripted failures too). */
  commands(): BoostCommand[];
  /** Conversation ids handed out, oldest first. */
  conversationIds(): string[];
  /** Every response id handed out (the user's messages too), oldest first. */
  responseIds(): string[];
  /** How the bot answers a text message (default: `Du skrev: <text>`). */
  answerTextWith(answer: (value: string) => readonly BoostElement[]): void;
  /** What the welcome message holds (default {@link WELCOME}). */
  greetWith(elements: readonly BoostElement[]): void;
  /** The human agent writes in conversation `id`: it comes with the next POLL. Returns its response id. */
  agentWrites(id: string, ...elements: BoostElement[]): string;
  /** The agent ends the human chat: back to the bot, `poll` false. */
  endHumanChat(id: string): void;
  /** Forget conversations, requests, scripts and custom answers. */
  reset(): void;
  close(): Promise<void>;
}

/** Start a Boost stub on 127.0.0.1 and an ephemeral port. */
export async function startBoostStub(): Promise<BoostStub> {
  const http = await startVendorStub();
  const conversations = new Map<string, StubConversation>();
  let nextId = FIRST_RESPONSE_ID;
  let greeting = WELCOME;
  let answerText = echoText;

  const store = (conversation: StubConversation, source: 'bot' | 'client', elements: readonly BoostElement[]): StoredResponse => {
    const response: StoredResponse = {
      id: String(nextId++),
      source,
      elements,
      ...(source === 'bot' && conversation.chatStatus === 'assigned_to_human' && { avatar_url: 'https://stub.boost.ai/img/agent.png' }),
    };
    conversation.responses.push(response);
    return response;
  };
  const answer = (conversation: StubConversation, extra: Record<string, unknown>): StubReply => ({
    kind: 'json',
    body: { conversation: conversationView(conversation), ...extra },
  });

  function handle(request: RecordedRequest): StubReply {
    if (request.method !== 'POST') return boostError(405, 'Method not allowed');
    if (request.path !== CHAT_PATH) return boostError(404, 'Not found');
    const body = request.body as BoostCommand | undefined;
    if (typeof body !== 'object' || body === null || typeof body.command !== 'string') return boostError(400, 'Invalid request');
    if (body.command === 'START') {
      const conversation: StubConversation = {
        id: `nxa5G6sK${conversations.size + 1}HNdLNla2LMZcjHOmwwRrQqs9D1nDddtwYyX1KSMCHKC9-lzQIZ1RYcX9W04nkNUVPwaYvHgT7vPmZw==`,
        responses: [],
        chatStatus: 'virtual_agent',
        poll: false,
        blocked: false,
      };
      conversations.set(conversation.id, conversation);
      return answer(conversation, { response: responseView(store(conversation, 'bot', greeting)) });
    }
    const conversation = conversations.get(String(body.conversation_id));
    if (conversation === undefined) return boostError(400, 'Conversation not found');
    switch (body.command) {
      case 'POST':
        return post(conversation, body);
      case 'POLL': {
        const after = body.value === '' || body.value === undefined ? -1 : Number(body.value);
        const found = conversation.responses.filter((response) => Number(response.id) > after).slice(0, MAX_POLLED_RESPONSES);
        return answer(conversation, { responses: found.map(responseView) });
      }
      case 'HUMANCHATPOST': {
        const posted = store(conversation, 'client', [textElement(String(body.value ?? ''))]);
        return answer(conversation, { posted_id: Number(posted.id) });
      }
      case 'DOWNLOAD':
        return { kind: 'raw', contentType: 'text/plain; charset=utf-8', body: transcriptOf(conversation) };
      case 'STOP':
        conversation.blocked = true;
        return answer(conversation, {});
      default:
        return boostError(400, 'Unknown command');
    }
  }

  function post(conversation: StubConversation, body: BoostCommand): StubReply {
    if (conversation.blocked) return boostError(400, 'Conversation is blocked');
    if (body.type === 'text') {
      const value = String(body.value ?? '');
      if (value.length > MAX_INPUT_CHARS) return boostError(400, 'Message too long');
      const posted = store(conversation, 'client', [textElement(value)]);
      // In a human chat the message goes to the agent; what they write comes with a POLL.
      if (conversation.poll) return answer(conversation, { posted_id: Number(posted.id) });
      return answer(conversation, { posted_id: Number(posted.id), response: responseView(store(conversation, 'bot', answerText(value))) });
    }
    if (body.type === 'external_link' && body.id === LINKS.privacy.id) return answer(conversation, {});
    if (body.type !== 'action_link') return boostError(400, 'Invalid type');
    if (body.id === LINKS.invoice.id) return answer(conversation, { response: responseView(store(conversation, 'bot', INVOICE_ANSWER)) });
    if (body.id !== LINKS.human.id) return boostError(400, 'Invalid link id');
    conversation.poll = true;
    conversation.chatStatus = 'in_human_chat_queue';
    return answer(conversation, { response: responseView(store(conversation, 'bot', QUEUED_ANSWER)) });
  }

  http.setHandler(handle);
  const conversationOf = (id: string): StubConversation => {
    const conversation = conversations.get(id);
    if (conversation === undefined) throw new Error('no such conversation at the Boost stub');
    return conversation;
  };
  return {
    baseUrl: new URL(http.url).origin,
    http,
    commands: () => http.requests.map((request) => request.body as BoostCommand),
    conversationIds: () => [...conversations.keys()],
    responseIds: () => [...conversations.values()].flatMap((conversation) => conversation.responses.map((response) => response.id)),
    answerTextWith: (next) => void (answerText = next),
    greetWith: (elements) => void (greeting = elements),
    agentWrites(id, ...elements) {
      const conversation = conversationOf(id);
      conversation.chatStatus = 'assigned_to_human';
      return store(conversation, 'bot', elements).id;
    },
    endHumanChat(id) {
      const conversation = conversationOf(id);
      store(conversation, 'bot', HUMAN_CHAT_ENDED);
      conversation.poll = false;
      conversation.chatStatus = 'virtual_agent';
    },
    reset() {
      http.reset();
      http.setHandler(handle);
      conversations.clear();
      nextId = FIRST_RESPONSE_ID;
      greeting = WELCOME;
      answerText = echoText;
    },
    close: () => http.close(),
  };
}

function conversationView(conversation: StubConversation): Record<string, unknown> {
  return {
    id: conversation.id,
    reference: '98cef0ca2b7687f519f52e2e83179b4b',
    state: {
      allow_delete_conversation: true,
      chat_status: conversation.chatStatus,
      poll: conversation.poll,
      human_is_typing: false,
      is_blocked: conversation.blocked,
      max_input_chars: MAX_INPUT_CHARS,
      privacy_policy_url: 'https://www.boost.ai/privacy-policy',
    },
  };
}

function responseView(response: StoredResponse): Record<string, unknown> {
  return { ...response, language: 'no-NO', date_created: '2020-06-25T10:50:22.703025' };
}

/** The transcript DOWNLOAD gives: one line per message, `Bot:` or `Du:`, HTML reduced to its text. */
function transcriptOf(conversation: StubConversation): string {
  const textOf = (element: BoostElement): string => {
    if (element.type === 'text') return String(element.payload.text);
    if (element.type !== 'html') return '';
    return String(element.payload.html)
      .replace(/<[^>]*>/g, '')
      .replaceAll('&nbsp;', '\u00a0')
      .replace(/&#(\d+);/g, (_match, code: string) => String.fromCodePoint(Number(code)));
  };
  const lines = conversation.responses.map((response) => `${response.source === 'bot' ? 'Bot' : 'Du'}: ${response.elements.map(textOf).filter((text) => text !== '').join(' ')}`);
  return `${lines.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => `&#${ch.codePointAt(0)};`);
}
