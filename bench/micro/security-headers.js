/**
 * The security headers of every answer: helmet's middlewares per request (twelve of them, each
 * setting its header and calling the next), against the same headers read from helmet once and
 * set from a list (`src/http/security-headers.ts`). Each operation sets them on a fresh
 * `http.ServerResponse`, as a request would; the first variant is what that costs alone.
 *
 * `npm run build && node --expose-gc bench/micro/security-headers.js`
 *
 * @module
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { CSP_DIRECTIVES, setSecurityHeaders } = await loadDistModule('http/security-headers.js');
const perRequest = helmet({
  referrerPolicy: { policy: 'no-referrer' },
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  xFrameOptions: { action: 'deny' },
});
const fixed = setSecurityHeaders({ embedOrigins: [] });
const socket = new Socket();
const noop = () => {};

/** @param {(req: any, res: any, next: () => void) => void} middleware */
function answer(middleware) {
  const req = new IncomingMessage(socket);
  req.url = '/v1/redact';
  const res = new ServerResponse(req);
  // express's req.path, which the middleware reads to tell the chat frame from the rest.
  Object.defineProperty(req, 'path', { value: '/v1/redact' });
  middleware(req, res, noop);
  return res.getHeaderNames().length;
}

if (answer(perRequest) !== answer(fixed)) throw new Error('the two set different headers');
await raceInProcess('security headers on one answer', {
  'none (the response alone)': () => answer((_req, _res, next) => next()),
  'helmet per request': () => answer(perRequest),
  'read from helmet once, set from a list': () => answer(fixed),
}, { iterations: 100_000 });
