/**
 * A chatbot vendor for the WebSocket benchmark: a plain `node:http` server on loopback that
 * speaks the gateway's vendor contract and answers every message at once with one JSON reply —
 * a short receipt quoting the (already redacted) text, and a made-up phone number, so the
 * gateway's outbound redaction has something to delete on every reply.
 *
 * (The tests have a scriptable stub in `test/support/vendor-stub.ts`; benchmarks run plain JS.)
 *
 * @module
 */
import http from 'node:http';

/** Made-up, in the format of an Oslo switchboard number: eight digits, which the gateway deletes. */
export const STUB_PHONE_NUMBER = '22 00 00 00';
/** Characters of the message quoted back. */
const QUOTE_LENGTH = 40;
/** Bodies larger than this are refused: the gateway sends chat messages, not documents. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The stub's reply to `text`.
 * @param {string} text
 */
export function stubReplyText(text) {
  return `Mottatt: «${text.slice(0, QUOTE_LENGTH)}». Ring oss på ${STUB_PHONE_NUMBER} om noe er uklart.`;
}

/**
 * Start the stub on 127.0.0.1 and an ephemeral port.
 * @returns {Promise<{ url: string, server: http.Server, answered: () => number }>}
 */
export async function startVendorStub() {
  let answered = 0;
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      let text = '';
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof body?.text === 'string') text = body.text;
      } catch {
        // an unreadable body gets an answer all the same: the benchmark measures the gateway
      }
      const status = req.method === 'POST' && size <= MAX_BODY_BYTES ? 200 : 400;
      answered += 1;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ replies: [{ text: stubReplyText(text) }] }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}/v1/reply`, server, answered: () => answered };
}
