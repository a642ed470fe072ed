import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDirectLineStub, type DirectLineStub } from './directline-stub.js';

let stub: DirectLineStub;
beforeAll(async () => {
  stub = await startDirectLineStub();
});
afterAll(async () => {
  await stub.close();
});

describe('direct line stub', () => {
  it('lets a client reset a stream it refuses without an error in the test process (CI: read ECONNRESET)', async () => {
    stub.acceptStreams = false;
    const port = Number(new URL(stub.url).port);
    const answers: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        'GET /v3/directline/conversations/none/stream?t=none HTTP/1.1\r\nHost: stub\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      const answer = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(data.toString('latin1'))));
      answers.push(answer.split('\r\n', 1)[0]!);
      // Reset as a client does that closes the stream while it is still connecting.
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answers).toEqual(Array(5).fill('HTTP/1.1 403 Forbidden'));
  });
});
