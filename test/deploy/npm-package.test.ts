/**
 * The package as a team installs it: `npm pack` from a clean checkout (no `dist/`: `prepack`
 * builds), `npm install` of the tarball into an empty project, and there `npx chat-redact
 * redact` and `npx chat-redact serve` (health, one chat through the demo bot), each entry point
 * imported with the modules it loads recorded, the client bundled for the browser and weighed,
 * and a strict TypeScript consumer compiled under node16, nodenext and bundler resolution. One
 * pack and one install serve every case.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTRY_POINTS,
  INSTALL_TIMEOUT_MS,
  ROOT,
  assertNoModulesAbove,
  bundleForBrowser,
  copyCleanTree,
  installTarball,
  measureEntry,
  packTree,
  userEnv,
  type EntryCost,
} from '../../scripts/packed-package.js';
import { killLeftoverChildren, startAndWaitForUrl } from '../support/serve-process.js';
import { connectClient } from '../support/ws-client.js';

/** SPEC §3: the browser client with the engine. */
const MAX_CLIENT_GZIP_BYTES = 25 * 1024;
const START_TIMEOUT_MS = 30_000;
/** The packages only the gateway needs, which no library entry point may load. */
const GATEWAY_ONLY = ['express', 'pino', 'zod', 'ws', 'undici', 'helmet', 'prom-client', 'marked', 'html-to-text', 'htmlparser2'];

let work: string;
let project: string;
let packed: ReturnType<typeof packTree>;

function npx(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync('npx', ['--no', ...args], { cwd: project, env: userEnv(), input, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'chat-redact-package-'));
  assertNoModulesAbove(work);
  const tree = join(work, 'checkout');
  copyCleanTree(tree);
  packed = packTree(tree, work);
  project = join(work, 'project');
  installTarball(project, packed.tarball);
  // TypeScript's Node types, as a TypeScript project would have them.
  mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'), 'dir');
}, 2 * INSTALL_TIMEOUT_MS);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('npm pack from a clean checkout', () => {
  it('builds first and holds what serve, redact and the library need, with README and LICENSE', () => {
    const files = new Set(packed.files);
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/cli.js',
      'dist/lib/index.js',
      'dist/index.d.ts',
      'dist/lib/redact.js',
      'dist/library/redact.d.ts',
      'dist/lib/redact-browser.js',
      'dist/integrations/express.d.ts',
      'dist/integrations/pino.d.ts',
      'dist/client/index.d.ts',
      'dist/redact/byte-finder.wasm',
      'dist/browser/index.html',
      'dist/browser/index.html.br',
      'dist/browser/redact.js',
      'dist/browser/embed.js',
      'public/index.html',
    ]) {
      expect(files, file).toContain(file);
    }
    expect(packed.files.filter((file) => file.startsWith('dist/browser/assets/') && file.endsWith('.js')).length).toBeGreaterThanOrEqual(3);
  });

  it('ships no source maps (no src/ to point to), no sources, no tests', () => {
    expect(packed.files.filter((file) => file.endsWith('.map') || /^(src|test|bench|scripts)\//.test(file))).toEqual([]);
  });
});

