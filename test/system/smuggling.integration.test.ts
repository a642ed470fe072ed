/**
 * Smuggling a number past the redaction (issue 19), tried as an attacker would at every real
 * entry point — the library, the CLI as a child process (text and `--json`), the HTTP routes of
 * the real server, and the WebSocket path both ways with a real vendor stub answering in JSON
 * and in server-sent events split across events and bytes. Every output is judged by the
 * independent reference (`test/support/`), never by the engine: no combination of 7+ digits,
 * well-formed, and no digit that the (well-formed) input lacked.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ByteRedactor, StreamRedactor, redact } from '../../src/redact/index.js';
import { EVERY_DIGIT_ZERO, digitOf } from '../support/arbitraries.js';
import { useTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { countLeaks, countLogLineLeaks } from '../support/leak-judge.js';
import { isDigitChar, referenceRedact, wellFormed } from '../support/reference.js';
import { jsonReply, splitBytes, sseText } from '../support/vendor-stub.js';
import { connectClient, type TestClient } from '../support/ws-client.js';
import { runCli } from '../cli/run-cli.js';

/** `digits` written one per lone-surrogate pair around seven deleted zeros: each joins into a mathematical digit. */
const surrogateSmuggle = (digits: string): string =>
  Array.from(digits, (d) => `\ud835${'0000000'}${String.fromCharCode(0xdfce + Number(d))}`).join('');

/** Every way of hiding 98765432 or 01019012345 we could think of; each must come out with no such combination. */
const ATTACKS: ReadonlyArray<readonly [string, string]> = [
  ['lone surrogates joined across a deletion', `my fnr is ${surrogateSmuggle('01019012345')}`],
  ['nested: lone surrogates around a smuggle', `call \ud835${surrogateSmuggle('98765432').replaceAll('0000000', '\ud835' + '7654321' + '\udfcf')}\udfcf`],
  ['combining sequences', 'ring 9\u03018\u03017\u03016\u0301 5\u03084\u03083\u03082\u0308'],
  ['variation selectors and keycaps', 'ring 9\ufe0f\u20e38\ufe0f\u20e37\ufe0f\u20e36\ufe0f\u20e35\ufe0f\u20e34\ufe0f\u20e33\ufe0f\u20e32\ufe0f\u20e3'],
  ['NFKC forms: a Japanese keyboard', 'tlf ０９０－１２３４－５６７８ takk'],
  ['NFKC forms: full-width stops, small forms, one-dot leader', '９８．７６．５４．３２ / 98﹒76﹒54﹒32 / 98․76․54․32'],
  ['Arabic separators', 'رقم ٩٨٬٧٦٬٥٤٬٣٢ و 98٫76٫54٫32 و ٩٨،٧٦،٥٤،٣٢'],
  ['bidi controls', 'ring \u202e98\u202c76\u202d54\u202c32 \u2067010190\u2069 12345'],
  ['zero-width and format characters', '98\u200b76\u2060\u00ad54\ufeff32'],
  ['digits of every script', EVERY_DIGIT_ZERO.map((zero) => Array.from('98765432', (d) => digitOf(zero, Number(d))).join(' ')).join(' x ')],
  ['mixed scripts in one number', '٩8７6\u{1d7d3}5४3২'],
  ['astral digits', 'konto \u{1d7d5}\u{1d7d4}\u{1d7d3}\u{1d7d2}.\u{1d7d1}\u{1d7d0}.\u{1d7cf}\u{1d7ce}\u{1d7cf}\u{1d7d0}\u{1d7d1}'],
];

/** Invariant 8 and no leak, read plainly. */
function expectClean(input: string, output: string): void {
  expect(countLeaks(output)).toBe(0);
  expect(output.isWellFormed()).toBe(true);
  const available = new Map<string, number>();
  for (const ch of wellFormed(input)) if (isDigitChar(ch)) available.set(ch, (available.get(ch) ?? 0) + 1);
  for (const ch of output) {
    if (!isDigitChar(ch)) continue;
    const left = available.get(ch) ?? 0;
    expect(left, `a new digit ${ch}`).toBeGreaterThan(0);
    available.set(ch, left - 1);
  }
}

const ILL_FORMED_BYTES = Buffer.from([0xd9, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0xa1, 0x20, 0xed, 0xa0, 0xb5, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0xed, 0xbf, 0x8f]);

describe('the library', () => {
  it.each(ATTACKS)('%s: one-shot, streamed unit by unit, and as bytes byte by byte', (_name, attack) => {
    expectClean(attack, redact(attack).text);
    const stream = new StreamRedactor();
    expectClean(attack, Array.from({ length: attack.length }, (_, k) => stream.push(attack[k]!)).join('') + stream.end());
    const bytes = new ByteRedactor();
    const out = Buffer.concat([...Array.from(Buffer.from(attack), (b) => bytes.push(Buffer.from([b]))), bytes.end()]);
    expectClean(attack, out.toString());
  });

  it('bytes D9 0000000 A1 do not become ١, nor ED A0 B5 … ED BF 8F a mathematical digit', () => {
    const bytes = new ByteRedactor();
    const out = Buffer.concat([bytes.push(ILL_FORMED_BYTES), bytes.end()]).toString();
    expect(out).toBe('\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd');
  });

  it('the widget’s redaction and then the gateway’s: two nested levels make no digit', () => {
    for (const [, attack] of ATTACKS) {
      const widget = redact(attack).text;
      const gateway = redact(widget).text;
      expectClean(attack, gateway);
      expect(gateway).toBe(widget);
    }
  });
});

