/**
 * The contrast check, against figures published with WCAG and by WebAIM's checker, and as
 * properties: whatever the background, the text colour and the adjusted colour it gives reach
 * 4.5:1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustForContrast,
  BLACK,
  contrastRatio,
  formatColour,
  MIN_TEXT_CONTRAST,
  mixColours,
  parseColour,
  readableTextOn,
  relativeLuminance,
  WHITE,
  type Rgb,
} from '../../src/chat-frame/contrast.js';

const rgb = fc.record({ r: fc.integer({ min: 0, max: 255 }), g: fc.integer({ min: 0, max: 255 }), b: fc.integer({ min: 0, max: 255 }) });
const colour = (text: string): Rgb => parseColour(text)!;
const ratio = (a: string, b: string): number => Math.round(contrastRatio(colour(a), colour(b)) * 100) / 100;

describe('parseColour', () => {
  it('reads #rgb, #rrggbb and rgb() in both syntaxes', () => {
    expect(parseColour('#0a7')).toEqual({ r: 0, g: 170, b: 119 });
    expect(parseColour('  #0A7D45 ')).toEqual({ r: 10, g: 125, b: 69 });
    expect(parseColour('rgb(10, 20, 30)')).toEqual({ r: 10, g: 20, b: 30 });
    expect(parseColour('RGB(10 20 30)')).toEqual({ r: 10, g: 20, b: 30 });
  });

  it('refuses what it cannot compute with, and hostile text', () => {
    const refused = [
      'red',
      '#12345',
      '#1234567',
      'rgb(256, 0, 0)',
      'rgb(1,2)',
      'rgba(1, 2, 3, 0.5)',
      'hsl(0 0% 0%)',
      'var(--x)',
      '#fff; background: url(https://x.example/)',
      '#fff}</style><script>',
      `#${'f'.repeat(100_000)}`,
      `rgb(${' '.repeat(50)}1,2,3)`,
      '',
    ];
    for (const text of refused) expect(parseColour(text), text.slice(0, 60)).toBeUndefined();
  });

  it('formats what it reads back the same', () => {
    fc.assert(
      fc.property(rgb, (c) => {
        expect(parseColour(formatColour(c))).toEqual(c);
      }),
    );
    expect(formatColour({ r: 0, g: 170, b: 119 })).toBe('#00aa77');
  });
});

describe('contrastRatio', () => {
  it('gives the published figures', () => {
    expect(contrastRatio(WHITE, BLACK)).toBe(21);
    expect(contrastRatio(WHITE, WHITE)).toBe(1);
    // WebAIM: #767676 is the lightest grey that passes AA on white; #777777 fails it.
    expect(ratio('#767676', '#ffffff')).toBe(4.54);
    expect(ratio('#777777', '#ffffff')).toBe(4.48);
    // The widget's own pairs (public/widget.css), as its comments say.
    expect(ratio('#ffffff', '#2457d6')).toBe(6.16);
    expect(ratio('#ff0000', '#ffffff')).toBe(4);
    expect(ratio('#0000ff', '#ffffff')).toBe(8.59);
    expect(relativeLuminance(colour('#808080'))).toBeCloseTo(0.2159, 4);
  });

  it('is symmetric and between 1 and 21', () => {
    fc.assert(
      fc.property(rgb, rgb, (a, b) => {
        const r = contrastRatio(a, b);
        expect(r).toBe(contrastRatio(b, a));
        expect(r).toBeGreaterThanOrEqual(1);
        expect(r).toBeLessThanOrEqual(21);
      }),
    );
  });
});

describe('readableTextOn', () => {
  it('keeps a readable choice and replaces an unreadable one with black or white', () => {
    const yellow = colour('#ffd400');
    expect(readableTextOn(yellow, WHITE)).toEqual(BLACK);
    expect(readableTextOn(colour('#0a7d45'), colour('#ffffff'))).toEqual(WHITE);
    expect(readableTextOn(colour('#0a7d45'), colour('#111111'))).toEqual(WHITE);
    expect(readableTextOn(colour('#1b2330'), colour('#f3f5f9'))).toEqual(colour('#f3f5f9'));
  });

  it('always reaches 4.5:1, whatever the two colours', () => {
    fc.assert(
      fc.property(rgb, fc.option(rgb, { nil: undefined }), (background, preferred) => {
        expect(contrastRatio(readableTextOn(background, preferred), background)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      }),
      { numRuns: 2_000 },
    );
    // The hardest background: equally far from black and white.
    const middle = colour('#777777');
    expect(contrastRatio(readableTextOn(middle, middle), middle)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
  });
});

describe('adjustForContrast', () => {
  it('leaves a readable colour alone and moves an unreadable one only as far as needed', () => {
    expect(adjustForContrast(colour('#2457d6'), WHITE)).toEqual(colour('#2457d6'));
    const light = colour('#7fb2ff');
    const adjusted = adjustForContrast(light, WHITE);
    expect(contrastRatio(adjusted, WHITE)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    // Darker, still blue, and one step lighter would not do.
    expect(relativeLuminance(adjusted)).toBeLessThan(relativeLuminance(light));
    expect(adjusted.b).toBeGreaterThan(adjusted.r);
    expect(contrastRatio(mixColours(light, BLACK, 0.9), WHITE)).toBeGreaterThan(contrastRatio(adjusted, WHITE));
  });

  it('always reaches 4.5:1 against any background', () => {
    fc.assert(
      fc.property(rgb, rgb, (c, background) => {
        expect(contrastRatio(adjustForContrast(c, background), background)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      }),
      { numRuns: 2_000 },
    );
  });
});
