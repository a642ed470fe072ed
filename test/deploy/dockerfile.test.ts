import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ROOT_URL, gatewayContainer, loadManifests, readRepoFile } from './deploy-files.js';

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

/**
 * The stages of a Dockerfile: line continuations joined, comments dropped, `${ARG}` in FROM
 * replaced by the global ARG defaults.
 */
function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') {
      const [image = '', , name] = args.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => globalArgs.get(arg) ?? '').split(/\s+/);
      stages.push({ name, image, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = args.split('=');
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

/** The exec form (JSON array) of CMD, ENTRYPOINT or HEALTHCHECK … CMD; undefined for the shell form. */
function parseExecForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  return JSON.parse(args) as string[];
}

/** `COPY [--from=…] src… dest` → its sources and where they come from. */
function parseCopy(args: string): { from: string | undefined; sources: string[] } {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  return { from, sources: paths.slice(0, -1) };
}

/** Whether .dockerignore leaves `path` (or a folder above it) out of the build context. */
function isIgnoredByDockerignore(path: string, dockerignore: string): boolean {
  const candidates = path.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const raw of dockerignore.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
    // As Docker reads it: `**/` is any number of folders (none included), `*` stays within one.
    const source = pattern.replace(/\*\*\/|\*\*|\*|\?|[.+^${}()|[\]\\]/g, (token) =>
      token === '**/' ? '(?:.*/)?' : token === '**' ? '.*' : token === '*' ? '[^/]*' : token === '?' ? '[^/]' : `\\${token}`,
    );
    const regex = new RegExp(`^${source}$`);
    if (candidates.some((candidate) => regex.test(candidate))) ignored = !negated;
  }
  return ignored;
}

