/**
 * The widgets of the soak: many WebSocket chats on loopback, each sending a message now and
 * then (never more than two unanswered), checking every frame that comes back, and leaving and
 * coming back after a while, as browsers do. Only counts are kept, never the frames.
 */
import WebSocket from 'ws';

/** What users type: numbers of every kind the policy covers, and plain questions. All synthetic. */
export const MESSAGES = [
  'Hei, fnr 010190 12345, hva skylder jeg?',
  'Ring meg på +47 98 76 54 32 i morgen',
  'Kontonummer: 7694.05.20300',
  'kort 4111 1111 1111 1111 utløper snart',
  'رقمي ٩١٢٣٤٥٦٧ شكرا',
  'fnr 0101\u200b9012345 (med usynlig tegn)',
  'Kan jeg få utsettelse på fakturaen?',
  'Postboks 450 Alnabru, 0614 Oslo',
  'Jeg betalte 1 250 kr i går',
];
const MAX_UNANSWERED = 2;
/** How long a widget leaving on its own waits for its last answers before it closes. */
const LEAVE_WAIT_MS = 10_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Message ids of letters only: a counter in digits would soon look like a number to redact. */
function lettersOf(n) {
  let text = '';
  for (let rest = n + 1; rest > 0; rest = Math.floor((rest - 1) / LETTERS.length)) text = LETTERS[(rest - 1) % 26] + text;
  return text;
}

function jitter(ms) {
  return ms * (0.5 + Math.random());
}

export function createStats() {
  return {
    connects: 0,
    sent: 0,
    acked: 0,
    replies: 0,
    errors: {},
    refused: 0,
    frames: 0,
    leaks: 0,
    mismatches: 0,
    malformed: 0,
    closes: {},
    /** Acked messages whose chat closed before they ended (the count that must stay 0). */
    lost: 0,
    /** Reply latencies (ms) since the last sample. */
    latencies: [],
  };
}

/**
 * Run `count` widgets against `chatUrl` until `stop()`; resolves when all have closed.
 *
 * @param {object} options
 * @param {(text: string) => string} options.redactText - the reference redaction, for the expected ack text
 * @param {(text: string) => number} options.countLeaks
 * @param {ReadonlySet<string>} options.expectedReplies - every reply text the gateway may send
 */
export function startWidgets({ chatUrl, count, sendEveryMs, lifetimeMs, redactText, countLeaks, expectedReplies }) {
  const stats = createStats();
  let stopping = false;
  let nextId = 0;
  const running = new Set();

  function runWidget(index) {
    stats.connects += 1;
    const ws = new WebSocket(chatUrl);
    const pending = new Map();
    let sendTimer;
    let leaving = false;
    const widget = { ws, pending };
    running.add(widget);

    const scheduleSend = () => {
      sendTimer = setTimeout(() => {
        if (!stopping && !leaving && ws.readyState === WebSocket.OPEN && pending.size < MAX_UNANSWERED) {
          const text = MESSAGES[(index + stats.sent) % MESSAGES.length];
          const id = lettersOf(nextId++);
          pending.set(id, { text, sentAt: performance.now(), acked: false, reply: '' });
          stats.sent += 1;
          ws.send(JSON.stringify({ type: 'message', id, text }));
        }
        scheduleSend();
      }, jitter(sendEveryMs));
    };

    const leave = async () => {
      leaving = true;
      const deadline = performance.now() + LEAVE_WAIT_MS;
      while (pending.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      ws.close(1000, 'bye');
    };
    const lifetime = setTimeout(() => void leave(), lifetimeMs[0] + Math.random() * (lifetimeMs[1] - lifetimeMs[0]));

    ws.on('open', scheduleSend);
    ws.on('message', (data, isBinary) => {
      stats.frames += 1;
      let frame;
      try {
        frame = JSON.parse(String(data));
      } catch {
        stats.malformed += 1;
        return;
      }
      if (isBinary) stats.malformed += 1;
      stats.leaks += countLeaks(JSON.stringify(frame));
      handleFrame(frame, pending);
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      clearTimeout(sendTimer);
      clearTimeout(lifetime);
      stats.closes[code] = (stats.closes[code] ?? 0) + 1;
      stats.lost += [...pending.values()].filter((p) => p.acked).length;
      running.delete(widget);
      if (!stopping) runWidget(index);
      else if (running.size === 0) allClosed();
    });
  }

  function handleFrame(frame, pending) {
    const entry = frame.id === undefined ? undefined : pending.get(frame.id);
    if (frame.type === 'notice') return;
    if (entry === undefined) {
      stats.malformed += 1;
      return;
    }
    if (frame.type === 'ack') {
      stats.acked += 1;
      entry.acked = true;
      if (frame.text !== redactText(entry.text)) stats.mismatches += 1;
    } else if (frame.type === 'reply') {
      entry.reply += frame.text;
      if (frame.final === true) {
        stats.replies += 1;
        stats.latencies.push(performance.now() - entry.sentAt);
        if (!expectedReplies.has(entry.reply)) stats.mismatches += 1;
        pending.delete(frame.id);
      }
    } else if (frame.type === 'error') {
      if (frame.code === 'shutting_down' && !entry.acked) stats.refused += 1;
      else stats.errors[frame.code] = (stats.errors[frame.code] ?? 0) + 1;
      pending.delete(frame.id);
    } else {
      stats.malformed += 1;
    }
  }

  let allClosed;
  const closed = new Promise((resolve) => (allClosed = resolve));
  for (let i = 0; i < count; i += 1) runWidget(i);
  return {
    stats,
    get open() {
      return running.size;
    },
    /** Messages sent and not yet answered, over all widgets. */
    get unanswered() {
      let n = 0;
      for (const widget of running) n += widget.pending.size;
      return n;
    },
    /** Stop sending and stop coming back; the chats stay open until the server closes them. */
    stop() {
      stopping = true;
      if (running.size === 0) allClosed();
    },
    closed,
  };
}
