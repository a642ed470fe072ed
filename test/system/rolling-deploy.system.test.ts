/**
 * A rolling deploy, as Kubernetes does one: two gateway processes that share SESSION_SECRET; a
 * chat on the first, which is stopped (SIGTERM) while a reply is slow; the widget resumes on the
 * second and sends the cut message again. The vendor sees one conversation, the cut message under
 * one idempotency key, and the widget gets its answer once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countLeaks } from '../support/leak-judge.js';
import { CLI, exitOf, killLeftoverChildren, startAndWaitForUrl, type ServiceProcess } from '../support/serve-process.js';
import { echoHandler, startVendorStub, type StubReply, type VendorStub } from '../support/vendor-stub.js';
import { connectClient, type Frame, type TestClient } from '../support/ws-client.js';

const SECRET = 'rolling-deploy-secret-of-the-test-suite';
/** The drain gives up on a pending reply this soon, so the cut is quick. */
const SHUTDOWN_TIMEOUT_MS = '400';

let stub: VendorStub;
beforeAll(async () => {
  stub = await startVendorStub();
});
afterAll(async () => {
  await stub.close();
});
afterEach(() => killLeftoverChildren());

function startReplica(): Promise<ServiceProcess> {
  return startAndWaitForUrl('node', [CLI, 'serve'], {
    PORT: '0',
    HOST: '127.0.0.1',
    VENDOR_URL: stub.url,
    SESSION_SECRET: SECRET,
    SHUTDOWN_TIMEOUT_MS,
    LOG_LEVEL: 'warn',
  });
}

const chatUrl = (replica: ServiceProcess): string => `${replica.url.replace(/^http/, 'ws')}/chat`;
const sessions = (client: TestClient): Frame[] => client.frames.filter((f) => f.type === 'session');

describe('a conversation across a rolling deploy', () => {
  it('resumes on another replica: one vendor conversation, the cut message answered once', async () => {
    // The first attempt at the slow message never answers; any later one answers at once.
    let slowAttempts = 0;
    stub.setHandler((request): StubReply => {
      if ((request.body as { text?: string }).text === 'slow' && ++slowAttempts === 1) return { kind: 'hang' };
      return echoHandler(request);
    });
    const [first, second] = await Promise.all([startReplica(), startReplica()]);

    const widget = await connectClient(chatUrl(first));
    await widget.waitFor((f) => f.type === 'session');
    widget.send({ type: 'message', id: 'm1', text: 'hei' });
    await widget.waitFor((f) => f.id === 'm1' && f.type === 'reply' && f.final === true);
    widget.send({ type: 'message', id: 'm2', text: 'slow' });
    await widget.waitFor((f) => f.id === 'm2' && f.type === 'ack');
    await expect.poll(() => stub.requests.length, { timeout: 10_000 }).toBe(2);
    const token = sessions(widget).at(-1)!.token as string;

    first.child.kill('SIGTERM');
    expect((await widget.closed).code).toBe(1001);
    expect(await exitOf(first.child)).toBe(0);
    // The cut message got no reply, only the error the widget resends on.
    expect(widget.frames.filter((f) => f.id === 'm2' && f.type === 'reply' && f.final === true)).toEqual([]);
    expect(widget.frames.find((f) => f.id === 'm2' && f.type === 'error')?.code).toBe('shutting_down');

    const resumed = await connectClient(chatUrl(second));
    resumed.send({ type: 'resume', token });
    await resumed.waitFor(() => sessions(resumed).length === 2);
    expect(sessions(resumed)[1]).toMatchObject({ type: 'session', resumed: true });
    resumed.send({ type: 'message', id: 'm2', text: 'slow' });
    await resumed.waitFor((f) => f.id === 'm2' && f.type === 'reply' && f.final === true);
    resumed.send({ type: 'message', id: 'm3', text: 'takk' });
    await resumed.waitFor((f) => f.id === 'm3' && f.type === 'reply' && f.final === true);

    const answers = [...widget.frames, ...resumed.frames].filter((f) => f.id === 'm2' && f.type === 'reply');
    expect(answers.map((f) => f.text).join('')).toBe('echo: slow');
    expect(answers.filter((f) => f.final === true)).toHaveLength(1);
    // One conversation at the vendor, and the resent message under the key it had.
    const keys = stub.requests.map((r) => r.idempotencyKey!);
    const conversations = new Set(keys.map((key) => key.split(':')[0]));
    expect(conversations.size).toBe(1);
    expect([...conversations][0]).toMatch(/^[a-z]{20}$/);
    expect(keys.map((key) => key.split(':')[1])).toEqual(['m1', 'm2', 'm2', 'm3']);
    expect(stub.requests[1]!.outcome).toBe('client-closed');
    for (const frame of [...widget.frames, ...resumed.frames]) expect(countLeaks(JSON.stringify(frame))).toBe(0);
    resumed.ws.close();
    second.child.kill('SIGTERM');
    expect(await exitOf(second.child)).toBe(0);
  });
});
