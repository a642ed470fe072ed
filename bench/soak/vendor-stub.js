/**
 * The chatbot vendor of the soak: a plain node:http server on loopback that answers every
 * message with a short server-sent-events reply, its numbers split across events, or now and
 * then a JSON reply. It keeps no bodies, only counts: requests, and 7+ digit combinations found
 * in what the gateway sent it (there must be none).
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The reply's events; the phone number and the account number are each cut across two events. */
export const SSE_DELTAS = ['Takk for meldingen. ', 'Ring oss på 22 3', '3 44 55 eller ', 'bruk konto 7694.05.2', '0300. ', 'Ha en fin dag!'];
export const JSON_REPLIES = ['Takk!', 'Kundeservice: 21 49 60 00, hverdager.'];
/** Every this many requests the answer is JSON instead of SSE. */
const JSON_EVERY = 5;
const EVENT_GAP_MS = 15;

/**
 * Start the stub on 127.0.0.1 and a free port.
 *
 * @param {(text: string) => number} countLeaks - 7+ digit combinations in a text
 */
export async function startVendorStub(countLeaks) {
  const stats = { requests: 0, leaks: 0, badRequests: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      stats.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      stats.leaks += countLeaks(body) + countLeaks(JSON.stringify(req.headers));
      try {
        const parsed = JSON.parse(body);
        if (typeof parsed.text !== 'string' || req.headers['idempotency-key'] !== `${parsed.conversationId}:${parsed.messageId}`) {
          stats.badRequests += 1;
        }
      } catch {
        stats.badRequests += 1;
      }
      void answer(res, stats.requests % JSON_EVERY === 0);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/reply`,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

async function answer(res, asJson) {
  if (asJson) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ replies: JSON_REPLIES.map((text) => ({ text })) }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  for (const text of SSE_DELTAS) {
    if (res.destroyed) return;
    res.write(`data: ${JSON.stringify({ text })}\n\n`);
    await sleep(EVENT_GAP_MS);
  }
  res.end('data: [DONE]\n\n');
}
