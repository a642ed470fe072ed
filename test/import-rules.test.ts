/**
 * The arrows of the architecture, read from the sources: which part of `src/` may import which.
 * The engine imports nothing else; browser code imports only the engine and the shared leaves;
 * observability imports no other part's vocabulary; the leaves import only leaves; the
 * embed launcher and the widget do not import each other; nothing outside `config/` reads the
 * environment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
/** `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`. */
const SPECIFIER = /(?:^|[;\s])(?:import|export)\s+(?:[^'"();]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;
const LINE_COMMENT = /(^|[^:'"`])\/\/.*$/gm;

/** Modules every part may import: they import only each other. */
const LEAVES = ['errors.ts', 'http-status.ts', 'backoff.ts', 'random-letters.ts', 'line-breaks.ts'];
/** What browser code may import besides itself: the engine, what the page and its launcher share, the leaves. */
const BROWSER_SHARED = ['redact/', 'chat-frame/', ...LEAVES];

/** Every TypeScript module under `src/`, as its path relative to it (`gateway/connection.ts`). */
function modules(): string[] {
  return (readdirSync(SRC, { recursive: true }) as string[])
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
}

/** The code of a module without its comments (examples in TSDoc are not imports). */
function codeOf(file: string): string {
  return readFileSync(path.join(SRC, file), 'utf8').replace(BLOCK_COMMENT, '').replace(LINE_COMMENT, '$1');
}

/** The modules of `src/` that `file` imports, relative to `src/`; packages and `node:` built-ins are left out. */
function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const match of codeOf(file).matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? '';
    if (!specifier.startsWith('.')) continue;
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    found.push(resolved);
  }
  return found;
}

const ALL = modules();

/** Each import of a module in `from` that none of `allowed` (a folder ending in `/` or a file) admits. */
function offences(from: (file: string) => boolean, allowed: readonly string[]): string[] {
  const admits = (target: string): boolean => allowed.some((rule) => (rule.endsWith('/') ? target.startsWith(rule) : target === rule));
  return ALL.filter(from).flatMap((file) => importsOf(file).filter((target) => !admits(target)).map((target) => `${file} → ${target}`));
}

const inFolder = (folder: string) => (file: string) => file.startsWith(folder);

describe('import rules', () => {
  it('reads the imports of the sources it checks', () => {
    expect(ALL).toContain('gateway/connection.ts');
    expect(importsOf('gateway/connection.ts')).toContain('gateway/chat-socket.ts');
    expect(importsOf('server.ts')).toContain('config/load-config.ts');
    expect(importsOf('widget/redact-engine.ts')).toContain('redact/redact.ts');
  });

  it('the engine (redact/) imports nothing else of src/', () => {
    expect(offences(inFolder('redact/'), ['redact/'])).toEqual([]);
  });

  it('browser code (client/, widget/, embed/, chat-frame/) imports only the engine and the shared leaves', () => {
    expect(offences(inFolder('client/'), ['client/', ...BROWSER_SHARED])).toEqual([]);
    expect(offences(inFolder('widget/'), ['widget/', 'client/', ...BROWSER_SHARED])).toEqual([]);
    expect(offences(inFolder('embed/'), ['embed/', ...BROWSER_SHARED])).toEqual([]);
    expect(offences(inFolder('chat-frame/'), ['chat-frame/'])).toEqual([]);
  });

  it('observability/ imports no other part: it counts what it is handed', () => {
    expect(offences(inFolder('observability/'), ['observability/'])).toEqual([]);
  });

  it('the shared leaves import only leaves', () => {
    expect(offences((file) => LEAVES.includes(file), LEAVES)).toEqual([]);
  });

  it('the vendor side (chatbot/) and sessions (session/) import neither the gateway nor the HTTP app', () => {
    expect(offences(inFolder('chatbot/'), ['chatbot/', 'redact/', 'observability/', ...LEAVES])).toEqual([]);
    expect(offences(inFolder('session/'), ['session/', ...LEAVES])).toEqual([]);
  });

  it('the native API (native/) sits on the vendor core and the engine, and imports neither the gateway nor the HTTP app', () => {
    // The lingering close is a socket helper with no vocabulary of the app's; the secret check is shared by every door.
    const allowed = ['native/', 'chatbot/', 'redact/', 'observability/', 'secret-check.ts', 'http/lingering-close.ts', ...LEAVES];
    expect(offences(inFolder('native/'), allowed)).toEqual([]);
    // The composition root hands the HTTP app the native routes; the app never reaches for them.
    expect(ALL.filter(inFolder('http/')).flatMap(importsOf).filter((target) => target.startsWith('native/'))).toEqual([]);
  });

  it('nothing outside config/ reads the environment; the command line only hands it over', () => {
    const readers = ALL.filter((file) => !file.startsWith('config/') && /\bprocess\.env\b/.test(codeOf(file)));
    expect(readers).toEqual(['cli/serve-command.ts']);
    expect(codeOf('cli/serve-command.ts').match(/\bprocess\.env\b/g)).toHaveLength(1);
  });
});
