/**
 * The widget's texts: both languages say everything.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/chat-frame/languages.js';
import { textsFor } from '../../src/widget/texts.js';

describe('textsFor', () => {
  it('has every text in every language, none empty', () => {
    const [english, ...norwegian] = LANGUAGES.map(textsFor);
    for (const other of norwegian) {
      expect(Object.keys(other).sort()).toEqual(Object.keys(english!).sort());
      expect(Object.keys(other.errors).sort()).toEqual(Object.keys(english!.errors).sort());
    }
    expect(new Set(LANGUAGES.map((language) => textsFor(language).subtitle)).size).toBe(3);
    for (const texts of [english!, ...norwegian]) {
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
    expect(textsFor('nb').willRemove(1)).toBe('Et tall med sju eller flere sifre blir fjernet før sending.');
    expect(textsFor('nn').willRemove(1)).toBe('Eit tal med sju eller fleire siffer blir fjerna før sending.');
    expect(textsFor('nb').removed(2)).toBe('2 tall ble fjernet før sending.');
  });

  it('words the rule one way in each language: "sju eller flere sifre", never "sju sifre eller mer"', () => {
    for (const language of LANGUAGES) {
      const said = JSON.stringify(textsFor(language)) + textsFor(language).willRemove(1) + textsFor(language).willRemove(2);
      expect(said).not.toMatch(/sifre eller mer|siffer eller meir/);
    }
    expect(textsFor('nb').subtitle).toContain('sju eller flere sifre');
    expect(textsFor('nn').subtitle).toContain('sju eller fleire siffer');
  });
});