describe('the CLI, as a child process', () => {
  it('text mode: every attack on a line, and ill-formed bytes', async () => {
    const input = `${ATTACKS.map(([, attack]) => attack).join('\n')}\n`;
    const result = await runCli(['redact'], Buffer.concat([Buffer.from(input), ILL_FORMED_BYTES, Buffer.from('\n')]));
    expect(result.status).toBe(0);
    expectClean(input, result.stdout);
    expect(result.stdout.split('\n').slice(0, ATTACKS.length)).toEqual(ATTACKS.map(([, attack]) => referenceRedact(attack).text));
  });

  it('--json: every attack as a value and as a key, lone surrogates as escapes', async () => {
    const input = `${ATTACKS.map(([, attack]) => JSON.stringify({ msg: attack, [attack]: 1 })).join('\n')}\n`;
    const result = await runCli(['redact', '--json'], input);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(ATTACKS.length);
    lines.forEach((line, k) => {
      const attack = ATTACKS[k]![1];
      const value = JSON.parse(line) as Record<string, unknown>;
      expectClean(attack, value.msg as string);
      for (const key of Object.keys(value)) expectClean(attack, key);
    });
  });
});

describe('the real server', () => {
  const gateway = useTestGateway();
  let gw: RunningGateway;
  let client: TestClient;
  let seq = 0;

  beforeEach(async () => {
    gw = gateway();
    client?.ws.close();
    client = await connectClient(gw.chatUrl);
  });

  /** Send one message; its ack text and the whole reply. */
  async function chat(text: string): Promise<{ ack: string; reply: string }> {
    const id = `m${seq++}`;
    client.send({ type: 'message', id, text });
    const ack = await client.waitFor((f) => f.type === 'ack' && f.id === id);
    await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
    const reply = client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join('');
    return { ack: String(ack.text), reply };
  }

  it('POST /v1/redact: every attack comes back as the reference’s redaction of its well-formed text', async () => {
    for (const [, attack] of ATTACKS) {
      const response = await fetch(`${gw.httpUrl}/v1/redact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: attack }) });
      expect(response.status).toBe(200);
      const { text } = (await response.json()) as { text: string };
      expectClean(attack, text);
      expect(text).toBe(referenceRedact(attack).text);
    }
  });

  it('POST /v1/redact/stream, as text and as JSON lines, with ill-formed bytes', async () => {
    const text = `${ATTACKS.map(([, attack]) => attack).join('\n')}\n`;
    const body = Buffer.concat([Buffer.from(text), ILL_FORMED_BYTES]);
    const plain = await (await fetch(`${gw.httpUrl}/v1/redact/stream`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).text();
    expectClean(text, plain);
    const lines = `${ATTACKS.map(([, attack]) => JSON.stringify({ msg: attack })).join('\n')}\n`;
    const json = await (await fetch(`${gw.httpUrl}/v1/redact/stream?format=json`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: lines })).text();
    for (const line of json.trimEnd().split('\n')) expectClean(lines, (JSON.parse(line) as { msg: string }).msg);
  });

  it('WebSocket, widget to vendor: the vendor receives no smuggled number, the ack none either', async () => {
    for (const [, attack] of ATTACKS) {
      const { ack, reply } = await chat(attack);
      expectClean(attack, ack);
      expectClean(attack, reply);
    }
    expect(gw.stub.requests).toHaveLength(ATTACKS.length);
    for (const request of gw.stub.requests) {
      const forwarded = (request.body as { text: string }).text;
      expect(countLeaks(forwarded)).toBe(0);
      expect(forwarded.isWellFormed()).toBe(true);
    }
  });

  it('WebSocket, vendor to widget: a JSON reply and an SSE reply split across events inside surrogate pairs', async () => {
    for (const [, attack] of ATTACKS) {
      gw.stub.script(jsonReply(attack));
      expectClean(attack, (await chat('hei')).reply);
      // one event per code unit: every surrogate pair, and every lone half, split across events
      const deltas = Array.from({ length: attack.length }, (_, k) => attack[k]!);
      const wire = sseText(deltas);
      gw.stub.script({ kind: 'sse', chunks: splitBytes(wire, [3, 50, 51, 52, 200]), chunkDelayMs: 0 });
      expectClean(attack, (await chat('hei')).reply);
    }
  });

  it('writes no smuggled number in its own log', () => {
    gw = gateway();
    for (const line of gw.logs.lines()) expect(countLogLineLeaks(line)).toBe(0);
  });
});
