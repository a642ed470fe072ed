/**
 * How the chat page and its launcher choose a language.
 */
import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../src/chat-frame/languages.js';

describe('chooseLanguage', () => {
  it('takes the requested language, then the browser’s first English or Norwegian one, else English', () => {
    expect(chooseLanguage('nb', ['en-GB'])).toBe('nb');
    expect(chooseLanguage('no', [])).toBe('nb');
    expect(chooseLanguage('nn-NO', [])).toBe('nn');
    expect(chooseLanguage('en', ['nb-NO'])).toBe('en');
    expect(chooseLanguage(null, ['de-DE', 'nb-NO', 'en'])).toBe('nb');
    expect(chooseLanguage(undefined, ['de-DE', 'en-US', 'nb'])).toBe('en');
    expect(chooseLanguage('sv', ['fr'])).toBe('en');
    expect(chooseLanguage('nob', ['nbx'])).toBe('en');
  });
});
