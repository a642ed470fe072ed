import http from 'node:http';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/redact/index.js';
import { judgeJsonLine } from '../support/json-judge.js';
import { mixedLog } from '../support/log-lines.js';
import { DEFAULTS, referenceRedact } from '../support/reference.js';
import { useApp, waitFor } from './start-app.js';

const MIB = 1024 * 1024;
/** Lines with numbers in many formats and scripts, and multi-byte characters all around them. */
const LINES = [
  'fnr 010190 12345, takk for hjelpen 😀\n',
  'ring ٩١٢٣٤٥٦٧ nå eller +47 21 49 60 00 — Øyvind\n',
  'Kontonummer: 7694.05.20300 / kort 4111\u00a01111\u00a01111\u00a01111\n',
  'tlf ９８ ７６ ５４ ３２ og 𝟎𝟏𝟎𝟏𝟗𝟎𝟏𝟎𝟎𝟒𝟔, Postboks 450 Alnabru, 0614 Oslo\n',
  'Jeg betalte 1 250 kr på faktura 2024-11-05 \u200b98\u200b76\u200b54\u200b32 ✓\n',
];

const app = useApp();

/** Deterministic pseudo-random chunk sizes (a linear congruential generator), 1 to 4096 bytes. */
function chunkSizes(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % 4096);
  };
}

