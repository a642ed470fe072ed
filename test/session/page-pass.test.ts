import { describe, expect, it } from 'vitest';
import { PAGE_PASS_TTL_SECONDS, createPagePasses } from '../../src/session/page-pass.js';

describe('page passes', () => {
  it('a pass is letters only, good for its lifetime, on every replica that shares the token', () => {
    let now = Date.UTC(2026, 11, 7, 12);
    const passes = createPagePasses('widget-token-a', () => now);
    const other = createPagePasses('widget-token-a', () => now);
    const pass = passes.issue();
    expect(pass).toMatch(/^[a-zA-F]+$/);
    expect(passes.isValid(pass)).toBe(true);
    expect(other.isValid(pass)).toBe(true);
    now += (PAGE_PASS_TTL_SECONDS - 1) * 1000;
    expect(passes.isValid(pass)).toBe(true);
    now += 2000;
    expect(passes.isValid(pass)).toBe(false);
  });

  it('refuses a pass of another token, a changed letter, and anything that is no pass', () => {
    const passes = createPagePasses('widget-token-a');
    const pass = createPagePasses('widget-token-b').issue();
    expect(passes.isValid(pass)).toBe(false);
    const own = passes.issue();
    const flipped = own.slice(0, -3) + (own.at(-3) === 'a' ? 'b' : 'a') + own.slice(-2);
    expect(passes.isValid(flipped)).toBe(false);
    for (const junk of ['', 'widget-token-a', own + 'a', own.slice(1), '0'.repeat(own.length)]) expect(passes.isValid(junk), junk).toBe(false);
  });
});
