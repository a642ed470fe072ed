/**
 * The host's branding read without trusting it: each setting held to its grammar (hostile values
 * dropped, never passed on in part), the data- attribute before the custom property, and the
 * colours that follow from any brand colour readable (4.5:1) on the button and on both panels.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BRAND_SETTINGS,
  MAX_ASSISTANT_NAME_LENGTH,
  MAX_RADIUS_PX,
  PANEL_COLOURS,
  brandColours,
  cutAssistantName,
  parseAvatar,
  parseFont,
  parseRadius,
  readBranding,
  type Branding,
} from '../../src/chat-frame/branding.js';
import { contrastRatio, formatColour, MIN_TEXT_CONTRAST, parseColour } from '../../src/chat-frame/contrast.js';
import { brandMessage, readBrandMessage } from '../../src/chat-frame/frame-messages.js';
import { hostileText } from '../support/arbitraries.js';

const CONTEXT = { baseUrl: 'https://www.example.no/sider/kunde.html', gatewayOrigin: 'http://chat.example.no:8080' };
const read = (settings: Partial<Record<keyof Branding, unknown>>): Branding => readBranding((key) => settings[key], CONTEXT);
const hex = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([r, g, b]) => formatColour({ r, g, b }));

describe('readBranding', () => {
  it('reads every setting in its plain form', () => {
    expect(
      read({ accent: '#0A7D45', accentText: 'rgb(255 255 255)', font: 'Inter, "Source Sans 3", sans-serif', radius: '6px', assistantName: '  Ada  ', avatar: '/bilder/ada.png' }),
    ).toEqual({
      accent: '#0a7d45',
      accentText: '#ffffff',
      font: '"Inter", "Source Sans 3", sans-serif',
      radius: 6,
      assistantName: 'Ada',
      avatar: 'https://www.example.no/bilder/ada.png',
    });
    expect(read({})).toEqual({});
  });

  it('drops each hostile or malformed value and keeps the rest', () => {
    expect(
      read({
        accent: 'red; background: url(https://evil.example/)',
        accentText: '#fff',
        font: 'Inter; } body { display: none',
        radius: 'calc(100% - 1px)',
        assistantName: 42,
        avatar: 'javascript:alert(1)',
      }),
    ).toEqual({ accentText: '#ffffff' });
    expect(read({ accent: ['#000000'], font: { toString: () => 'Inter' }, radius: 8, assistantName: '   ', avatar: '' })).toEqual({});
  });

  it('never lets through text that could end a CSS value or a URL that is not an image, whatever is written', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
        const brand = read({ accent: text, accentText: text, font: text, radius: text, assistantName: text, avatar: text });
        if (brand.accent !== undefined) expect(brand.accent).toMatch(/^#[0-9a-f]{6}$/);
        if (brand.font !== undefined) expect(brand.font).toMatch(/^(?:"[\p{L}\p{N} _-]+"|[a-z-]+)(?:, (?:"[\p{L}\p{N} _-]+"|[a-z-]+))*$/u);
        if (brand.radius !== undefined) expect(brand.radius).toBeGreaterThanOrEqual(0);
        if (brand.radius !== undefined) expect(brand.radius).toBeLessThanOrEqual(MAX_RADIUS_PX);
        if (brand.assistantName !== undefined) {
          expect(brand.assistantName).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]|^\s|\s$/u);
          expect(Array.from(brand.assistantName).length).toBeLessThanOrEqual(MAX_ASSISTANT_NAME_LENGTH);
        }
        if (brand.avatar !== undefined) expect(brand.avatar).toMatch(/^(https:\/\/|http:\/\/chat\.example\.no:8080\/|data:image\/)/i);
      }),
      { numRuns: 500 },
    );
  });

  it('says where each setting is read: a data- attribute, and for the looks a custom property', () => {
    expect(BRAND_SETTINGS.accent).toEqual({ dataKey: 'accent', property: '--chat-redact-accent' });
    expect(BRAND_SETTINGS.assistantName).toEqual({ dataKey: 'assistantName' });
    expect(BRAND_SETTINGS.avatar.property).toBeUndefined();
  });

  it('reads the same settings again from a brand message, and nothing from another message', () => {
    const brand = read({ accent: '#0a7d45', accentText: '#fff', font: 'Inter, serif', radius: '6.5px', assistantName: 'Ada', avatar: 'https://cdn.example.no/a.png' });
    expect(Object.keys(brand)).toHaveLength(6);
    const again = readBrandMessage(JSON.parse(JSON.stringify(brandMessage(brand))));
    expect(readBranding((key) => again![key], CONTEXT)).toEqual(brand);
    for (const data of [null, { source: 'chat-redact', type: 'brand' }, { source: 'chat-redact', type: 'brand', brand: ['x'] }, { source: 'other', type: 'brand', brand: {} }]) {
      expect(readBrandMessage(data), JSON.stringify(data)).toBeUndefined();
    }
  });
});

describe('the grammars', () => {
  it('fonts: at most six plain family names, generic ones bare', () => {
    expect(parseFont("'Open Sans', Arial, SERIF")).toBe('"Open Sans", "Arial", serif');
    expect(parseFont('Inter')).toBe('"Inter"');
    for (const text of ['a,b,c,d,e,f,g', 'Inter,', '"Inter', 'url(x)', 'Inter\\22', 'A"B', `${'x'.repeat(65)}`, 'x'.repeat(201)]) {
      expect(parseFont(text), text).toBeUndefined();
    }
  });

  it('radius: pixels, clamped', () => {
    expect(parseRadius('0')).toBe(0);
    expect(parseRadius('12.5px')).toBe(12.5);
    expect(parseRadius('400px')).toBe(MAX_RADIUS_PX);
    // Four digits are no radius anyone means: refused rather than clamped.
    for (const text of ['-4px', '1em', '1e3', '8 px', '', '9999', '8px;']) expect(parseRadius(text), text).toBeUndefined();
  });

  it('the name: one line, no controls or reordering, cut to length', () => {
    expect(cutAssistantName('Ada\n\tthe\u202Eassistant\u0000')).toBe('Ada the assistant');
    expect(Array.from(cutAssistantName('😀'.repeat(100))).length).toBe(MAX_ASSISTANT_NAME_LENGTH);
  });

  it('the avatar: https anywhere, http only on the gateway, data: only for images, no credentials', () => {
    const avatar = (text: string): string | undefined => parseAvatar(text, CONTEXT);
    expect(avatar('https://cdn.example.no/ada.png')).toBe('https://cdn.example.no/ada.png');
    expect(avatar('http://chat.example.no:8080/favicon.svg')).toBe('http://chat.example.no:8080/favicon.svg');
    expect(avatar('data:image/png;base64,iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(avatar('//cdn.example.no/ada.png')).toBe('https://cdn.example.no/ada.png');
    const refused = [
      'http://cdn.example.no/ada.png',
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/svg+xml' /* no comma: no data */,
      `data:image/png;base64,${'A'.repeat(50 * 1024)}`,
      'https://user:pass@cdn.example.no/ada.png',
      'blob:https://www.example.no/1',
      'file:///etc/passwd',
      `https://cdn.example.no/${'a'.repeat(2_100)}`,
      'https://',
    ];
    for (const text of refused) expect(avatar(text), text.slice(0, 60)).toBeUndefined();
  });
});

