/**
 * The Nodes a benchmark run measures on: `BENCH_NODES`, comma-separated, each `current` (the
 * Node running `bench/run.js`), a major version (`26`: the Node the Docker image ships, from the
 * npm registry's `node-<platform>-<arch>` package, a Node binary inside a registry package,
 * installed once into `node_modules/.cache/chat-redact/node-<major>/`), or the path of a `node`
 * binary. Default `current,26`; a Node named twice is measured once.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_NODES = 'current,26';
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/chat-redact/', import.meta.url));
/** An install of a Node package (tens of MB) may take this long before it counts as failed. */
const INSTALL_TIMEOUT_MS = 300_000;

/**
 * @typedef {object} NodeBinary
 * @property {string} spec as `BENCH_NODES` named it
 * @property {string} path of the binary
 * @property {string} version `process.version` of it
 * @property {string} v8
 * @property {string} source where it came from, for the report
 */

/**
 * @typedef {object} MissingNode
 * @property {string} spec
 * @property {string} reason why it could not be had, for the report
 */

/** @returns {string[]} the specs of `BENCH_NODES`, trimmed, in order */
export function readNodeSpecs() {
  const raw = process.env.BENCH_NODES?.trim() || DEFAULT_NODES;
  return raw.split(',').map((spec) => spec.trim()).filter((spec) => spec !== '');
}

/** @param {string} binary @returns {{ version: string, v8: string }} */
function askVersion(binary) {
  const output = execFileSync(binary, ['-p', 'JSON.stringify({ version: process.version, v8: process.versions.v8 })'], { encoding: 'utf8' });
  return JSON.parse(output);
}

/** The registry package of a Node binary for this machine. */
const nodePackage = () => `node-${process.platform}-${process.arch}`;

/**
 * The Node of major version `major`, installed from the registry package when it is not yet in
 * the cache.
 * @param {number} major
 * @returns {{ path: string, source: string }}
 */
function installMajor(major) {
  const dir = path.join(CACHE_DIR, `node-${major}`);
  const binary = path.join(dir, 'node_modules', nodePackage(), 'bin', 'node');
  const source = `npm package ${nodePackage()}@${major}`;
  if (existsSync(binary)) return { path: binary, source };
  mkdirSync(dir, { recursive: true });
  // Under `npm run`, npm_execpath is the npm that runs us; otherwise the one on PATH.
  const npm = process.env.npm_execpath;
  const args = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${nodePackage()}@${major}`];
  process.stderr.write(`bench: installing Node ${major} (${nodePackage()}@${major}) into ${path.relative(process.cwd(), dir)}\n`);
  if (npm !== undefined && npm.endsWith('.js')) execFileSync(process.execPath, [npm, ...args], { stdio: ['ignore', 'ignore', 'inherit'], timeout: INSTALL_TIMEOUT_MS });
  else execFileSync('npm', args, { stdio: ['ignore', 'ignore', 'inherit'], timeout: INSTALL_TIMEOUT_MS });
  if (!existsSync(binary)) throw new Error(`${nodePackage()}@${major} installed no ${path.relative(dir, binary)}`);
  return { path: binary, source };
}

/**
 * Every Node `specs` names, or why one could not be had. Nodes of the same version are measured once.
 * @param {readonly string[]} specs
 * @returns {{ nodes: NodeBinary[], missing: MissingNode[] }}
 */
export function resolveNodes(specs) {
  /** @type {NodeBinary[]} */
  const nodes = [];
  /** @type {MissingNode[]} */
  const missing = [];
  for (const spec of specs) {
    try {
      let found;
      if (spec === 'current') found = { path: process.execPath, source: 'the Node running the benchmarks' };
      else if (/^\d+$/.test(spec)) {
        const major = Number(spec);
        found = process.versions.node.split('.')[0] === spec ? { path: process.execPath, source: 'the Node running the benchmarks' } : installMajor(major);
      } else if (existsSync(spec)) found = { path: path.resolve(spec), source: spec };
      else throw new Error('not "current", a major version or the path of a node binary');
      const { version, v8 } = askVersion(found.path);
      if (nodes.some((node) => node.version === version)) continue;
      nodes.push({ spec, ...found, version, v8 });
    } catch (error) {
      missing.push({ spec, reason: error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error) });
    }
  }
  return { nodes, missing };
}
