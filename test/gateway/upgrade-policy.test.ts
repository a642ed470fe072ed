import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { CHAT_PATH, createUpgradePolicy, matchesOrigin, offeredProtocols, type UpgradeRules } from '../../src/gateway/upgrade-policy.js';

const TOKEN = 'widget-Secret_7f3a';
const OWN_HOST = 'chat.example.no';

/** An upgrade request as the HTTP server hands it over: only the URL and headers are read. */
function upgradeRequest(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { url, headers: { host: OWN_HOST, ...headers } } as unknown as IncomingMessage;
}

const rules = (overrides: Partial<UpgradeRules> = {}): UpgradeRules => ({ allowedOrigins: [], widgetToken: undefined, ...overrides });
const OK = { ok: true };
const NOT_FOUND = { ok: false, status: 404, reason: 'path' };
const FORBIDDEN = { ok: false, status: 403, reason: 'origin' };
const UNAUTHORIZED = { ok: false, status: 401, reason: 'token' };

describe('upgrade policy: path', () => {
  it('opens chats on /chat only, with or without a query string', () => {
    const policy = createUpgradePolicy(rules());
    expect(CHAT_PATH).toBe('/chat');
    expect(policy.check(upgradeRequest('/chat'))).toEqual(OK);
    expect(policy.check(upgradeRequest('/chat?lang=nb'))).toEqual(OK);
    for (const url of ['/', '/chat/', '/CHAT', '/chatx', '/v1/chat', '/chat/../metrics']) {
      expect(policy.check(upgradeRequest(url)), url).toEqual(NOT_FOUND);
    }
  });
});

describe('upgrade policy: origin', () => {
  it('without ALLOWED_ORIGINS, only a page of the service itself may open a chat', () => {
    const policy = createUpgradePolicy(rules());
    expect(policy.check(upgradeRequest('/chat', { origin: `https://${OWN_HOST}` }))).toEqual(OK);
    expect(policy.check(upgradeRequest('/chat', { origin: `http://${OWN_HOST}` }))).toEqual(OK);
    for (const origin of ['https://evil.example', `https://${OWN_HOST}.evil.example`, `https://${OWN_HOST}:8443`, 'null', 'not a url']) {
      expect(policy.check(upgradeRequest('/chat', { origin })), origin).toEqual(FORBIDDEN);
    }
  });

  it('with ALLOWED_ORIGINS, exactly the listed origins, and no longer the own one', () => {
    const policy = createUpgradePolicy(rules({ allowedOrigins: ['https://www.example.no', 'https://min.example.no'] }));
    expect(policy.check(upgradeRequest('/chat', { origin: 'https://www.example.no' }))).toEqual(OK);
    expect(policy.check(upgradeRequest('/chat', { origin: 'https://min.example.no' }))).toEqual(OK);
    for (const origin of ['https://www.example.no/', 'https://WWW.example.no', 'http://www.example.no', `https://${OWN_HOST}`]) {
      expect(policy.check(upgradeRequest('/chat', { origin })), origin).toEqual(FORBIDDEN);
    }
  });

  it('a client without an Origin header is no browser: it passes the origin check, not the token check', () => {
    expect(createUpgradePolicy(rules({ allowedOrigins: ['https://www.example.no'] })).check(upgradeRequest('/chat'))).toEqual(OK);
    expect(createUpgradePolicy(rules({ widgetToken: TOKEN })).check(upgradeRequest('/chat'))).toEqual(UNAUTHORIZED);
  });
});

