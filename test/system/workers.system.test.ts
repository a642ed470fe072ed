import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

describe('WORKERS=2 (node:cluster)', () => {
  it('both workers serve chats, /metrics sums them, SIGTERM stops all', async () => {
    // A fixed free port is needed: with PORT=0 every worker would listen on a port of its own.
    const port = await freePort();
    child = spawn(process.execPath, [cli, 'serve'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WORKERS: '2', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const listening = async (): Promise<number> => new Set([...stdout.matchAll(/"pid":(\d+)[^\n]*"msg":"gateway listening"/g)].map((m) => m[1])).size;
    for (let i = 0; i < 200 && (await listening()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await listening()).toBe(2);

    const clients: TestClient[] = [];
    for (let i = 0; i < 6; i++) clients.push(await connectClient(`ws://127.0.0.1:${port}/chat`));
    await Promise.all(
      clients.map(async (client, i) => {
        client.send({ type: 'message', id: `w${i}`, text: `tlf 98 76 54 3${i}` });
        await client.waitFor((f) => f.type === 'reply' && f.final === true, 15_000);
      }),
    );
    const servingPids = new Set([...stdout.matchAll(/"pid":(\d+)[^\n]*"msg":"chat opened"/g)].map((m) => m[1]));
    expect(servingPids.size).toBe(2);

    // Whichever worker answers, the numbers are the cluster's.
    for (let attempt = 0; attempt < 4; attempt++) {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/chat_redact_messages_total\{direction="inbound"\} 6\b/);
      expect(metrics).toMatch(/chat_redact_redactions_total\{direction="inbound",kind="phone"\} 6\b/);
      expect(metrics).toMatch(/chat_redact_ws_connections 6\b/);
    }

    child.kill('SIGTERM');
    const closes = await Promise.all(clients.map((c) => c.closed));
    expect(closes.map((c) => c.code)).toEqual(Array(6).fill(1001));
    const code = await new Promise((resolve) => child!.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(stderr).toContain('starting 2 workers');
  });
});
