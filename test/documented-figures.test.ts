/**
 * Figures the docs state, checked against where they come from: the memory an idle chat costs,
 * as the README's *Performance* table and docs/operations.md give it, against the benchmark run
 * they quote (bench/results/latest.json). A doc that states a figure the run does not have fails,
 * as the reliability table's defaults do (reliability-table.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeTable } from './support/readme.js';

interface BenchRow {
  benchmark: string;
  variant: string;
  value: number;
  unit: string;
}
interface BenchSuite {
  id: string;
  node: { version: string };
  rows: BenchRow[];
}

const IDLE_MEMORY = 'RSS per idle connection, 10,000 open';
const results = JSON.parse(readFileSync(new URL('../bench/results/latest.json', import.meta.url), 'utf8')) as { suites: BenchSuite[] };
const operations = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

/** KiB per idle chat by Node major version, as the run measured it, to the README's one decimal. */
function measuredIdleMemory(): Map<number, number> {
  const measured = new Map<number, number>();
  for (const suite of results.suites.filter((candidate) => candidate.id === 'ws')) {
    const row = suite.rows.find((candidate) => candidate.benchmark === IDLE_MEMORY && candidate.variant === 'chat-redact gateway');
    expect(row?.unit, `${suite.node.version}: ${IDLE_MEMORY}`).toBe('KiB');
    measured.set(Number(/^v(\d+)/.exec(suite.node.version)?.[1]), Math.round(row!.value * 10) / 10);
  }
  return measured;
}

describe('memory per idle chat', () => {
  const measured = measuredIdleMemory();
  const largest = Math.max(...measured.values());

  it('the benchmark run has it for Node 20 and Node 26', () => {
    expect([...measured.keys()].sort()).toEqual([20, 26]);
  });

  it("the README's Performance table states the run's figures", () => {
    const row = readmeTable('Performance').find(([what]) => what?.startsWith('memory per idle chat'));
    expect(row, 'a "memory per idle chat" row').toBeDefined();
    expect(row![0]).toContain('10,000 open');
    expect([row![1], row![2]]).toEqual([`${measured.get(20)} KiB`, `${measured.get(26)} KiB`]);
  });

  it('docs/operations.md states the same figures, and rounds them the same way', () => {
    const exact = [...operations.matchAll(/(\d+(?:\.\d+)?) KiB (?:per idle chat )?on Node (\d+)/g)];
    expect(exact.length).toBeGreaterThanOrEqual(2);
    for (const [whole, kib, node] of exact) expect(Number(kib), whole).toBe(measured.get(Number(node)));
    const rounded = [...operations.matchAll(/about (\d+(?:\.\d+)?) KiB per idle chat/g)];
    expect(rounded.length).toBeGreaterThanOrEqual(2);
    for (const [whole, kib] of rounded) expect(Number(kib), whole).toBe(Math.round(largest));
    // Every figure per idle chat in the file is one of these.
    const all = [...operations.matchAll(/(\d+(?:\.\d+)?) KiB per idle chat/g)].map(([, kib]) => Number(kib));
    for (const kib of all) expect([...measured.values(), Math.round(largest)]).toContain(kib);
  });
});

describe('the `allowed` and `kept` counts', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

  it('are on the library results and the HTTP answers the README says they are on', async () => {
    expect(readme).toContain("`allowed` on every result of the library — `redact()`, the stream redactors' counts —, on the HTTP API's answers");
    expect(readme).toContain('"allowed":0,"kept":0,"keptClasses":{}');
    const { redact, StreamRedactor } = await import('../src/redact/index.js');
    expect(redact('Betal til 7694.05.20300', { allow: ['7694.05.20300'] })).toMatchObject({ allowed: 1 });
    expect(new StreamRedactor().allowed).toBe(0);
    const { COUNTS_TRAILER, redactCountsSchema, redactResponseSchema } = await import('../src/http/redact-routes.js');
    expect(Object.keys(redactResponseSchema.shape)).toEqual(['text', 'redactions', 'kinds', 'allowed', 'kept', 'keptClasses']);
    expect(Object.keys(redactCountsSchema.shape)).toEqual(['redactions', 'kinds', 'allowed', 'kept', 'keptClasses']);
    expect(readme).toContain(`the \`${COUNTS_TRAILER}\` trailer`);
  });
});
