/**
 * The egress proxy through Debian's tinyproxy, a forward proxy as a bank's network runs one, with
 * Basic credentials: every vendor kind's traffic — the Direct Line stream included — goes through
 * it, as tinyproxy's own log shows; NO_PROXY bypasses it; with wrong credentials it refuses (407)
 * and the chat gets vendor_unavailable and stays open.
 *
 * Needs tinyproxy: `apt-get install tinyproxy` on Debian or Ubuntu (`.ci/run` installs it when it
 * is missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoostStub, type BoostStub } from '../support/boost-stub.js';
import { STUB_SECRET, startDirectLineStub, type DirectLineStub } from '../support/directline-stub.js';
import { startTestGateway } from '../support/gateway-harness.js';
import { STUB_MODEL, startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { freePort } from '../support/ports.js';
import { rasaBaseUrl, rasaHandler } from '../support/rasa-stub.js';
import { connectClient } from '../support/ws-client.js';

const TINYPROXY = 'tinyproxy';
const HOW_TO_INSTALL = 'tinyproxy is not installed: run `apt-get update && apt-get install -y tinyproxy` (Debian, Ubuntu), then `npm run test:tools` again';
const found = spawnSync('sh', ['-c', `command -v ${TINYPROXY}`], { encoding: 'utf8' }).status === 0;
const USER = 'gateway';
const PASSWORD = 'tiny-proxy-pass';

let folder: string;
let proxy: ChildProcess | undefined;
let port = 0;
let boost: BoostStub;
let openai: OpenAiStub;
let directline: DirectLineStub;

const log = (): string => readFileSync(join(folder, 'tinyproxy.log'), 'utf8');
const proxyUrl = (credentials = `${USER}:${PASSWORD}`): string => `http://${credentials}@127.0.0.1:${port}`;

beforeAll(async () => {
  [boost, openai, directline] = await Promise.all([startBoostStub(), startOpenAiStub(), startDirectLineStub()]);
  if (!found) return;
  folder = mkdtempSync(join(tmpdir(), 'chat-redact-tinyproxy-'));
  port = await freePort();
  writeFileSync(
    join(folder, 'tinyproxy.conf'),
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 60', `LogFile "${join(folder, 'tinyproxy.log')}"`, 'LogLevel Connect', 'MaxClients 50', 'Allow 127.0.0.1', `BasicAuth ${USER} ${PASSWORD}`].join('\n'),
  );
  writeFileSync(join(folder, 'tinyproxy.log'), '');
  proxy = spawn(TINYPROXY, ['-d', '-c', join(folder, 'tinyproxy.conf')], { stdio: 'ignore' });
  // Ready once it takes a connection.
  for (let tries = 0; tries < 50; tries += 1) {
    const answer = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.status, () => 0);
    if (answer !== 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  proxy?.kill('SIGTERM');
  await Promise.all([boost.close(), openai.close(), directline.close()]);
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

let seq = 0;
async function chatThrough(env: Record<string, string>, vendorUrlOf?: Parameters<typeof startTestGateway>[1]): Promise<{ text: string; error: string | undefined }> {
  const gw = await startTestGateway(env, vendorUrlOf);
  try {
    if (env.VENDOR_KIND === 'rasa') gw.stub.setHandler(rasaHandler(() => [{ text: 'Hei fra Rasa' }]));
    const client = await connectClient(gw.chatUrl);
    const id = `m${seq++}`;
    client.send({ type: 'message', id, text: 'hei' });
    const end = await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'), 8_000);
    const text = client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join('');
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    client.ws.close();
    return { text, error: end.type === 'error' ? end.code : undefined };
  } finally {
    await gw.stop();
  }
}

/** Lines of tinyproxy's log that name `host:port` as the target of a CONNECT. */
const tunnelsTo = (url: string, from: number): number => log().slice(from).split('\n').filter((line) => line.includes(`CONNECT ${new URL(url).host} `)).length;

describe('the egress proxy through tinyproxy', () => {
  it('tinyproxy is there', () => {
    expect(found, HOW_TO_INSTALL).toBe(true);
  });

  it.runIf(found)('every vendor kind reaches its vendor only through the proxy, as its log shows', async () => {
    const kinds: Array<[Record<string, string>, string]> = [
      [{ VENDOR_KIND: 'boost', VENDOR_URL: boost.baseUrl }, boost.baseUrl],
      [{ VENDOR_KIND: 'openai', VENDOR_URL: openai.baseUrl, VENDOR_MODEL: STUB_MODEL }, openai.baseUrl],
      [{ VENDOR_KIND: 'directline', VENDOR_URL: directline.url, VENDOR_TOKEN: STUB_SECRET }, directline.url],
    ];
    directline.bot = () => [{ text: 'ok', inputHint: 'expectingInput' }];
    for (const [env, target] of kinds) {
      const from = log().length;
      const answer = await chatThrough({ HTTP_PROXY: proxyUrl(), ...env });
      expect(answer.error, env.VENDOR_KIND).toBeUndefined();
      expect(tunnelsTo(target, from), env.VENDOR_KIND).toBeGreaterThanOrEqual(1);
    }
    // Direct Line's stream is a tunnel of its own beside the requests', and the stub saw it open.
    expect([...directline.conversations.values()].some((conversation) => conversation.socket !== undefined)).toBe(true);
    let from = log().length;
    let generic = '';
    expect(await chatThrough({ HTTP_PROXY: proxyUrl() }, (stub) => ((generic = stub.url), stub.url))).toEqual({ text: 'echo: hei', error: undefined });
    expect(tunnelsTo(generic, from)).toBeGreaterThanOrEqual(1);
    from = log().length;
    let rasa = '';
    expect(await chatThrough({ HTTP_PROXY: proxyUrl(), VENDOR_KIND: 'rasa' }, (stub) => ((rasa = rasaBaseUrl(stub)), rasa))).toEqual({ text: 'Hei fra Rasa', error: undefined });
    expect(tunnelsTo(rasa, from)).toBeGreaterThanOrEqual(1);
  });

  it.runIf(found)('NO_PROXY bypasses it', async () => {
    const from = log().length;
    expect(await chatThrough({ HTTP_PROXY: proxyUrl(), NO_PROXY: '127.0.0.1' })).toEqual({ text: 'echo: hei', error: undefined });
    expect(log().slice(from)).not.toMatch(/CONNECT \d/);
  });

  it.runIf(found)('with wrong credentials it refuses: vendor_unavailable, and the chat stays open', async () => {
    expect(await chatThrough({ HTTP_PROXY: proxyUrl(`${USER}:wrong`), VENDOR_TIMEOUT_MS: '1500' })).toMatchObject({ error: 'vendor_unavailable' });
  });
});
