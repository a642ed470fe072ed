/**
 * The package as a user gets it: a project whose node_modules/chat-redact is this package (a
 * symlink, as `npm link` or a workspace makes it), imported by name through package.json
 * `exports` to the built `dist/`, from ESM and CommonJS, type-checked with `tsc` under NodeNext,
 * and its `bin` run through node_modules/.bin as npx does.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, Record<string, string> | string>;
};
/** What a user's project would have installed beside chat-redact to use its integrations in TypeScript. */
const PEERS = ['express', 'pino', '@types/express', '@types/node'];
/** The engine, the express and pino integrations, and the browser client (`chat-redact/client`), together. */
const PUBLIC_API = [
  'ChatClient',
  'DEFAULT_KEEP_FIELDS',
  'DEFAULT_SESSION_KEY',
  'HtmlRedactor',
  'JsonLineRedactor',
  'JsonLinesTransform',
  'KINDS',
  'MarkdownRedactor',
  'POLICY_LIMITS',
  'PolicyError',
  'RedactStream',
  'RedactTransform',
  'StreamRedactor',
  'WIDGET_POLICY_PATH',
  'createLocalRedactor',
  'createMemoryStore',
  'createMessageId',
  'createPolicy',
  'createRedactingDestination',
  'createWebStorageStore',
  'fetchWidgetPolicy',
  'parseServerFrame',
  'readWidgetPolicy',
  'redact',
  'redactBody',
  'redactHtml',
  'redactJsonLine',
  'redactMarkdown',
  'redactingHooks',
];

let project: string;

function writeProjectFile(name: string, text: string): void {
  writeFileSync(join(project, name), text);
}