describe('brandColours', () => {
  it('keeps a readable text colour the host chose, and replaces one that is not', () => {
    expect(brandColours({ accent: '#0a7d45', accentText: '#ffffff' })).toMatchObject({ accent: '#0a7d45', accentText: '#ffffff' });
    // White on yellow is 1.4:1: black it is.
    expect(brandColours({ accent: '#ffd400', accentText: '#ffffff' })).toMatchObject({ accentText: '#000000' });
    expect(brandColours({ accentText: '#ffffff' })).toBeUndefined();
  });

  it('makes every pair readable, whatever the colours', () => {
    fc.assert(
      fc.property(hex, fc.option(hex, { nil: undefined }), (accent, accentText) => {
        const colours = brandColours({ accent, ...(accentText !== undefined && { accentText }) })!;
        const c = (text: string) => parseColour(text)!;
        expect(contrastRatio(c(colours.accentText), c(colours.accent))).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
        expect(contrastRatio(c(colours.accentText), c(colours.accentHover))).toBeGreaterThanOrEqual(contrastRatio(c(colours.accentText), c(colours.accent)) - 0.01);
        expect(contrastRatio(c(colours.accentOnLight), c(PANEL_COLOURS.light))).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
        expect(contrastRatio(c(colours.accentOnDark), c(PANEL_COLOURS.dark))).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      }),
      { numRuns: 1_000 },
    );
  });

  it('checks against the panels public/widget.css draws', () => {
    const css = readFileSync(new URL('../../public/widget.css', import.meta.url), 'utf8');
    const panels = [...css.matchAll(/--panel:\s*(#[0-9a-f]{6});/gi)].map((match) => match[1]!.toLowerCase());
    expect(panels).toEqual([PANEL_COLOURS.light, PANEL_COLOURS.dark]);
  });
});