describe('upgrade policy: widget token', () => {
  const policy = createUpgradePolicy(rules({ widgetToken: TOKEN }));

  it('accepts the token in ?token= or as an offered subprotocol', () => {
    expect(policy.check(upgradeRequest(`/chat?token=${TOKEN}`))).toEqual(OK);
    expect(policy.check(upgradeRequest('/chat', { 'sec-websocket-protocol': `chat-redact, ${TOKEN}` }))).toEqual(OK);
    expect(policy.check(upgradeRequest('/chat', { 'sec-websocket-protocol': TOKEN }))).toEqual(OK);
  });

  it('refuses a missing, wrong, shortened or lengthened token with 401', () => {
    for (const url of ['/chat', '/chat?token=', `/chat?token=${TOKEN.slice(0, -1)}`, `/chat?token=${TOKEN}x`, `/chat?token=${TOKEN.toUpperCase()}`, `/chat?Token=${TOKEN}`]) {
      expect(policy.check(upgradeRequest(url)), url).toEqual(UNAUTHORIZED);
    }
    expect(policy.check(upgradeRequest('/chat', { 'sec-websocket-protocol': `chat-redact, ${TOKEN}-` }))).toEqual(UNAUTHORIZED);
  });

  it('checks the path, then the origin, then the token', () => {
    expect(policy.check(upgradeRequest('/elsewhere', { origin: 'https://evil.example' }))).toEqual(NOT_FOUND);
    expect(policy.check(upgradeRequest(`/chat?token=${TOKEN}`, { origin: 'https://evil.example' }))).toEqual(FORBIDDEN);
    expect(policy.check(upgradeRequest('/chat', { origin: 'https://evil.example' }))).toEqual(FORBIDDEN);
  });

  it('isWidgetToken names the token among offered protocols, and nothing when no token is set', () => {
    expect(policy.isWidgetToken(TOKEN)).toBe(true);
    expect(policy.isWidgetToken('chat-redact')).toBe(false);
    expect(policy.isWidgetToken('')).toBe(false);
    const open = createUpgradePolicy(rules());
    expect(open.isWidgetToken('')).toBe(false);
    expect(open.isWidgetToken(TOKEN)).toBe(false);
    expect(open.check(upgradeRequest('/chat'))).toEqual(OK);
  });

  it('property: a presented value opens the chat exactly when it is the token', () => {
    const safe = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~'), minLength: 1, maxLength: 24 });
    fc.assert(
      fc.property(safe, safe, fc.boolean(), (token, presented, inQuery) => {
        const verdict = createUpgradePolicy(rules({ widgetToken: token })).check(
          inQuery ? upgradeRequest(`/chat?token=${presented}`) : upgradeRequest('/chat', { 'sec-websocket-protocol': `chat-redact, ${presented}` }),
        );
        expect(verdict).toEqual(presented === token ? OK : UNAUTHORIZED);
      }),
    );
  });
});

describe('offeredProtocols', () => {
  it('splits the header on commas and drops blanks', () => {
    expect(offeredProtocols(upgradeRequest('/chat', { 'sec-websocket-protocol': ' chat-redact ,tok,, x ' }))).toEqual(['chat-redact', 'tok', 'x']);
    expect(offeredProtocols(upgradeRequest('/chat'))).toEqual([]);
  });
});

describe('one origin syntax for ALLOWED_ORIGINS and EMBED_ORIGINS', () => {
  it('a *. wildcard takes every subdomain, on the same scheme and port, and nothing else', () => {
    const pattern = 'https://*.example.no';
    for (const origin of ['https://chat.example.no', 'https://a.b.example.no']) expect(matchesOrigin(pattern, origin), origin).toBe(true);
    for (const origin of ['https://example.no', 'http://chat.example.no', 'https://chat.example.no:8443', 'https://chatexample.no', 'https://chat.example.no.evil.com', 'https://.example.no']) {
      expect(matchesOrigin(pattern, origin), origin).toBe(false);
    }
    expect(matchesOrigin('https://*.example.no:8443', 'https://chat.example.no:8443')).toBe(true);
    expect(matchesOrigin('https://chat.example.no', 'https://chat.example.no')).toBe(true);
  });

  it('both lists take the same entries and refuse the same ones', () => {
    for (const variable of ['ALLOWED_ORIGINS', 'EMBED_ORIGINS'] as const) {
      const config = loadConfig({ [variable]: 'https://*.example.no, https://www.example.no' });
      expect(variable === 'ALLOWED_ORIGINS' ? config.chat.allowedOrigins : config.http.embedOrigins).toEqual(['https://*.example.no', 'https://www.example.no']);
      for (const bad of ['https://*', 'https://*.no', 'https://a*.example.no', 'https://chat.*.example.no', '*']) {
        expect(() => loadConfig({ [variable]: bad }), `${variable}=${bad}`).toThrow(/not an origin/);
      }
    }
  });

  it('the upgrade check takes a subdomain of a wildcard entry', () => {
    const policy = createUpgradePolicy({ allowedOrigins: ['https://*.example.no'], widgetToken: undefined });
    const upgrade = (origin: string) => ({ url: CHAT_PATH, headers: { origin, host: 'gw.example.no' } }) as unknown as IncomingMessage;
    expect(policy.check(upgrade('https://shop.example.no'))).toEqual({ ok: true });
    expect(policy.check(upgrade('https://example.no'))).toMatchObject({ ok: false, reason: 'origin' });
  });
});
