import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { request, type Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { chooseProxy, createVendorEgress, type EgressProxy } from '../../src/chatbot/vendor-egress.js';
import { startForwardProxy } from '../support/forward-proxy.js';
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

describe('the egress proxy', () => {
  const proxyOf = (noProxy: string): EgressProxy => ({ httpProxy: 'http://plain.proxy:3128', httpsProxy: 'http://secure.proxy:3128', noProxy });

  it('chooses the proxy by scheme, falls back to the http proxy, and skips what NO_PROXY names', () => {
    expect(chooseProxy('https://bot.boost.ai/api', proxyOf(''))).toBe('http://secure.proxy:3128');
    expect(chooseProxy('wss://directline.botframework.com/x', proxyOf(''))).toBe('http://secure.proxy:3128');
    expect(chooseProxy('http://rasa:5005/', proxyOf(''))).toBe('http://plain.proxy:3128');
    expect(chooseProxy('ws://rasa:5005/', proxyOf(''))).toBe('http://plain.proxy:3128');
    expect(chooseProxy('https://a.example/', { httpProxy: 'http://p:1', httpsProxy: undefined, noProxy: '' })).toBe('http://p:1');
    expect(chooseProxy('http://a.example/', { httpProxy: undefined, httpsProxy: 'http://p:1', noProxy: '' })).toBeUndefined();
    const cases: Array<[string, string, boolean]> = [
      ['*', 'https://anything.example/', false],
      ['bank.no', 'https://bank.no/', false],
      ['bank.no', 'https://chat.bank.no/', false],
      ['.bank.no', 'https://chat.bank.no/', false],
      ['*.bank.no', 'https://chat.bank.no/', false],
      ['bank.no', 'https://notbank.no/', true],
      ['rasa:5005', 'http://rasa:5005/', false],
      ['rasa:5005', 'http://rasa:5006/', true],
      ['example.com:443', 'wss://example.com/', false],
      ['a.example, B.EXAMPLE  c.example', 'https://b.example/', false],
      ['[::1]', 'http://[::1]:8080/', false],
      ['', 'https://bank.no/', true],
    ];
    for (const [noProxy, url, proxied] of cases) expect(chooseProxy(url, proxyOf(noProxy)) !== undefined, `${noProxy} ${url}`).toBe(proxied);
  });

  it('undici (the requests) and the WebSocket agree with chooseProxy, as the real proxy’s events show', async () => {
    const proxy = await startForwardProxy();
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
    const tunnelled = (url: string, from: number): boolean => proxy.events.slice(from).some((event) => event.target === new URL(url).host);
    try {
      for (const noProxy of ['', '127.0.0.1', '*', new URL(stub.url).host, new URL(wsUrl).host, 'localhost']) {
        const settings: EgressProxy = { httpProxy: proxy.url, httpsProxy: undefined, noProxy };
        const egress = createVendorEgress({ proxy: settings });
        const before = proxy.events.length;
        stub.script(jsonReply('ok'));
        await (await request(stub.url, { method: 'POST', body: '{}', dispatcher: egress.dispatcher })).body.json();
        const socket = egress.openWebSocket(wsUrl, {});
        await once(socket, 'open');
        socket.close();
        expect(tunnelled(stub.url, before), `request, NO_PROXY=${noProxy}`).toBe(chooseProxy(stub.url, settings) !== undefined);
        expect(tunnelled(wsUrl, before), `socket, NO_PROXY=${noProxy}`).toBe(chooseProxy(wsUrl, settings) !== undefined);
        expect(egress.proxyHostOf(wsUrl)).toBe(chooseProxy(wsUrl, settings) === undefined ? undefined : new URL(proxy.url).host);
        await egress.close();
      }
    } finally {
      await proxy.close();
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
