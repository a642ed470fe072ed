import { describe, expect, it } from 'vitest';
import { ConfigError, describeIssues, maskUrl } from '../../src/config/problems.js';

describe('describeIssues', () => {
  it('gives one line per variable, its first problem, in the order of the variables, secrets unshown', () => {
    const issues = [
      { path: ['WORKERS'], message: 'must be a count' },
      { path: ['VENDOR_TOKEN'], message: 'must be printable' },
      { path: ['PORT'], message: 'must be a port' },
      { path: ['PORT'], message: 'a second problem of the same variable' },
      { path: [], message: 'about the whole environment' },
    ];
    const env = { WORKERS: 'many', VENDOR_TOKEN: 'hunter 2', PORT: 'x' };
    expect(describeIssues(issues, env, ['PORT', 'VENDOR_TOKEN', 'WORKERS'])).toEqual([
      'PORT: must be a port (got "x")',
      'VENDOR_TOKEN: must be printable',
      'WORKERS: must be a count (got "many")',
      'environment: about the whole environment',
    ]);
  });

  it('masks what a URL carries besides its place, and shortens a long value', () => {
    expect(maskUrl('https://bot:hunter2@bot.example.com/chat?key=1#x')).toBe('https://…@bot.example.com/chat?…');
    const [line] = describeIssues([{ path: ['HOST'], message: 'must be short' }], { HOST: 'h'.repeat(50) }, ['HOST']);
    expect(line).toBe(`HOST: must be short (got "${'h'.repeat(40)}…")`);
  });

  it('puts every line in the error’s message', () => {
    expect(new ConfigError(['A: x', 'B: y']).message).toBe('Invalid configuration:\n  A: x\n  B: y');
  });
});
