/**
 * GET /openapi.json against the real gateway: the document parses and is whole, its paths and
 * the app's routes are the same set, every documented operation is answered with a documented
 * status, and real /v1/redact answers (and refusals) satisfy the document's schemas — read back
 * from the served JSON with zod's JSON Schema reader, so the test checks what clients see.
 */
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import fc from 'fast-check';
import WebSocket from 'ws';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { startTestGateway, type RunningGateway } from '../support/gateway-harness.js';
import { chatText, formattedNumber } from '../support/arbitraries.js';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
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
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
}

/** "METHOD path" of every route the express app has, from its router (static files have none). */
function listAppRoutes(app: { router: { stack: Layer[] } }): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route !== undefined) for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${layer.route.path}`);
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
  const response = await fetch(`${running.httpUrl}${path}`, { method: method.toUpperCase(), ...(body !== undefined && { body, headers }) });
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

  it('every $ref points at a schema the document has, and every operation documents its answers', () => {
    const refs = findRefs(doc);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(Object.keys(doc.components.schemas).map((name) => `#/components/schemas/${name}`)).toContain(ref);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(HTTP_METHODS, `${path} ${method}`).toContain(method);
        expect(Object.keys(operation.responses).length, `${path} ${method}`).toBeGreaterThan(0);
        for (const answer of Object.values(operation.responses)) expect(answer.description.length).toBeGreaterThan(0);
      }
    }
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
    expect(listAppRoutes(app)).toEqual(expect.arrayContaining(['GET /openapi.json', 'POST /v1/redact', 'GET /metrics']));
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
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: { phone: 1 } }).success).toBe(true);
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: { ssn: 1 } }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: -1, kinds: {} }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: 1 }).success).toBe(false);
    expect(response.safeParse({ text: 'a', redactions: 1, kinds: {}, digits: '98765432' }).success).toBe(false);
  });
});
