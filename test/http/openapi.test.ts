/**
 * GET /openapi.json against the real gateway: the document parses and is whole, its paths and
 * the app's routes are the same set, every documented operation is answered with a documented
 * status, and real /v1/redact answers (and refusals) satisfy the document's schemas — read back
 * from the served JSON with zod's JSON Schema reader, so the test checks what clients see.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import fc from 'fast-check';
import WebSocket from 'ws';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { BROWSER_DIR } from '../../src/http/static-widget.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { connectClient } from '../support/ws-client.js';
import { lintOpenApi } from '../support/openapi-lint.js';
import { chatText, formattedNumber } from '../support/arbitraries.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
/** A hashed file the build wrote, for `/assets/{file}` (the first the page names). */
const builtAsset = (): string | undefined =>
  existsSync(`${BROWSER_DIR}index.html`) ? /\/assets\/([^"]+)"/.exec(readFileSync(`${BROWSER_DIR}index.html`, 'utf8'))?.[1] : undefined;
/** The methods an OpenAPI path item may hold. */
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let running: RunningGateway;
let doc: OpenApiDocument;
let served: Response;

beforeAll(async () => {
  running = await startTestGateway();
  served = await fetch(`${running.httpUrl}/openapi.json`);
  doc = JSON.parse(await served.clone().text()) as OpenApiDocument;
});

afterAll(async () => {
  await running.stop();
});

/** Every `$ref` in `value`, as written. */
function findRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(findRefs);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => (key === '$ref' && typeof item === 'string' ? [item] : findRefs(item)));
}

/** A component schema of the served document as a zod validator. */
function schemaOf(name: string): z.ZodType {
  const schema = doc.components.schemas[name];
  expect(schema, `components.schemas.${name}`).toBeDefined();
  // JSON Schema reads a `pattern` as Unicode (the `u` flag: `\p{Cc}`); zod's reader compiles it
  // without, so each property's pattern is taken out and checked here with the flag.
  const { properties = {}, ...rest } = schema as { properties?: Record<string, Json> };
  const patterns = Object.entries(properties).flatMap(([key, property]) =>
    typeof property.pattern === 'string' ? [[key, new RegExp(property.pattern, 'u')] as const] : [],
  );
  const stripped = Object.fromEntries(Object.entries(properties).map(([key, { pattern: _pattern, ...property }]) => [key, property]));
  return z.fromJSONSchema({ ...rest, properties: stripped } as Parameters<typeof z.fromJSONSchema>[0]).superRefine((value, ctx) => {
    for (const [key, pattern] of patterns) {
      const field = (value as Record<string, unknown>)[key];
      if (typeof field === 'string' && !pattern.test(field)) ctx.addIssue({ code: 'custom', message: `${key} does not match ${pattern}` });
    }
  });
}

