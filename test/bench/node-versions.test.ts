/**
 * The Nodes a benchmark run measures on (`bench/lib/node-versions.js`): read from BENCH_NODES,
 * each measured once, and one that cannot be had reported rather than fatal. No registry is
 * asked: every spec here is this Node.
 */
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- the benchmarks are plain JavaScript, typed by JSDoc
import { readNodeSpecs, resolveNodes } from '../../bench/lib/node-versions.js';

const saved = process.env.BENCH_NODES;
afterEach(() => {
  if (saved === undefined) delete process.env.BENCH_NODES;
  else process.env.BENCH_NODES = saved;
});

describe('node versions of a benchmark run', () => {
  it('reads BENCH_NODES, defaulting to this Node and Node 26', () => {
    delete process.env.BENCH_NODES;
    expect(readNodeSpecs()).toEqual(['current', '26']);
    process.env.BENCH_NODES = ' current , 22,, /usr/bin/node ';
    expect(readNodeSpecs()).toEqual(['current', '22', '/usr/bin/node']);
  });

  it('measures a Node named twice once, and reports one that cannot be had', () => {
    const major = process.versions.node.split('.')[0]!;
    const { nodes, missing } = resolveNodes(['current', major, process.execPath, '/no/such/node', 'latest']);
    expect(nodes).toEqual([{ spec: 'current', path: process.execPath, version: process.version, v8: process.versions.v8, source: 'the Node running the benchmarks' }]);
    expect(missing.map((m: { spec: string }) => m.spec)).toEqual(['/no/such/node', 'latest']);
    expect(missing[0].reason).toMatch(/not "current", a major version or the path of a node binary/);
  });
});
