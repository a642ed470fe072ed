/**
 * A real forward proxy that no one here wrote: the npm `proxy` package (TooTallNate's, the
 * maintainers of `https-proxy-agent`), HTTP forwarding and CONNECT tunnels, on 127.0.0.1 and an
 * ephemeral port. What went through it is read from the proxy server's own events — `request`
 * for a forwarded request, `connect` for a tunnel — never from the gateway.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';

/** What the proxy was asked for: `CONNECT 127.0.0.1:4567` or `GET http://127.0.0.1:4567/x`. */
export interface ProxyEvent {
  readonly method: string;
  readonly target: string;
  /** The `proxy-authorization` header came with it. */
  readonly authorized: boolean;
  /**
   * For a tunnel: the first line the client sent through it (`GET /…/stream HTTP/1.1`), read off
   * the proxy's side of the socket; empty until it came, and for a TLS tunnel unreadable.
   */
  firstLine: string;
  /** For a tunnel: whether what went through it asked for a WebSocket (`upgrade: websocket`). */
  upgrade: boolean;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, or with `user:password@` when the proxy asks for credentials. */
  readonly url: string;
  readonly events: ProxyEvent[];
  /** Tunnels opened to `host:port` (the targets of CONNECT). */
  tunnelsTo(hostAndPort: string): number;
  /** Refuse everything from now on (407, as a proxy refuses a client it does not know). */
  refuse(refusing: boolean): void;
  close(): Promise<void>;
}

/** Start the proxy; with `credentials` (`user:password`) it takes only requests that present them. */
export async function startForwardProxy(credentials?: string): Promise<ForwardProxy> {
  const server = createProxy(createServer());
  const events: ProxyEvent[] = [];
  let refusing = false;
  const expected = credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`;
  server.authenticate = (req: IncomingMessage) => !refusing && (expected === undefined || req.headers['proxy-authorization'] === expected);
  const record = (req: IncomingMessage): ProxyEvent => {
    const event = { method: req.method ?? '', target: req.url ?? '', authorized: req.headers['proxy-authorization'] !== undefined, firstLine: '', upgrade: false };
    events.push(event);
    return event;
  };
  // The proxy's own listeners are added first by createProxy; these only watch.
  server.on('request', record);
  server.on('connect', (req: IncomingMessage, socket: import('node:net').Socket) => {
    const event = record(req);
    let seen = '';
    const watch = (chunk: Buffer): void => {
      seen += chunk.toString('latin1');
      const head = seen.indexOf('\r\n\r\n');
      if (head === -1 && seen.length < 8192) return;
      socket.off('data', watch);
      event.firstLine = seen.split('\r\n', 1)[0] ?? '';
      event.upgrade = /\r\nupgrade:\s*websocket/i.test(seen.slice(0, head === -1 ? undefined : head));
    };
    socket.on('data', watch);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    url: `http://${credentials === undefined ? '' : `${credentials}@`}127.0.0.1:${port}`,
    events,
    tunnelsTo: (hostAndPort) => events.filter((event) => event.method === 'CONNECT' && event.target === hostAndPort).length,
    refuse: (value) => void (refusing = value),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
