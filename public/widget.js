// chat-redact demo widget: talks the chat protocol over a WebSocket to /chat on this host.
// Plain JavaScript, no dependencies; it writes only textContent, never HTML (the page's CSP
// enforces that with Trusted Types).

const RECONNECT_BASE_MS = 1000;
const RECONNECT_MAX_MS = 30000;
/** Share of each backoff delay that is random, so reconnecting widgets do not arrive together. */
const RECONNECT_JITTER = 0.3;
const MS_PER_SECOND = 1000;
/** Message ids are letters only: a digit run in an id could itself look like a number to redact. */
const ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16;
const CLOSE_POLICY_VIOLATION = 1008;

const ERROR_TEXTS = {
  invalid_message: 'The message could not be read; please try again. / Meldingen kunne ikke leses; prøv igjen.',
  message_too_large: 'The message is too long; please shorten it. / Meldingen er for lang; gjør den kortere.',
  rate_limited: 'You are sending messages quickly; please wait a moment. / Du sender mange meldinger; vent litt.',
  vendor_unavailable:
    'The assistant is unavailable right now; please try again shortly. / Assistenten er ikke tilgjengelig nå; prøv igjen om litt.',
  vendor_timeout: 'The assistant took too long to answer; please try again. / Assistenten brukte for lang tid; prøv igjen.',
  vendor_error: 'The assistant could not answer this message. / Assistenten kunne ikke svare på denne meldingen.',
  internal: 'Something went wrong on our side; nothing was sent. / Noe gikk galt hos oss; ingenting ble sendt.',
};
const FALLBACK_ERROR_TEXT = 'Something went wrong; please try again. / Noe gikk galt; prøv igjen.';

const elements = {
  status: document.getElementById('status'),
  notice: document.getElementById('notice'),
  messages: document.getElementById('messages'),
  composer: document.getElementById('composer'),
  input: document.getElementById('input'),
  send: document.getElementById('send'),
};

const state = {
  /** @type {WebSocket | null} */
  socket: null,
  attempt: 0,
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  reconnectTimer: undefined,
  /** The user's messages by id: their list item, text and meta line. */
  sent: new Map(),
  /** Bot bubbles still receiving a streamed reply, by message id. */
  replies: new Map(),
};

function chatUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = new URL(`${scheme}//${location.host}/chat`);
  const token = new URLSearchParams(location.search).get('token');
  if (token) url.searchParams.set('token', token);
  return url.href;
}

function createId() {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_LENGTH));
  return `m-${Array.from(bytes, (byte) => ID_LETTERS[byte % ID_LETTERS.length]).join('')}`;
}

function isOpen() {
  return state.socket !== null && state.socket.readyState === WebSocket.OPEN;
}

function setStatus(name, text) {
  elements.status.dataset.state = name;
  elements.status.textContent = text;
  elements.send.disabled = name !== 'open';
}

