/**
 * The native API in the OpenAPI document: every route of every vendor module is an operation
 * with an id of its own and a CORS preflight, and the document with them passes the linter.
 */
import { describe, expect, it } from 'vitest';
import { describeHttpApi } from '../../src/http/openapi.js';
import { describeNativePaths } from '../../src/http/openapi-native.js';
import { NATIVE_APIS } from '../../src/native/native-apis.js';
import { lintOpenApi } from '../support/openapi-lint.js';

const routes = Object.values(NATIVE_APIS).flatMap((create) => create({ baseUrl: 'http://vendor.example', answerLimitBytes: 1024 }).routes);

describe('the native API in the OpenAPI document', () => {
  it('has each route and its preflight, with ids of their own', () => {
    const paths = describeNativePaths(routes);
    expect(Object.keys(paths).sort()).toEqual(['/v1/chat/completions', '/v1/models', '/webhooks/rest/webhook']);
    expect(Object.keys(paths['/v1/chat/completions']!).sort()).toEqual(['options', 'post']);
    const ids = Object.values(paths).flatMap((item) => Object.values(item).map((operation) => (operation as { operationId: string }).operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('createChatCompletion');
  });

  it('passes the Redocly OpenAPI linter with no error and no warning', () => {
    const report = lintOpenApi(describeHttpApi(describeNativePaths(routes)));
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