function run(command: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: project, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'chat-redact-user-'));
  mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
  mkdirSync(join(project, 'node_modules', '.bin'));
  symlinkSync(ROOT, join(project, 'node_modules', 'chat-redact'), 'dir');
  for (const name of PEERS) symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  symlinkSync('../chat-redact/dist/cli.js', join(project, 'node_modules', '.bin', 'chat-redact'));
  writeProjectFile('package.json', JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('the package, imported by name', () => {
  it('declares types first in exports, and points them at dist', () => {
    const root = PACKAGE.exports['.'] as Record<string, string>;
    expect(Object.keys(root)[0]).toBe('types');
    expect(root).toEqual({ types: './dist/index.d.ts', default: './dist/lib/index.js' });
  });

  it('works from ESM: every export is there and does its job; internals are not reachable', () => {
    writeProjectFile(
      'use.mjs',
      `
import * as api from 'chat-redact';
import { redact, createPolicy, PolicyError, StreamRedactor, RedactStream, redactBody, redactingHooks } from 'chat-redact';
import pkg from 'chat-redact/package.json' with { type: 'json' };
const out = {};
out.names = Object.keys(api).sort();
out.version = pkg.version;
out.redact = redact('fnr 010190 12345, takk');
const policy = createPolicy({ replacement: '[x]' });
out.policy = redact('tlf 98 76 54 32', policy).text;
try { createPolicy({ minDigits: 1 }); } catch (error) { out.policyError = error instanceof PolicyError && error.problems.length; }
const streamer = new StreamRedactor();
out.stream = streamer.push('ring 98 76') + streamer.push(' 54 32 nå') + streamer.end();
const chunks = [];
await new ReadableStream({ start(c) { c.enqueue('a 1234'); c.enqueue('5678 b'); c.close(); } })
  .pipeThrough(new RedactStream())
  .pipeTo(new WritableStream({ write(chunk) { chunks.push(chunk); } }));
out.web = chunks.join('');
const req = { body: { message: 'tlf 98765432' } }, res = { locals: {} };
redactBody({ fields: ['message'] })(req, res, () => {});
out.middleware = [req.body.message, res.locals.redactions];
out.hook = JSON.parse(redactingHooks().streamWrite('{"level":30,"msg":"tlf 98765432"}\\n')).msg;
try { await import('chat-redact/dist/redact/redact.js'); } catch (error) { out.deepImport = error.code; }
console.log(JSON.stringify(out));
`,
    );
    const result = run(process.execPath, ['use.mjs']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      names: PUBLIC_API,
      version: PACKAGE.version,
      redact: { text: 'fnr , takk', redactions: 1, kinds: { other: 1 }, allowed: 0, kept: 0, keptClasses: {} },
      policy: 'tlf [x]',
      policyError: 1,
      stream: 'ring  nå',
      web: 'a  b',
      middleware: ['tlf ', 1],
      hook: 'tlf ',
      deepImport: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  });

  it('works from CommonJS (require of an ES module, Node 20.19 and later)', () => {
    writeProjectFile('use.cjs', `const { redact } = require('chat-redact'); console.log(redact('tlf 98765432').text);`);
    const result = run(process.execPath, ['use.cjs']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('tlf \n');
  });

  it('resolves the .d.ts under NodeNext: strict tsc accepts right uses and rejects wrong ones', () => {
    writeProjectFile(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, types: ['node'] },
        files: ['use.ts'],
      }),
    );
    writeProjectFile(
      'use.ts',
      `
import express from 'express';
import pino from 'pino';
import {
  KINDS, POLICY_LIMITS, PolicyError, RedactStream, RedactTransform, StreamRedactor, createPolicy,
  createRedactingDestination, redact, redactBody, redactingHooks,
  type Kind, type KindCounts, type Policy, type PolicyOptions, type RedactBodyHandler, type RedactBodyOptions,
  type RedactResult, type RedactingDestination, type RedactingHooks,
} from 'chat-redact';

const options: PolicyOptions = { minDigits: POLICY_LIMITS.minDigits.default };
const policy: Policy = createPolicy(options);
const result: RedactResult = redact('x', policy);
const count: number = result.redactions;
const kinds: KindCounts = result.kinds;
const kind: Kind = KINDS[0];
const problems: readonly string[] = new PolicyError(['x']).problems;
const held: number = new StreamRedactor().maxHeldLength;
const transform: NodeJS.ReadWriteStream = new RedactTransform({ replacement: '' });
const web: TransformStream<string, string> = new RedactStream(policy);
const bodyOptions: RedactBodyOptions = { fields: ['message', 'items.*.text'] };
const handler: RedactBodyHandler = redactBody(bodyOptions);
const app = express();
app.post('/x', express.json(), handler, redactBody({ fields: ['a'] }), (_req, res) => {
  res.json({ removed: res.locals.redactions });
});
const hooks: RedactingHooks = redactingHooks({ maxGap: 0 });
const destination: RedactingDestination = createRedactingDestination(pino.destination(1), policy);
pino({ hooks }).info('x');
pino({}, destination).info('x');
void [count, kinds, kind, problems, held, transform, web];

// @ts-expect-error -- text is a string, so the types are real and not any
const wrong: number = redact('x').text;
// @ts-expect-error -- an unknown policy setting
createPolicy({ minDigit: 8 });
// @ts-expect-error -- fields is required
redactBody({});
void wrong;
`,
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = run(process.execPath, [tsc, '-p', 'tsconfig.json']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    // A whole tsc run: ~10 s on a quiet machine, three times that on a busy one.
  }, 120_000);

  it('runs its bin through the node_modules/.bin symlink, as npx does', () => {
    const bin = join(project, 'node_modules', '.bin', 'chat-redact');
    expect(dirname(bin)).toMatch(/\.bin$/);
    const result = spawnSync(process.execPath, [bin, 'redact'], { cwd: project, input: 'tlf 98 76 54 32\n', encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('tlf \n');
    expect(result.status).toBe(0);
  });
});

describe('the public API documentation', () => {
  it('every export of src/index.ts has TSDoc with an @example at its declaration', () => {
    const entry = join(ROOT, 'src', 'index.ts');
    const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true });
    const checker = program.getTypeChecker();
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    const undocumented = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol))
      .filter((symbol) => {
        const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
        return summary === '' || !symbol.getJsDocTags(checker).some((tag) => tag.name === 'example');
      })
      .map((symbol) => symbol.name);
    expect(undocumented).toEqual([]);
    expect(checker.getExportsOfModule(moduleSymbol).length).toBeGreaterThanOrEqual(PUBLIC_API.length);
  });
});
