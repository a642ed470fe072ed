/**
 * The way out to the vendor: the one place where the connections of vendor requests are made —
 * the undici dispatcher of every HTTP request and the WebSocket of Direct Line's stream — and
 * handed to the shared core, which hands them to every adapter. What reaches a vendor takes
 * this road and no other, so a setting of the road (a keep-alive, an egress proxy) holds for
 * every request of every vendor kind.
 *
 * The egress proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`): HTTP requests go through undici's
 * own `EnvHttpProxyAgent`, given the configured values so that it reads no environment of its
 * own. A WebSocket cannot take an undici dispatcher (`ws` speaks node:http), so it takes
 * `https-proxy-agent`'s agent — the one `ws`'s own documentation names for proxies, from the
 * maintainers of the `proxy` server the tests run — which tunnels `ws://` and `wss://` alike with
 * CONNECT. Which URL goes through which proxy is decided for it by {@link chooseProxy}, written to
 * undici's rules so that the stream and the requests of one conversation take the same road
 * (the egress test checks that they do, through a real proxy).
 *
 * @module
 */
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { HttpsProxyAgent } from 'https-proxy-agent';
import WebSocket, { type ClientOptions } from 'ws';

/** Idle keep-alive connections are kept this long (ms), below common server idle timeouts. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };
const SECURE_PROTOCOLS: ReadonlySet<string> = new Set(['https:', 'wss:']);

/**
 * The egress proxy as configured: a proxy URL per scheme (`undefined`: none) and the `NO_PROXY`
 * list as written (hosts, `.suffix` or `*.suffix` domains, each with an optional `:port`; `*`
 * for every host). `https:` and `wss:` fall back to the `http:` proxy, as curl and undici do.
 */
export interface EgressProxy {
  readonly httpProxy: string | undefined;
  readonly httpsProxy: string | undefined;
  readonly noProxy: string;
}

/** How requests and streams reach the vendor. */
export interface VendorEgress {
  /** Every HTTP request to the vendor is sent through it. */
  readonly dispatcher: Dispatcher;
  /** A WebSocket to the vendor (Direct Line's activity stream), on the same road as the requests. */
  openWebSocket(url: string, options: ClientOptions): WebSocket;
  /** The host (and port) of the proxy `url` goes through, for logs; never its credentials. */
  proxyHostOf(url: string): string | undefined;
  /** Release every connection; what is still in flight fails. */
  close(): Promise<void>;
}

/** Settings of {@link createVendorEgress}; each has a default. */
export interface VendorEgressOptions {
  /** How long an idle keep-alive connection is kept, in ms (default 4 s). */
  readonly keepAliveTimeoutMs?: number;
  /** The egress proxy; default none. */
  readonly proxy?: EgressProxy;
}

interface NoProxyEntry {
  readonly hostname: string;
  /** 0: any port. */
  readonly port: number;
}

/** The `NO_PROXY` entries, as undici reads them: split on commas and white space, a leading `.` or `*.` dropped. */
function parseNoProxy(value: string): NoProxyEntry[] {
  return value
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const withPort = /^(.+):(\d+)$/.exec(entry);
      return { hostname: (withPort?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase(), port: withPort ? Number(withPort[2]) : 0 };
    });
}

/**
 * The proxy URL a request to `url` goes through, or `undefined` when it goes direct: the rules of
 * undici's `EnvHttpProxyAgent` (and curl's) — `NO_PROXY` `*` bypasses every host, an entry
 * bypasses its host and every subdomain of it, on its port when it names one.
 *
 * @example
 * ```ts
 * chooseProxy('wss://directline.botframework.com/stream', { httpProxy: 'http://proxy.bank.no:3128', httpsProxy: undefined, noProxy: '.bank.no' });
 * // 'http://proxy.bank.no:3128'
 * ```
 */
export function chooseProxy(url: string, proxy: EgressProxy): string | undefined {
  const target = new URL(url);
  const chosen = SECURE_PROTOCOLS.has(target.protocol) ? (proxy.httpsProxy ?? proxy.httpProxy) : proxy.httpProxy;
  if (chosen === undefined) return undefined;
  if (proxy.noProxy === '*') return undefined;
  // `host` without its port keeps an IPv6 address's brackets, as undici compares it.
  const hostname = target.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol] || 0;
  for (const entry of parseNoProxy(proxy.noProxy)) {
    if (entry.port !== 0 && entry.port !== port) continue;
    if (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)) return undefined;
  }
  return chosen;
}

/**
 * The road to the vendor: a keep-alive pool for requests, through the egress proxy when one is
 * configured, and WebSockets on the same road.
 *
 * @example
 * ```ts
 * const egress = createVendorEgress({ proxy: { httpProxy: undefined, httpsProxy: 'http://proxy.bank.no:3128', noProxy: '' } });
 * await request(url, { dispatcher: egress.dispatcher });
 * const socket = egress.openWebSocket(streamUrl, { maxPayload: 1_048_576 });
 * ```
 */
export function createVendorEgress(options: VendorEgressOptions = {}): VendorEgress {
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? KEEP_ALIVE_TIMEOUT_MS;
  const proxy = options.proxy;
  const isProxied = proxy !== undefined && (proxy.httpProxy !== undefined || proxy.httpsProxy !== undefined);
  // Empty strings, not `undefined`: undici would read the process's environment for a missing value.
  const dispatcher: Dispatcher = isProxied
    ? new EnvHttpProxyAgent({ keepAliveTimeout, httpProxy: proxy.httpProxy ?? '', httpsProxy: proxy.httpsProxy ?? '', noProxy: proxy.noProxy })
    : new Agent({ keepAliveTimeout });
  const socketAgents = new Map<string, HttpsProxyAgent<string>>();
  const proxyOf = (url: string): string | undefined => (isProxied ? chooseProxy(url, proxy) : undefined);
  return {
    dispatcher,
    openWebSocket(url, socketOptions) {
      const proxyUrl = proxyOf(url);
      if (proxyUrl === undefined) return new WebSocket(url, socketOptions);
      let agent = socketAgents.get(proxyUrl);
      if (agent === undefined) {
        agent = new HttpsProxyAgent(proxyUrl);
        socketAgents.set(proxyUrl, agent);
      }
      return new WebSocket(url, { ...socketOptions, agent });
    },
    proxyHostOf(url) {
      const proxyUrl = proxyOf(url);
      return proxyUrl === undefined ? undefined : new URL(proxyUrl).host;
    },
    close() {
      for (const agent of socketAgents.values()) agent.destroy();
      return dispatcher.destroy();
    },
  };
}
