import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { request, type Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createVendorEgress } from '../../src/chatbot/vendor-egress.js';
import { jsonReply, useVendorStub } from '../support/vendor-stub.js';

const stub = useVendorStub();

describe('vendor egress', () => {
  it('sends requests over one keep-alive connection, and close() ends it for good', async () => {
    const egress = createVendorEgress();
    const texts = ['a', 'b', 'c', 'd', 'e', 'f'];
    stub.script(...texts.map((text) => jsonReply(text)));
    const connectionsBefore = stub.connectionCount;
    for (const expected of texts) {
      const response = await request(stub.url, { method: 'POST', body: '{}', dispatcher: egress.dispatcher });
      expect(await response.body.json()).toEqual({ replies: [{ text: expected }] });
    }
    // undici may open a second connection while the first is still being handed back to its pool.
    expect(stub.connectionCount - connectionsBefore).toBeLessThanOrEqual(2);
    await egress.close();
    expect((egress.dispatcher as Agent).destroyed).toBe(true);
    await expect(request(stub.url, { method: 'POST', body: '{}', dispatcher: egress.dispatcher })).rejects.toThrow();
  });

  it('opens a WebSocket with the options it is given', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const received = new Promise<string>((resolve) => server.once('connection', (socket) => socket.once('message', (data) => resolve(String(data)))));
    const egress = createVendorEgress();
    const socket = egress.openWebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, { maxPayload: 64 });
    await once(socket, 'open');
    socket.send('hei');
    expect(await received).toBe('hei');
    socket.close();
    await egress.close();
    await new Promise((resolve) => server.close(resolve));
  });
});
