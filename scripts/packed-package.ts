/**
 * The package as a team gets it: packed with `npm pack` from a clean checkout (its `prepack`
 * builds), installed with npm into an empty project, and each entry point loaded there in a
 * fresh Node process — for the test that holds the package to its promises
 * (`test/deploy/npm-package.test.ts`) and the measurement the README's figures come from
 * (`scripts/measure-entry-points.ts`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** A cold npm cache on a slow mirror; with the cache `npm ci` warmed it takes seconds. */
export const INSTALL_TIMEOUT_MS = 180_000;
/** The package's entry points, as a user imports them. */
export const ENTRY_POINTS = ['chat-redact', 'chat-redact/redact', 'chat-redact/express', 'chat-redact/pino', 'chat-redact/client'] as const;

/**
 * The environment of a user's shell, without what a surrounding `npm test` or the test runner put
 * there: npm's own prefix settings would point npm at this checkout, and `NODE_OPTIONS` or
 * `NODE_PATH` could load modules from it.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) {
    if (/^(NODE_OPTIONS|NODE_PATH|VITEST.*|npm_config_(global_|local_)?prefix|npm_config_(omit|include|production)|npm_lifecycle_.*|npm_package_.*)$/i.test(key)) delete env[key];
  }
  return env;
}

/** Node looks for packages in every parent folder: one above `folder` would hide a missing one. */
export function assertNoModulesAbove(folder: string): void {
  for (let dir = dirname(folder); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules exists above ${folder}; set TMPDIR elsewhere`);
  }
}

/**
 * A clean checkout of this working tree in `tree`: the files git tracks or would track (no
 * `dist/`, nothing ignored), with the checkout's `node_modules` linked in for the build's tools.
 */
export function copyCleanTree(tree: string): void {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  for (const file of listed.split('\0').filter((name) => name !== '' && existsSync(join(ROOT, name)))) {
    mkdirSync(dirname(join(tree, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(tree, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
}

/** `npm pack` in `tree` (its `prepack` builds first) into `destination`; the tarball's path and its files. */
export function packTree(tree: string, destination: string): { tarball: string; files: string[]; size: number; unpackedSize: number } {
  const result = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: tree,
    env: userEnv(),
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`npm pack failed:\n${result.stdout}\n${result.stderr}`);
  const [packed] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
    size: number;
    unpackedSize: number;
  }>;
  return { tarball: join(destination, packed!.filename), files: packed!.files.map((file) => file.path), size: packed!.size, unpackedSize: packed!.unpackedSize };
}

/** An empty ES module project in `project` with the tarball installed by npm. */
export function installTarball(project: string, tarball: string): void {
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'team-project', private: true, type: 'module' }));
  const result = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: project,
    env: userEnv(),
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (result.status !== 0) throw new Error(`npm install failed:\n${result.stdout}\n${result.stderr}`);
}

/** Bytes under `path`, as files take them (not blocks). */
export function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0);
}

/** The packages under `node_modules` (`a`, `@s/b`, nested ones too), as names. */
export function installedPackages(modules: string): string[] {
  if (!existsSync(modules)) return [];
  return readdirSync(modules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .flatMap((entry) => (entry.name.startsWith('@') ? readdirSync(join(modules, entry.name)).map((name) => `${entry.name}/${name}`) : [entry.name]))
    .flatMap((name) => [name, ...installedPackages(join(modules, name, 'node_modules'))]);
}

/** Records every module a process loads: ES modules through a resolve hook, CommonJS from require's cache. */
const RECORD_HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOAD_LOG, resolved.url + '\\n');
  return resolved;
}
`;
const RECORD_REGISTER = `import { register } from 'node:module';
register('./record-hooks.mjs', import.meta.url);
`;
/** Imports one entry point and prints how long it took (wall and CPU) and what require holds. */
const LOAD_ENTRY = `import { createRequire } from 'node:module';
const cpu = process.cpuUsage();
const start = performance.now();
await import(process.argv[2]);
const wallMs = performance.now() - start;
const used = process.cpuUsage(cpu);
const commonJs = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000, commonJs }));
`;

/** What loading one entry point costs: time, and every module file it loaded. */
export interface EntryCost {
  /** Median of the runs, from the start of `import()` to its end. */
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Every file loaded (`node:` built-ins left out), absolute paths. */
  readonly files: string[];
  /** The packages those files belong to, `chat-redact` itself included. */
  readonly packages: string[];
  /** Their bytes on disk. */
  readonly bytes: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function packageOf(file: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(file);
  return match?.[1];
}

/**
 * Load `specifier` in `runs` fresh processes in `project` (times), and once more with the
 * recording hook (files). `launcher` goes before `node` in the timed runs (`['chrt', '-f', '50']`:
 * real-time priority, so that other work on a shared machine does not preempt the timing).
 */
export function measureEntry(project: string, specifier: string, runs = 7, launcher: readonly string[] = []): EntryCost {
  writeFileSync(join(project, 'record-hooks.mjs'), RECORD_HOOKS);
  writeFileSync(join(project, 'record-register.mjs'), RECORD_REGISTER);
  writeFileSync(join(project, 'load-entry.mjs'), LOAD_ENTRY);
  const load = (args: string[], env: NodeJS.ProcessEnv = userEnv(), prefix: readonly string[] = []) => {
    const [command = process.execPath, ...before] = [...prefix, process.execPath];
    const result = spawnSync(command, [...before, ...args, 'load-entry.mjs', specifier], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`loading ${specifier} failed:\n${result.stderr}`);
    return JSON.parse(result.stdout) as { wallMs: number; cpuMs: number; commonJs: string[] };
  };
  const timed = Array.from({ length: runs }, () => load([], userEnv(), launcher));
  const log = join(project, `loads-${specifier.replace(/\W/g, '-')}.txt`);
  writeFileSync(log, '');
  const recorded = load(['--import', './record-register.mjs'], userEnv({ LOAD_LOG: log }));
  const fromHooks = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url))
    .filter((file) => !file.startsWith(project + '/load-entry') && !file.startsWith(project + '/record-'));
  const files = [...new Set([...fromHooks, ...recorded.commonJs])];
  const packages = [...new Set(files.map(packageOf).filter((name): name is string => name !== undefined))].sort();
  return {
    wallMs: median(timed.map((run) => run.wallMs)),
    cpuMs: median(timed.map((run) => run.cpuMs)),
    files,
    packages,
    bytes: files.reduce((total, file) => total + statSync(file).size, 0),
  };
}

/** `specifier` (every export of it) bundled for the browser from `project`, minified, as a web team's build would. */
export async function bundleForBrowser(project: string, specifier: string): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents: `export * from '${specifier}';`, resolveDir: project, loader: 'js' },
    absWorkingDir: project,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}
