import { describe, expect, it } from 'vitest';
import { decodePercent, decodeReferences, edgeDigits, hasEdgeDigit } from '../../src/redact/markdown-address.js';

describe('edgeDigits', () => {
  it.each([
    ['/12-34/x/5-', ['/', '12-34', '5', '-']],
    ['https://x.example/sak/12', ['', '', '12', '']],
    ['https://x.example/sak/', ['', '', '', '']],
    ['12345@x.example', ['', '12345', '', '']],
    ['https://x.example/𝟏٢', ['', '', '𝟏٢', '']],
    ['https://x.example/1\u00ad2\u200b', ['', '', '1\u00ad2', '\u200b']],
  ])('%j → %j', (address, expected) => {
    expect(edgeDigits(address)).toEqual(expected);
  });

  it('says whether a digit stands at an edge, but for separators', () => {
    expect(hasEdgeDigit('https://x.example/a')).toBe(false);
    expect(hasEdgeDigit('https://x.example/1/')).toBe(true);
    expect(hasEdgeDigit('-1@x')).toBe(true);
  });
});

describe('decodeReferences and decodePercent', () => {
  it('decode what an attribute and an autolink show', () => {
    expect(decodeReferences('?a=&#49;23&#x34;5&#54')).toBe('?a=123456');
    expect(decodeReferences('?a=12&period;34&nbsp5&amp;')).toBe('?a=12.34\u00a05&amp;');
    expect(decodePercent('/%31%32%E2%80%8B3')).toBe('/12\u200b3');
    expect(decodePercent('/%FF1')).toBe('/%FF1');
  });
});
