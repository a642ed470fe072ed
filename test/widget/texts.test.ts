/**
 * The widget's texts: both languages say everything.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/chat-frame/languages.js';
import { textsFor } from '../../src/widget/texts.js';

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
