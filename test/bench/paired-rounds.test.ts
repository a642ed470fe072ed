/**
 * Two works raced in turn (`bench/lib/paired-rounds.js`, `timePairedRuns`): the order of the
 * runs, the rounds each gives, and each round's ratio taken from that round's own two times.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the benchmarks are plain JavaScript, typed by JSDoc
import { timePairedRuns } from '../../bench/lib/paired-rounds.js';

describe('paired rounds: timePairedRuns', () => {
  it('warms both, then runs them A B, B A, A B … and keeps what each returned last', async () => {
    const calls: string[] = [];
    let a = 0;
    let b = 100;
    const race = await timePairedRuns(
      () => (calls.push('A'), ++a),
      async () => (calls.push('B'), ++b),
      { warmup: 1, rounds: 4 },
    );
    expect(calls.join('')).toBe('AB' + 'AB' + 'BA' + 'AB' + 'BA');
    expect(race.outputA).toBe(5);
    expect(race.outputB).toBe(105);
    expect(race.a.ms).toHaveLength(4);
    expect(race.b.cpuMs).toHaveLength(4);
  });

  it('gives each round the ratio of its own two times, B over A', async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
      return ms;
    };
    // No figure is asserted (a loaded machine may take the CPU away in any round): only that each
    // ratio is of its own round's two times.
    const race = await timePairedRuns(() => busy(1), () => busy(3), { warmup: 0, rounds: 3 });
    expect(race.ratios).toEqual(race.b.ms.map((ms: number, k: number) => ms / race.a.ms[k]));
    expect(race.cpuRatios).toEqual(race.b.cpuMs.map((ms: number, k: number) => ms / race.a.cpuMs[k]));
    for (const ms of [...race.a.ms, ...race.b.ms]) expect(ms).toBeGreaterThanOrEqual(1);
  });

  it('runs no warm-up when told none', async () => {
    const calls: string[] = [];
    await timePairedRuns(() => (calls.push('A'), 0), () => (calls.push('B'), 0), { warmup: 0, rounds: 1 });
    expect(calls).toEqual(['A', 'B']);
  });
});
