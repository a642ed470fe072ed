/**
 * The custom properties the branding sets on the chat page: only those public/widget.css reads,
 * and only when the host gave the setting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brandProperties } from '../../src/widget/page-branding.js';

const CSS = readFileSync(new URL('../../public/widget.css', import.meta.url), 'utf8');

describe('brandProperties', () => {
  it('sets nothing for no branding', () => {
    expect(brandProperties({})).toEqual({});
  });

  it('sets the colours, font and radius, each a property the style sheet reads', () => {
    const properties = brandProperties({ accent: '#ffd400', accentText: '#ffffff', font: '"Inter"', radius: 4 });
    expect(properties).toEqual({
      '--brand-accent': '#ffd400',
      '--brand-accent-text': '#000000',
      '--brand-accent-hover': expect.stringMatching(/^#[0-9a-f]{6}$/) as string,
      '--brand-accent-on-light': expect.stringMatching(/^#[0-9a-f]{6}$/) as string,
      '--brand-accent-on-dark': '#ffd400',
      '--brand-font': '"Inter", var(--font-stack)',
      '--brand-radius': '4px',
    });
    for (const property of Object.keys(properties)) expect(CSS, property).toContain(`var(${property},`);
    expect(CSS).toContain('--font-stack:');
  });
});