/** "METHOD path" of every route the express app has, from its router (static files have none). */
function listAppRoutes(app: { router: { stack: Layer[] } }): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      // `_all`: a handler for every method, such as the redaction API's guard (405 for all but POST), not an operation of its own.
      const methods = layer.route === undefined ? [] : Object.keys(layer.route.methods).filter((method) => method !== '_all');
      if (layer.route !== undefined) for (const method of methods) found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      if (layer.handle?.stack !== undefined) walk(layer.handle.stack);
    }
  };
  walk(app.router.stack);
  return found.sort();
}
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Call one documented operation the way a client would; resolves to the status it got. */
async function callOperation(path: string, method: string): Promise<number> {
  if (path === '/chat') {
    const socket = new WebSocket(`${running.chatUrl}`);
    return new Promise((resolve, reject) => {
      socket.once('upgrade', (response) => resolve(response.statusCode ?? 0));
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('error', reject);
    }).finally(() => socket.terminate()) as Promise<number>;
  }
  const body = path === '/v1/redact' ? JSON.stringify({ text: 'tlf 98765432' }) : method === 'post' ? 'tlf 98765432' : undefined;
  const headers = path === '/v1/redact' ? { 'content-type': 'application/json' } : { 'content-type': 'text/plain' };
  const address = path.replace('{file}', builtAsset() ?? 'none');
  const response = await fetch(`${running.httpUrl}${address}`, { method: method.toUpperCase(), ...(body !== undefined && { body, headers }) });
  await response.arrayBuffer();
  return response.status;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document of this version, served as JSON', () => {
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'chat-redact', version });
  });

  it('every $ref points at a component the document has, every component is used, and every operation documents its answers', () => {
    const refs = findRefs(doc);
    expect(refs.length).toBeGreaterThan(5);
    const components = Object.entries(doc.components).flatMap(([kind, named]) =>
      kind === 'securitySchemes' ? [] : Object.keys(named as object).map((name) => `#/components/${kind}/${name}`),
    );
    for (const ref of refs) expect(components).toContain(ref);
    // The /chat frames too: the linter does not follow the extension that names them (redocly.yaml).
    for (const component of components) expect(refs, `${component} is used`).toContain(component);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(HTTP_METHODS, `${path} ${method}`).toContain(method);
        expect(Object.keys(operation.responses).length, `${path} ${method}`).toBeGreaterThan(0);
        for (const answer of Object.values(operation.responses)) {
          const { $ref } = answer as { $ref?: string };
          const resolved = $ref === undefined ? answer : (doc.components as unknown as Record<string, Record<string, Operation['responses'][string]>>).responses![$ref.split('/').at(-1)!]!;
          expect(resolved.description.length, `${path} ${method}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('every operation has an operationId of its own, and every one but the WebSocket upgrade a 2XX answer', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id)), ids.join()).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const statuses = Object.keys(op.responses);
      if (path === '/chat') expect(statuses).toContain('101');
      else expect(statuses.some((status) => status.startsWith('2')), `${method} ${path}`).toBe(true);
    }
  });

  it('passes the Redocly OpenAPI linter (recommended rules, redocly.yaml) with no error and no warning', () => {
    const report = lintOpenApi(doc);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(report.status).toBe(0);
  }, 60_000);

  it('the /chat frames of a real chat are the frames the document describes, each way', async () => {
    const client = await connectClient(`${running.chatUrl}?resume=0`);
    const sent = [{ type: 'message', id: 'm1', text: 'ring meg på 98 76 54 32', removed: { phone: 1 } }, { type: 'action', id: 'm2', action: 'nope' }];
    for (const frame of sent) expect(schemaOf(`${frame.type[0]!.toUpperCase()}${frame.type.slice(1)}Frame`).safeParse(frame).success, frame.type).toBe(true);
    expect(schemaOf('ResumeFrame').safeParse({ type: 'resume', token: 'abc' }).success).toBe(true);
    client.send(sent[0]!);
    await client.waitFor((frame) => frame.type === 'reply' && frame.id === 'm1' && frame.final === true);
    client.send(sent[1]!);
    await client.waitFor((frame) => frame.type === 'error' && frame.id === 'm2');
    client.ws.close();
    const types = new Set(client.frames.map((frame) => frame.type));
    expect([...types].sort()).toEqual(['ack', 'error', 'notice', 'reply', 'session']);
    for (const frame of client.frames) {
      const checked = schemaOf(`${String(frame.type)[0]!.toUpperCase()}${String(frame.type).slice(1)}Frame`).safeParse(frame);
      expect(checked.success, `${JSON.stringify(frame)}: ${JSON.stringify(checked.error?.issues)}`).toBe(true);
    }
    expect(schemaOf('ReplyFrame').safeParse({ type: 'reply', text: 'x', final: true, secret: 1 }).success).toBe(false);
    // The gateway's own id rule, as the document states it: printable characters only.
    expect(schemaOf('ActionFrame').safeParse({ type: 'action', id: 'm\u0001', action: 'qa' }).success).toBe(false);
    expect(schemaOf('ActionFrame').safeParse({ type: 'action', id: 'møte 1', action: 'qa' }).success).toBe(true);
  });

  it('the error code enum is the error registry, code for code', () => {
    const error = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    expect(error.properties.error.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
  });

  it('documents exactly the routes the app has, and /chat, the WebSocket upgrade', () => {
    const app = running.gateway.server.listeners('request')[0] as RequestListener & { router: { stack: Layer[] } };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.filter((route) => route !== 'GET /chat').sort()).toEqual(listAppRoutes(app));
    expect(documented).toContain('GET /chat');
    expect(listAppRoutes(app)).toEqual(
      expect.arrayContaining(['GET /openapi.json', 'POST /v1/redact', 'GET /metrics', 'GET /', 'GET /chat-frame', 'GET /embed.js', 'GET /widget.js', 'GET /redact.js', 'GET /assets/{file}', 'GET /widget-policy.json']),
    );
  });

  it('every documented operation is answered, with a status the document lists', async () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const status = await callOperation(path, method);
        expect(status, `${method.toUpperCase()} ${path}`).not.toBe(404);
        expect(Object.keys(operation.responses), `${method.toUpperCase()} ${path} answered ${status}`).toContain(String(status));
      }
    }
  });
});

describe('the /v1/redact schemas of the document hold for real answers', () => {
  async function postRedact(body: string, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${running.httpUrl}/v1/redact`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, body: await response.json() };
  }

  it('a request the document accepts gets a 200 whose body the document describes', async () => {
    const request = schemaOf('RedactRequest');
    const response = schemaOf('RedactResponse');
    const texts = fc.sample(fc.oneof(formattedNumber, chatText), { numRuns: 30, seed: 7 });
    for (const text of ['', 'fnr 010190 12345, kort 4111 1111 1111 1111, tlf 98 76 54 32', ...texts]) {
      const body = { text };
      expect(request.safeParse(body).success).toBe(true);
      const answer = await postRedact(JSON.stringify(body));
      expect(answer.status).toBe(200);
      const checked = response.safeParse(answer.body);
      expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
    }
  });

  it('the document rejects what the route rejects, and the refusal is the documented Error', async () => {
    const request = schemaOf('RedactRequest');
    const error = schemaOf('Error');
    for (const body of [{ text: 5 }, { text: 'a', extra: 1 }, {}, ['text'], 'text']) {
      expect(request.safeParse(body).success, JSON.stringify(body)).toBe(false);
      const answer = await postRedact(JSON.stringify(body));
      expect(answer.status).toBe(400);
      expect(error.safeParse(answer.body).success).toBe(true);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
    const notJson = await postRedact('{"text":', 'application/json');
    expect(notJson.status).toBe(400);
    expect(error.safeParse(notJson.body).success).toBe(true);
    const wrongType = await postRedact('text', 'text/plain');
    expect(wrongType).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    expect(error.safeParse(wrongType.body).success).toBe(true);
  });

  it('the response schema is strict enough to catch a wrong answer', () => {
    const response = schemaOf('RedactResponse');
    const counts = { allowed: 0, kept: 1, keptClasses: { amounts: 1 } };
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: { phone: 1 }, ...counts }).success).toBe(true);
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: { ssn: 1 }, ...counts }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: -1, kinds: {}, ...counts }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: 1, ...counts }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: {}, ...counts, digits: '98765432' }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: {}, ...counts, keptClasses: { phones: 1 } }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: {}, allowed: 0, keptClasses: {} }).success).toBe(false);
    expect(schemaOf('RedactCounts').safeParse({ redactions: 0, kinds: {}, ...counts }).success).toBe(true);
    expect(schemaOf('RedactCounts').safeParse({ text: 'a', redactions: 0, kinds: {}, ...counts }).success).toBe(false);
  });
});
