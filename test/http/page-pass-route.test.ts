import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PASS_PATH, createPagePassRoute } from '../../src/http/page-pass-route.js';
import { answerError } from '../../src/http/error-handler.js';
import { createLogger } from '../../src/observability/logger.js';
import { createPagePasses } from '../../src/session/page-pass.js';

const passes = createPagePasses('page-pass-route-token');
const servers: ReturnType<typeof createServer>[] = [];
let withToken = '';
let withoutToken = '';

async function serve(app: express.Application): Promise<string> {
  const server = createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const logger = createLogger({ level: 'silent', scrub: (text) => text });
  for (const [p, set] of [[passes, (url: string) => (withToken = url)], [undefined, (url: string) => (withoutToken = url)]] as const) {
    const app = express();
    app.use(createPagePassRoute(p));
    app.use(answerError(logger));
    set(await serve(app));
  }
});
afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

describe('GET /chat-pass.json', () => {
  it('gives the gateway’s own pages a valid pass, never cached and never readable from another origin', async () => {
    for (const site of [undefined, 'same-origin', 'none']) {
      const response = await fetch(`${withToken}${PAGE_PASS_PATH}`, { headers: site === undefined ? {} : { 'sec-fetch-site': site } });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(passes.isValid(((await response.json()) as { pass: string }).pass)).toBe(true);
    }
  });

  it('refuses a browser request from another site', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const response = await fetch(`${withToken}${PAGE_PASS_PATH}`, { headers: { 'sec-fetch-site': site } });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
    }
  });

  it('without a widget token answers {}: no pass is needed', async () => {
    expect(await (await fetch(`${withoutToken}${PAGE_PASS_PATH}`)).json()).toEqual({});
  });
});