describe('the command line, installed', () => {
  it('npx chat-redact redact scrubs a file', () => {
    writeFileSync(join(project, 'chat.log'), 'fnr 010190 12345, tlf 98 76 54 32\nok 1 250 kr\n');
    const result = npx(['chat-redact', 'redact', 'chat.log']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('fnr , tlf \nok 1 250 kr\n');
    expect(result.status).toBe(0);
  });

  it('npx chat-redact serve answers /healthz, chats through the demo bot, and stops on SIGTERM', { timeout: 90_000 }, async () => {
    const service = await startAndWaitForUrl('npx', ['--no', 'chat-redact', 'serve'], {}, {
      cwd: project,
      fullEnv: userEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
    });
    const { child, url } = service;
    try {
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      const client = await connectClient(`${url.replace(/^http/, 'ws')}/chat?resume=0`);
      client.send({ type: 'message', id: 'pkg', text: 'Hva er telefonnummeret deres? Mitt er 98 76 54 32' });
      expect(await client.waitFor((frame) => frame.type === 'ack' && frame.id === 'pkg')).toMatchObject({ redactions: 1, text: 'Hva er telefonnummeret deres? Mitt er ' });
      await client.waitFor((frame) => frame.type === 'reply' && frame.id === 'pkg' && frame.final === true, 20_000);
      const reply = client.frames.filter((frame) => frame.type === 'reply' && frame.id === 'pkg').map((frame) => frame.text).join('');
      expect(reply).toMatch(/ringe kundeservice på , hverdager/);
      client.ws.close();

      const page = await fetch(`${url}/`, { headers: { 'accept-encoding': 'br' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-encoding')).toBe('br');

      // SIGTERM to the process group, as a terminal's Ctrl+C or a container stop reaches npx and
      // the gateway below it: the gateway drains and stops; its output ends when it has exited.
      const ended = Promise.all([child.stdout!, child.stderr!].map((stream) => new Promise((resolve) => stream.once('close', resolve))));
      process.kill(-child.pid!, 'SIGTERM');
      await ended;
      expect(service.output()).toMatch(/"msg":"stopped"/);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      killLeftoverChildren();
    }
  });
});

describe('each entry point, imported in a fresh process', () => {
  const costs = new Map<string, EntryCost>();
  beforeAll(() => {
    for (const entry of ENTRY_POINTS) costs.set(entry, measureEntry(project, entry, 1));
  }, 120_000);

  it.each(ENTRY_POINTS)('%s loads no package the gateway alone needs', (entry) => {
    const cost = costs.get(entry)!;
    expect(cost.files.length, entry).toBeGreaterThanOrEqual(2);
    expect(cost.packages, entry).toEqual(['chat-redact']);
    for (const name of GATEWAY_ONLY) expect(cost.files.some((file) => file.includes(`/node_modules/${name}/`)), `${entry} loads ${name}`).toBe(false);
  });

  it('each entry point loads its bundle and shared chunks only; chat-redact/redact nothing of the service', () => {
    for (const [entry, cost] of costs) {
      const files = cost.files.map((file) => file.replace(/^.*\/node_modules\/chat-redact\//, ''));
      expect(files.every((file) => /^dist\/lib\/[\w-]+\.js$/.test(file)), `${entry}: ${files.join(', ')}`).toBe(true);
    }
    const engine = costs.get('chat-redact/redact')!.files.map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(engine).toMatch(/StreamRedactor = class|class StreamRedactor/);
    expect(engine).not.toMatch(/node:os|node:net|createRequire|express|ChatClient|scrubValue/);
  });

  it('pino comes with the pino integration on first use, not with the import', () => {
    writeFileSync(
      join(project, 'use-pino.mjs'),
      `import { createRequire } from 'node:module';
import { redactingHooks, createRedactingDestination } from 'chat-redact/pino';
const before = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/pino/'));
const hooks = redactingHooks();
const destination = createRedactingDestination();
const after = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/pino/'));
console.log(JSON.stringify({ before, after, line: hooks.streamWrite('{"level":30,"msg":"tlf 98765432"}\\n'), flush: typeof destination.flush }));`,
    );
    const result = spawnSync(process.execPath, ['use-pino.mjs'], { cwd: project, env: userEnv(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ before: false, after: true, line: '{"level":30,"msg":"tlf "}\n', flush: 'function' });
  });
});

describe('the browser client, bundled from the installed package', () => {
  const bundle = async (specifier: string): Promise<string> => Buffer.from(await bundleForBrowser(project, specifier)).toString('utf8');

  it(`chat-redact/client with the engine is at most ${MAX_CLIENT_GZIP_BYTES / 1024} KB gzipped, and runs`, async () => {
    const code = await bundle('chat-redact/client');
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(MAX_CLIENT_GZIP_BYTES);
    expect(code).not.toMatch(/from\s*["']node:|require\(/);
    writeFileSync(join(project, 'client-bundle.mjs'), code);
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const c = await import('./client-bundle.mjs'); console.log(JSON.stringify(c.createLocalRedactor().redact('ring 98 76 54 32')));`],
      { cwd: project, env: userEnv(), encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ text: 'ring ', redactions: 1, removed: { phone: 1 }, split: false });
  });

  it('chat-redact/redact bundles for the browser (its browser condition: no Node built-ins)', async () => {
    const code = await bundle('chat-redact/redact');
    expect(code).not.toMatch(/node:|RedactTransform/);
    expect(gzipSync(code).length).toBeLessThan(MAX_CLIENT_GZIP_BYTES);
  });
});

describe('a strict TypeScript consumer', () => {
  const CONSUMER = `
import { JsonLinesTransform, PolicyError, RedactStream, RedactTransform, createPolicy, redact, type Policy } from 'chat-redact/redact';
import { redactBody, type RedactBodyHandler } from 'chat-redact/express';
import { redactingHooks, type RedactingHooks } from 'chat-redact/pino';
import { ChatClient, createLocalRedactor, parseServerFrame, type ServerFrame } from 'chat-redact/client';
import * as everything from 'chat-redact';

const policy: Policy = createPolicy({ minDigits: 8 });
const text: string = redact('tlf 98765432', policy).text;
const transform: NodeJS.ReadWriteStream = new RedactTransform();
const lines: NodeJS.ReadWriteStream = new JsonLinesTransform();
const web: TransformStream<string, string> = new RedactStream();
const handler: RedactBodyHandler = redactBody({ fields: ['message'] });
const hooks: RedactingHooks = redactingHooks();
const frame: ServerFrame | undefined = parseServerFrame('{"type":"notice","text":"hei"}');
const client: ChatClient = new ChatClient({ url: 'wss://chat.example.no/chat', redactor: createLocalRedactor(policy) });
const same: typeof redact = everything.redact;
const problems: readonly string[] = new PolicyError(['x']).problems;
void [text, transform, lines, web, handler, hooks, frame, client, same, problems];

// @ts-expect-error -- the text is a string: the types are real, not any
const wrong: number = redact('x').text;
// @ts-expect-error -- an unknown policy setting
createPolicy({ minDigit: 8 });
void wrong;
`;
  const SETTINGS = {
    node16: { module: 'node16', moduleResolution: 'node16' },
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
    bundler: { module: 'esnext', moduleResolution: 'bundler' },
  } as const;
  /**
   * Parsed files by name and parse options, shared by the three programs: the standard library
   * and Node's types are most of the work, and parse the same under each resolution.
   */
  const parsed = new Map<string, ts.SourceFile | undefined>();

  /** Type-check `file` in `project` with `settings` (and strict, ES2023, DOM, Node's types); the messages. */
  function typeCheck(file: string, settings: Record<string, string>): string[] {
    const { options, errors } = ts.convertCompilerOptionsFromJson(
      { ...settings, target: 'es2023', lib: ['es2023', 'dom'], strict: true, noEmit: true, types: ['node'], typeRoots: [join(project, 'node_modules/@types')] },
      project,
    );
    expect(errors).toEqual([]);
    const host = ts.createCompilerHost(options);
    const readSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, ...rest) => {
      const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
      if (!parsed.has(key)) parsed.set(key, readSourceFile(fileName, languageVersion, ...rest));
      return parsed.get(key);
    };
    const program = ts.createProgram([join(project, file)], options, host);
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  }

  it.each(Object.keys(SETTINGS) as Array<keyof typeof SETTINGS>)('compiles under %s resolution', (name) => {
    writeFileSync(join(project, `consumer-${name}.ts`), CONSUMER);
    expect(typeCheck(`consumer-${name}.ts`, SETTINGS[name])).toEqual([]);
    // The first parses the standard library and Node's types: several seconds, far more on a busy machine.
  }, 120_000);
});
