/**
 * Line breaks on the chat path, through the real gateway with a real vendor stub and a real ws
 * client: every line break is written `\n` in what reaches the vendor and in every frame the
 * widget gets (ack, reply, notice), so `98\r76\r54\r32` stays four short numbers that a page
 * draws as four lines. Leaks are judged by the reference in test/support.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestGateway } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { jsonReply, splitBytes, sseText } from '../support/vendor-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

/** Each line break of the spec but `\n`, between groups of a number that must not join. */
const BROKEN_NUMBERS = ['98\r76\r54\r32', '98\r\n76\r\n54\r\n32', '98\v76\f54\u008532', '98\u202876\u202954\r32'];
const FOUR_LINES = '98\n76\n54\n32';

const gateway = useTestGateway({ PRIVACY_NOTICE: 'Line one\r\nline two\u2028line three' });
let client: TestClient;
let seq = 0;

beforeEach(async () => {
  client?.ws.close();
  client = await connectClient(gateway().chatUrl);
});

/** Send one message; its ack, and the text of its reply once the final frame came. */
async function chat(text: string): Promise<{ ack: string; reply: string; replyFrames: number }> {
  const id = `m${seq++}`;
  client.send({ type: 'message', id, text });
  const ack = await client.waitFor((f) => f.type === 'ack' && f.id === id);
  await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
  const replies = client.frames.filter((f) => f.id === id && f.type === 'reply');
  return { ack: ack.text!, reply: replies.map((f) => f.text).join(''), replyFrames: replies.length };
}

describe('line breaks on the chat path', () => {
  it('sends the vendor and acks each line break as \\n, so no number is drawn joined', async () => {
    for (const text of BROKEN_NUMBERS) {
      gateway().stub.reset();
      gateway().stub.script(jsonReply('ok'));
      const { ack } = await chat(text);
      const sent = (gateway().stub.requests[0]!.body as { text: string }).text;
      expect(sent, JSON.stringify(text)).toBe(FOUR_LINES);
      expect(ack).toBe(FOUR_LINES);
      expect(countLeaks(sent)).toBe(0);
      // Drawn without its breaks, what was sent would be one eight-digit number.
      expect(countLeaks(sent.replaceAll('\n', ''))).toBe(1);
    }
  });

  it('writes the line breaks of a JSON reply as \\n', async () => {
    gateway().stub.script(jsonReply('Ring\r\n98\r76\u202854\u202932', 'slutt\f'));
    const { reply } = await chat('hei');
    expect(reply).toBe(`Ring\n${FOUR_LINES}\n\nslutt\n`);
    expect(countLeaks(reply)).toBe(0);
  });

  it('keeps a \\r\\n split across two SSE events one line break, wherever the bytes are cut', async () => {
    const deltas = ['Svar: 98\r', '\n76\r', '\n54\u2028', '32\r', '\nferdig'];
    const wire = sseText(deltas);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.nat({ max: Buffer.byteLength(wire) }), { maxLength: 6 }), async (cuts) => {
        gateway().stub.reset();
        gateway().stub.script({ kind: 'sse', chunks: splitBytes(wire, cuts), chunkDelayMs: 2 });
        const { reply } = await chat('hei');
        expect(reply).toBe(`Svar: ${FOUR_LINES}\nferdig`);
        expect(countLeaks(reply)).toBe(0);
      }),
      { numRuns: 12 },
    );
  });

  it('keeps them one line break when the two halves come as frames of their own', async () => {
    gateway().stub.script({ kind: 'sse', chunks: [sseText(['98\r'], { done: false }), sseText(['\n76'])], chunkDelayMs: 50 });
    const { reply, replyFrames } = await chat('hei');
    expect(replyFrames).toBeGreaterThanOrEqual(2);
    expect(reply).toBe('98\n76');
  });

  it('writes the privacy notice with \\n', async () => {
    const notice = await client.waitFor((f) => f.type === 'notice');
    expect(notice.text).toBe('Line one\nline two\nline three');
  });
});
