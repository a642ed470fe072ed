/**
 * Shutdown ends in time whatever stdout does: the service as a child process whose stdout is
 * closed after a few lines (`chat-redact serve | head -3`), chats open and a message waiting on a
 * vendor that never answers, exits within the drain's grace period and its slack after SIGTERM;
 * and a second SIGTERM ends a stop at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STOP_SLACK_MS } from '../../src/cli/serve-command.js';
import { CLI, ROOT, exitOf } from '../support/serve-process.js';
import { startVendorStub, type VendorStub } from '../support/vendor-stub.js';
import { connectClient } from '../support/ws-client.js';

const SHUTDOWN_TIMEOUT_MS = 1_500;
let stub: VendorStub;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stub = await startVendorStub();
  stub.setHandler(() => ({ kind: 'hang' }));
});
afterAll(() => stub.close());
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Start `serve` and close its stdout after `lines` log lines, as `| head -<lines>` does; resolves with its address. */
function serveWithHead(lines: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', VENDOR_URL: stub.url, VENDOR_TIMEOUT_MS: '60000', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let seen = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    seen += chunk.toString().split('\n').length - 1;
    if (seen >= lines) child.stdout!.destroy();
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /gateway on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

describe('shutdown with a closed stdout', () => {
  it('exits within the grace period after SIGTERM, chats open and a reply outstanding', async () => {
    const { child, url } = await serveWithHead(3);
    const clients = await Promise.all([0, 1, 2].map(() => connectClient(`${url.replace('http', 'ws')}/chat`)));
    clients.forEach((client, k) => client.send({ type: 'message', id: `m${k}`, text: 'hei' }));
    await Promise.all(clients.map((client, k) => client.waitFor((f) => f.type === 'ack' && f.id === `m${k}`)));
    // Logs go on after the reader is gone: requests and chats write lines into the closed pipe.
    for (let k = 0; k < 20; k++) await (await fetch(`${url}/healthz`)).arrayBuffer();
    const started = performance.now();
    child.kill('SIGTERM');
    const code = await exitOf(child);
    const tookMs = performance.now() - started;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + STOP_SLACK_MS);
    for (const client of clients) {
      expect((await client.closed).code).toBe(1001);
      expect(client.frames.find((f) => f.type === 'error')).toMatchObject({ code: 'shutting_down' });
    }
  });

  it('a second SIGTERM ends the stop at once', async () => {
    const { child, url } = await serveWithHead(2);
    const client = await connectClient(`${url.replace('http', 'ws')}/chat`);
    client.send({ type: 'message', id: 'm', text: 'hei' });
    await client.waitFor((f) => f.type === 'ack');
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
