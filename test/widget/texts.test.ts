/**
 * The widget's languages: how one is chosen, and that both say everything.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, chooseLanguage, textsFor } from '../../src/widget/texts.js';

describe('chooseLanguage', () => {
  it('takes the requested language, then the browser’s first English or Norwegian one, else English', () => {
    expect(chooseLanguage('nb', ['en-GB'])).toBe('nb');
    expect(chooseLanguage('no', [])).toBe('nb');
    expect(chooseLanguage('nn-NO', [])).toBe('nb');
    expect(chooseLanguage('en', ['nb-NO'])).toBe('en');
    expect(chooseLanguage(null, ['de-DE', 'nb-NO', 'en'])).toBe('nb');
    expect(chooseLanguage(undefined, ['de-DE', 'en-US', 'nb'])).toBe('en');
    expect(chooseLanguage('sv', ['fr'])).toBe('en');
    expect(chooseLanguage('nob', ['nbx'])).toBe('en');
  });
});

describe('textsFor', () => {
  it('has every text in both languages, none empty', () => {
    const [english, norwegian] = LANGUAGES.map(textsFor);
    expect(Object.keys(norwegian!).sort()).toEqual(Object.keys(english!).sort());
    expect(Object.keys(norwegian!.errors).sort()).toEqual(Object.keys(english!.errors).sort());
    for (const texts of [english!, norwegian!]) {
      for (const [key, value] of Object.entries(texts)) {
        if (typeof value === 'string') expect(value.trim(), key).not.toBe('');
      }
      expect(texts.willRemove(1)).not.toBe(texts.willRemove(2));
      expect(texts.removed(3)).toContain('3');
      expect(texts.reconnecting(4, true)).toContain('4 s');
    }
  });

  it('says in each language how many numbers will go, before sending', () => {
    expect(textsFor('en').willRemove(2)).toBe('2 numbers of seven or more digits will be removed before sending.');
    expect(textsFor('nb').willRemove(1)).toBe('Et tall med sju sifre eller mer blir fjernet før sending.');
    expect(textsFor('nb').removed(2)).toBe('2 tall ble fjernet før sending.');
  });
});
