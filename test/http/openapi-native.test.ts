/**
 * The native API in the OpenAPI document: every route of every vendor module is an operation
 * with an id of its own and a CORS preflight, and the document with them passes the linter.
 */
import { describe, expect, it } from 'vitest';
import { describeHttpApi } from '../../src/http/openapi.js';
import { describeNativePaths } from '../../src/http/openapi-native.js';
import { documentedRoutes } from '../../src/native/native-api.js';
import { NATIVE_APIS } from '../../src/native/native-apis.js';
import { lintOpenApi } from '../support/openapi-lint.js';

const routes = Object.values(NATIVE_APIS).flatMap((create) => documentedRoutes(create({ baseUrl: 'http://vendor.example', answerLimitBytes: 1024 })));

describe('the native API in the OpenAPI document', () => {
  it('has each route and its preflight, with ids of their own', () => {
    const paths = describeNativePaths(routes);
    expect(Object.keys(paths).sort()).toEqual([
      '/api/chat/v2',
      '/v1/chat/completions',
      '/v1/models',
      '/v3/directline/conversations',
      '/v3/directline/conversations/{conversationId}',
      '/v3/directline/conversations/{conversationId}/activities',
      '/v3/directline/conversations/{conversationId}/stream',
      '/v3/directline/conversations/{conversationId}/upload',
      '/v3/directline/tokens/generate',
      '/v3/directline/tokens/refresh',
      '/webhooks/rest/webhook',
    ]);
    expect(Object.keys(paths['/v3/directline/conversations/{conversationId}/activities']!).sort()).toEqual(['get', 'options', 'post']);
    expect(Object.keys(paths['/v1/chat/completions']!).sort()).toEqual(['options', 'post']);
    const ids = Object.values(paths).flatMap((item) => Object.values(item).map((operation) => (operation as { operationId: string }).operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('createChatCompletion');
    // The stream is a GET that upgrades, without a preflight: a WebSocket has none.
    expect(Object.keys(paths['/v3/directline/conversations/{conversationId}/stream']!)).toEqual(['get']);
  });

  it('writes a route parameter as a template, declared on its path', () => {
    const route = { method: 'GET' as const, path: '/v3/directline/conversations/:conversationId/activities', operationId: 'getActivities', summary: 's', description: 'd' };
    const paths = describeNativePaths([route]);
    expect(Object.keys(paths)).toEqual(['/v3/directline/conversations/{conversationId}/activities']);
    expect(paths['/v3/directline/conversations/{conversationId}/activities']!.parameters).toEqual([
      { name: 'conversationId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('passes the Redocly OpenAPI linter with no error and no warning', () => {
    const withParameter = { method: 'POST' as const, path: '/v9/things/:thingId', operationId: 'postThing', summary: 's', description: 'd' };
    const report = lintOpenApi(describeHttpApi(describeNativePaths([...routes, withParameter])));
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