function isDigitByte(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** A streaming POST: the caller writes; the answer's status and text come back. */
function openStream(path = '/v1/redact/stream', headers: http.OutgoingHttpHeaders = { 'content-type': 'text/plain' }) {
  const request = http.request({ host: '127.0.0.1', port: app().port, method: 'POST', path, headers, agent: false });
  const response = once(request, 'response').then(([answer]) => answer as http.IncomingMessage);
  return { request, response };
}

describe('POST /v1/redact/stream', () => {
  it('a multi-MB body in small chunks, split inside numbers and UTF-8 sequences, equals one-shot redact', async () => {
    const lines: string[] = [];
    for (let size = 0, k = 0; size < 3 * MIB; k++) {
      const line = LINES[k % LINES.length] ?? '';
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    const text = lines.join('');
    const bytes = Buffer.from(text, 'utf8');
    const { request, response } = openStream();
    const next = chunkSizes(7);
    let splitsInNumbers = 0;
    let splitsInCharacters = 0;
    const received: Buffer[] = [];
    const answered = response.then(async (answer) => {
      for await (const chunk of answer) received.push(chunk as Buffer);
      return answer;
    });
    for (let at = 0; at < bytes.length; ) {
      const end = Math.min(bytes.length, at + next());
      if (isDigitByte(bytes[end - 1]) && isDigitByte(bytes[end])) splitsInNumbers++;
      if (isContinuationByte(bytes[end])) splitsInCharacters++;
      if (!request.write(bytes.subarray(at, end))) await once(request, 'drain');
      at = end;
    }
    request.end();
    const answer = await answered;
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    const expected = redact(text);
    expect(Buffer.concat(received).toString('utf8')).toBe(expected.text);
    expect(splitsInNumbers).toBeGreaterThan(10);
    expect(splitsInCharacters).toBeGreaterThan(10);
    const [bytesIn] = (await app().metrics.bytes.get()).values.filter((v) => v.labels.direction === 'inbound');
    expect(bytesIn?.value).toBe(bytes.length);
    const phone = (await app().metrics.redactions.get()).values.find(
      (v) => v.labels.direction === 'inbound' && v.labels.kind === 'phone',
    );
    expect(phone?.value).toBe(expected.kinds.phone);
  });

  it('streams: text comes back before the request body has ended, held back only at pending digits', async () => {
    const { request, response } = openStream();
    request.write('hei, ring meg på 98 76');
    const answer = await response;
    expect(answer.statusCode).toBe(200);
    const first = (await once(answer, 'data')) as [Buffer];
    expect(first[0].toString('utf8')).toBe('hei, ring meg på ');
    const rest: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => rest.push(chunk));
    request.end(' 54 32 i dag');
    await once(answer, 'end');
    expect(Buffer.concat(rest).toString('utf8')).toBe(' i dag');
  }, 10_000);

  it('applies backpressure: a client that does not read the answer cannot push the whole body', async () => {
    const { request, response } = openStream();
    const block = Buffer.from('ring 98 76 54 32 nå, ellers er alt bra her\n'.repeat(1500));
    let accepted = 0;
    const deadline = Date.now() + 3000;
    // The answer is not read while writing: the server must stop reading the body once the
    // socket buffers are full (about 10 MiB on loopback); a buffering server takes ~100 MiB here.
    while (Date.now() < deadline && accepted < 256 * MIB) {
      accepted += block.length;
      if (!request.write(block)) {
        const drained = await Promise.race([
          once(request, 'drain').then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
        ]);
        if (!drained) break;
      }
    }
    expect(accepted).toBeLessThan(32 * MIB);
    request.end();
    const answer = await response;
    let length = 0;
    for await (const chunk of answer) length += (chunk as Buffer).length;
    expect(length).toBe(Buffer.byteLength('ring  nå, ellers er alt bra her\n') * (accepted / block.length) * 1500);
  });

  it('survives a client that leaves in the middle of a stream, and logs it as aborted', async () => {
    const { request, response } = openStream();
    request.write('noe tekst 12 34');
    const answer = await response;
    await once(answer, 'data');
    request.destroy();
    const logged = await waitFor(() =>
      app().logLines().some((line) => line.path === '/v1/redact/stream' && line.aborted === true),
    );
    expect(logged).toBe(true);
    expect((await fetch(`${app().baseUrl}/healthz`)).status).toBe(200);
  }, 10_000);

  it('answers an empty body with an empty 200', async () => {
    const response = await fetch(`${app().baseUrl}/v1/redact/stream`, { method: 'POST', body: '' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('refuses a charset other than UTF-8 and a compressed body with 415', async () => {
    const refused: Record<string, string>[] = [
      { 'content-type': 'text/plain; charset=iso-8859-1' },
      { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
    ];
    for (const headers of refused) {
      const response = await fetch(`${app().baseUrl}/v1/redact/stream`, { method: 'POST', headers, body: 'x 98765432' });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    }
    const utf8 = await fetch(`${app().baseUrl}/v1/redact/stream`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset="UTF-8"' },
      body: 'x 98765432',
    });
    expect(await utf8.text()).toBe('x ');
  });
});

describe('POST /v1/redact/stream?format=json&keepField=…&keepTimestamps=1', () => {
  const LOG = mixedLog(5, 40);
  const BODY = `${LOG.join('\n')}\n`;
  const post = (query: string, body: string) => fetch(`${app().baseUrl}/v1/redact/stream${query}`, { method: 'POST', body });

  it('format=json writes every JSON line back as valid JSON (judged apart), other lines as text', async () => {
    const response = await post('?format=json', BODY);
    expect(response.status).toBe(200);
    const lines = (await response.text()).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(LOG.length);
    let json = 0;
    LOG.forEach((line, k) => {
      if (line.startsWith('{')) {
        json += 1;
        judgeJsonLine(line, lines[k]!, DEFAULTS, ['time', 'timestamp', '@timestamp', 'ts']);
      } else {
        expect(lines[k]).toBe(referenceRedact(line).text);
      }
    });
    expect(json).toBeGreaterThan(5);
  });

  it('keepField adds fields to keep, an empty one drops the defaults; keepTimestamps keeps date-times', async () => {
    const line = '{"time":1796111050864,"req":{"id":"98765432"},"msg":"at 2026-12-01T07:45:18Z ring 98765432"}\n';
    expect(await (await post('?format=json&keepField=req.id', line)).text()).toBe(
      '{"time":1796111050864,"req":{"id":"98765432"},"msg":"at T07:45:18Z ring "}\n',
    );
    expect(await (await post('?format=json&keepField=&keepField=req.*&keepTimestamps=1', line)).text()).toBe(
      '{"time":null,"req":{"id":"98765432"},"msg":"at 2026-12-01T07:45:18Z ring "}\n',
    );
    expect(await (await post('?keepTimestamps=true', 'Dec  1 07:45:18 | 2026-12-01 07:45:18 fnr 010190 12345')).text()).toBe(
      'Dec  1 07:45:18 | 2026-12-01 07:45:18 fnr ',
    );
    // two date-times joined by a space are one combination between them: neither stands alone
    expect(await (await post('?keepTimestamps=1', 'Dec  1 07:45:18 2026-12-01 07:45:18')).text()).toBe('Dec  1 07:45::45:18');
    expect(await (await post('?format=text&keepTimestamps=0', '2026-12-01 07:45:18')).text()).toBe(':45:18');
  });

  it.each([
    ['?format=xml', 'The parameter "format" must be "text" or "json".'],
    ['?format=json&format=text', 'The parameter "format" must be "text" or "json".'],
    ['?keepTimestamps=yes', 'The parameter "keepTimestamps" must be 1 or 0 (or true or false).'],
    ['?keepField=time', 'The parameter "keepField" needs format=json.'],
    ['?format=json&keepField=a..b', 'The parameter "keepField" must be a dot path such as "req.headers.x-request-id", with no empty part.'],
    [`?format=json${Array.from({ length: 40 }, (_, k) => `&keepField=f${k}`).join('')}`, 'The parameter "keepField" can name at most 31 fields.'],
    ['?fromat=json', 'Only the parameters "format", "keepField" and "keepTimestamps" are accepted.'],
  ])('%s is a 400 that names the bad value, before anything is streamed', async (query, message) => {
    const response = await post(query, 'tlf 98765432');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_request', message } });
  });
});

describe('the redaction routes keep the service\'s allowed numbers (REDACT_ALLOW)', () => {
  const allowing = useApp({ REDACT_ALLOW: '+47 21 49 60 00,7694.05.20300' });
  const inbound = async (metric: 'allowed' | 'redactions') =>
    (await allowing().metrics[metric].get()).values.filter((v) => v.labels.direction === 'inbound').reduce((sum, v) => sum + v.value, 0);

  it('POST /v1/redact keeps them, deletes the rest, and counts what it kept', async () => {
    const response = await fetch(`${allowing().baseUrl}/v1/redact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Betal til 7694.05.20300 eller ring +47 21 49 60 00; ikke 21 49 60 00 12' }),
    });
    expect(await response.json()).toEqual({
      text: 'Betal til 7694.05.20300 eller ring +47 21 49 60 00; ikke ',
      redactions: 1,
      kinds: { other: 1 },
      allowed: 2,
      kept: 0,
      keptClasses: {},
    });
    expect(await inbound('allowed')).toBe(2);
  });

  it('the stream route keeps them too, in JSON mode as well', async () => {
    const before = await inbound('allowed');
    const response = await fetch(`${allowing().baseUrl}/v1/redact/stream?format=json`, {
      method: 'POST',
      body: '{"msg":"konto 7694.05.20300","n":4721496000,"m":4721496001}\n',
    });
    expect(await response.text()).toBe('{"msg":"konto 7694.05.20300","n":4721496000,"m":null}\n');
    expect((await inbound('allowed')) - before).toBe(2);
  });
});