function createElement(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function appendToLog(item) {
  elements.messages.append(item);
  elements.messages.scrollTop = elements.messages.scrollHeight;
}

function describeRedactions(count) {
  return count === 1
    ? '1 number was removed before sending. / 1 tall ble fjernet før sending.'
    : `${count} numbers were removed before sending. / ${count} tall ble fjernet før sending.`;
}

function showNotice(text) {
  elements.notice.textContent = text;
  elements.notice.hidden = false;
}

function addUserMessage(id, text) {
  const item = createElement('div', 'message user');
  item.dataset.id = id;
  item.dataset.state = 'pending';
  const body = createElement('p', 'message-text', text);
  const meta = createElement('span', 'message-meta', 'Sending… / Sender…');
  item.append(body, meta);
  state.sent.set(id, { item, body, meta });
  appendToLog(item);
}

function markFailed(entry, why) {
  entry.item.dataset.state = 'failed';
  entry.meta.textContent = why;
}

function applyAck(frame) {
  const entry = state.sent.get(frame.id);
  if (!entry) return;
  // The screen shows exactly what was sent: the removed numbers leave the transcript too.
  entry.body.textContent = typeof frame.text === 'string' ? frame.text : '';
  entry.item.dataset.state = 'sent';
  entry.meta.textContent = 'Sent / Sendt';
  const redactions = Number(frame.redactions);
  if (Number.isInteger(redactions) && redactions > 0) {
    entry.item.append(createElement('p', 'redaction-note', describeRedactions(redactions)));
  }
}

function endReply(id, how) {
  const bubble = state.replies.get(id);
  if (!bubble) return;
  bubble.item.removeAttribute('aria-busy');
  bubble.item.dataset.state = how;
  bubble.body.normalize();
  state.replies.delete(id);
}

function appendReply(frame) {
  let bubble = state.replies.get(frame.id);
  if (!bubble && frame.final === true && !frame.text) return;
  if (!bubble) {
    const item = createElement('div', 'message bot');
    item.dataset.replyTo = frame.id;
    item.setAttribute('aria-busy', 'true');
    const body = createElement('p', 'message-text');
    item.append(body);
    bubble = { item, body };
    state.replies.set(frame.id, bubble);
    appendToLog(item);
  }
  // Every frame's text is a delta, the final one included: an unstreamed reply is a single
  // final frame that carries the whole text.
  if (typeof frame.text === 'string' && frame.text !== '') bubble.body.append(frame.text);
  elements.messages.scrollTop = elements.messages.scrollHeight;
  if (frame.final === true) endReply(frame.id, 'done');
}

function showError(frame) {
  const text = ERROR_TEXTS[frame.code] ?? (typeof frame.message === 'string' ? frame.message : FALLBACK_ERROR_TEXT);
  const note = createElement('p', 'error-note', text);
  const entry = typeof frame.id === 'string' ? state.sent.get(frame.id) : undefined;
  if (!entry) {
    const item = createElement('div', 'message system');
    item.append(note);
    appendToLog(item);
    return;
  }
  if (entry.item.dataset.state === 'pending') markFailed(entry, 'Not sent / Ikke sendt');
  endReply(frame.id, 'interrupted');
  entry.item.append(note);
  elements.messages.scrollTop = elements.messages.scrollHeight;
}

function handleFrame(data) {
  if (typeof data !== 'string') return;
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    return;
  }
  if (frame === null || typeof frame !== 'object') return;
  if (frame.type === 'notice' && typeof frame.text === 'string') showNotice(frame.text);
  else if (frame.type === 'ack' && typeof frame.id === 'string') applyAck(frame);
  else if (frame.type === 'reply' && typeof frame.id === 'string') appendReply(frame);
  else if (frame.type === 'error') showError(frame);
}

function abandonInFlight() {
  for (const entry of state.sent.values()) {
    if (entry.item.dataset.state === 'pending') markFailed(entry, 'Not sent: connection lost / Ikke sendt: forbindelsen ble brutt');
  }
  for (const id of [...state.replies.keys()]) endReply(id, 'interrupted');
}

function scheduleReconnect(closeCode) {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** state.attempt);
  const delay = Math.round(ceiling * (1 - RECONNECT_JITTER * Math.random()));
  state.attempt += 1;
  const seconds = Math.max(1, Math.round(delay / MS_PER_SECOND));
  const why = closeCode === CLOSE_POLICY_VIOLATION ? 'Connection refused. ' : 'Disconnected. ';
  setStatus('waiting', `${why}Reconnecting in ${seconds} s… / Kobler til igjen om ${seconds} s…`);
  state.reconnectTimer = setTimeout(connect, delay);
}

function connect() {
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = undefined;
  setStatus('connecting', 'Connecting… / Kobler til…');
  let socket;
  try {
    socket = new WebSocket(chatUrl());
  } catch {
    scheduleReconnect();
    return;
  }
  state.socket = socket;
  socket.addEventListener('open', () => {
    state.attempt = 0;
    setStatus('open', 'Connected / Tilkoblet');
  });
  socket.addEventListener('message', (event) => handleFrame(event.data));
  // An 'error' event is always followed by 'close', so reconnecting is handled there alone.
  socket.addEventListener('close', (event) => {
    if (state.socket !== socket) return;
    state.socket = null;
    abandonInFlight();
    scheduleReconnect(event.code);
  });
}

function sendMessage() {
  const text = elements.input.value;
  if (text.trim() === '' || !isOpen()) return;
  const id = createId();
  state.socket.send(JSON.stringify({ type: 'message', id, text }));
  addUserMessage(id, text);
  elements.input.value = '';
  elements.input.focus();
}

elements.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  sendMessage();
});

elements.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    elements.composer.requestSubmit();
  }
});

// Back online: try at once rather than waiting out the backoff.
window.addEventListener('online', () => {
  if (state.reconnectTimer !== undefined) connect();
});

connect();