function runHealthCheck(command: string[], port: number): Promise<number> {
  expect(command[0]).toBe('node');
  return new Promise((resolve) => {
    execFile(process.execPath, command.slice(1), { env: { ...process.env, PORT: String(port) }, timeout: 10_000 }, (error) =>
      resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : -1),
    );
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

describe('Dockerfile', () => {
  const stages = parseDockerfile(readRepoFile('Dockerfile'));
  const dockerignore = readRepoFile('.dockerignore');
  const runtime = stages.at(-1)!;
  const build = stages.find((stage) => stage.name === 'build');
  const deployment = loadManifests().deployment;
  const container = gatewayContainer(deployment);
  const defaultPort = loadConfig({}).http.port;

  it('builds in a build stage and runs from a separate one, both on the same Node LTS slim image, pinned by digest', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    const { engines } = JSON.parse(readRepoFile('package.json')) as { engines: { node: string } };
    const minimumMajor = Number(/>=\s*(\d+)/.exec(engines.node)?.[1]);
    for (const stage of stages) {
      const match = /^node:(\d+)(?:\.\d+)*-[a-z]+-slim@sha256:[0-9a-f]{64}$/.exec(stage.image);
      expect(match, stage.image).not.toBeNull();
      expect(Number(match![1])).toBeGreaterThanOrEqual(minimumMajor);
    }
    expect(stages[0]!.image).toBe(runtime.image);
  });

  it('compiles with the dev dependencies, and installs only production dependencies, without scripts, to run', () => {
    const buildRuns = argsOf(build!, 'RUN');
    expect(buildRuns.some((run) => /\bnpm ci\b/.test(run) && !run.includes('--omit=dev'))).toBe(true);
    expect(buildRuns.some((run) => /\bnpm run build\b/.test(run))).toBe(true);
    const installs = argsOf(runtime, 'RUN').filter((run) => /\bnpm (ci|install|i)\b/.test(run));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\bnpm ci\b/);
    expect(installs[0]).toContain('--omit=dev');
    expect(installs[0]).toContain('--ignore-scripts');
  });

  it('leaves no package manager in the running image: npm, npx and corepack go in the step that used npm', () => {
    const runs = argsOf(runtime, 'RUN');
    const install = runs.find((run) => /\bnpm ci\b/.test(run))!;
    for (const path of ['/usr/local/lib/node_modules/npm', '/usr/local/bin/npm', '/usr/local/bin/npx', '/usr/local/bin/corepack']) expect(install).toContain(path);
    // Nothing after it may use npm again.
    expect(runs.slice(runs.indexOf(install) + 1).filter((run) => /\bnp[mx]\b/.test(run))).toEqual([]);
    const cmd = parseExecForm(argsOf(runtime, 'CMD').at(-1) ?? '');
    expect(cmd?.[0]).toBe('node');
  });

  it('runs the compiled output from the build stage with the package files and public assets', () => {
    const copies = argsOf(runtime, 'COPY').map(parseCopy);
    expect(copies).toContainEqual({ from: 'build', sources: ['/app/dist'] });
    const fromContext = copies.filter((copy) => copy.from === undefined).flatMap((copy) => copy.sources);
    expect(fromContext).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'public']));
    expect(argsOf(runtime, 'ENV')).toContain('NODE_ENV=production');
  });

  it('copies nothing the .dockerignore leaves out, and leaves out local builds, dependencies and secrets', () => {
    // The matcher itself: a pattern excludes what is below it, a later `!` brings a path back.
    expect(isIgnoredByDockerignore('a/b/c.log', '**/*.log')).toBe(true);
    expect(isIgnoredByDockerignore('c.log', '**/*.log')).toBe(true);
    expect(isIgnoredByDockerignore('src/c.log', '*.log')).toBe(false);
    expect(isIgnoredByDockerignore('dist/cli.js', 'dist')).toBe(true);
    expect(isIgnoredByDockerignore('src/x.ts', 'src\n!src/x.ts')).toBe(false);

    const sources = stages.flatMap((stage) =>
      argsOf(stage, 'COPY')
        .map(parseCopy)
        .filter((copy) => copy.from === undefined)
        .flatMap((copy) => copy.sources),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => isIgnoredByDockerignore(source, dockerignore))).toEqual([]);
    for (const path of ['node_modules/zod/package.json', 'dist/cli.js', '.git/config', '.env', 'server.log']) {
      expect(isIgnoredByDockerignore(path, dockerignore), path).toBe(true);
    }
  });

  it('runs as the non-root numeric user the Deployment runs as', () => {
    const user = argsOf(runtime, 'USER').at(-1);
    const [uid] = (user ?? '').split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).not.toBe(0);
    const runAsUser = container.securityContext?.runAsUser ?? deployment.spec.template.spec.securityContext?.runAsUser;
    expect(Number(uid)).toBe(runAsUser);
  });

  it('exposes the service default port, which the Deployment names http', () => {
    expect(argsOf(runtime, 'EXPOSE')).toEqual([String(defaultPort)]);
    expect(container.ports?.find((port) => port.name === 'http')?.containerPort).toBe(defaultPort);
  });

  it('starts node on the compiled CLI directly, in exec form, so SIGTERM reaches it', () => {
    const entrypoints = argsOf(runtime, 'ENTRYPOINT').map(parseExecForm);
    expect(entrypoints.every((entrypoint) => entrypoint !== undefined && entrypoint.length === 0)).toBe(true);
    const cmd = parseExecForm(argsOf(runtime, 'CMD').at(-1) ?? '');
    expect(cmd).toEqual(['node', 'dist/cli.js', 'serve']);
    const { bin } = JSON.parse(readRepoFile('package.json')) as { bin: Record<string, string> };
    expect(bin['chat-redact']).toBe(cmd![1]);
    expect(existsSync(new URL('src/cli.ts', ROOT_URL))).toBe(true);
    for (const signal of argsOf(runtime, 'STOPSIGNAL')) expect(signal).toBe('SIGTERM');
  });

  describe('HEALTHCHECK', () => {
    const healthcheck = argsOf(runtime, 'HEALTHCHECK').at(-1) ?? '';
    const command = parseExecForm(healthcheck.slice(healthcheck.indexOf('CMD') + 'CMD'.length)) ?? [];

    it('asks /healthz on PORT, falling back to the service default port', () => {
      expect(healthcheck).toMatch(/^(--\S+\s+)*CMD\s/);
      expect(command.join(' ')).toContain('/healthz');
      expect(command.join(' ')).toContain(`process.env.PORT||${defaultPort}`);
    });

    it('exits 0 while /healthz answers 200, and 1 when it answers 503 or nothing listens', async () => {
      let status = 200;
      const paths: string[] = [];
      const server = createServer((request, response) => {
        paths.push(request.url ?? '');
        response.writeHead(status).end();
      });
      const port = await listen(server);
      try {
        expect(await runHealthCheck(command, port)).toBe(0);
        status = 503;
        expect(await runHealthCheck(command, port)).toBe(1);
        expect(paths).toEqual(['/healthz', '/healthz']);
      } finally {
        await close(server);
      }
      expect(await runHealthCheck(command, port)).toBe(1);
    });
  });
});
