/**
 * The transcript kept in sessionStorage: read back only when it has the right shape, and bounded.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES, TRANSCRIPT_KEY, loadTranscript, saveTranscript, type Entry } from '../../src/widget/transcript-storage.js';
import type { StorageLike } from '../../src/client/session-store.js';

function mapStorage(): StorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
}

const ENTRIES: Entry[] = [
  { kind: 'user', id: 'ma', text: 'fnr ', state: 'sent', removed: 1, gatewayRemoved: 0 },
  { kind: 'bot', replyTo: 'ma', text: 'Takk', done: true, actions: [{ id: 'qa', label: 'Mer' }, { id: 'qb', label: 'Les', url: 'https://example.no/' }], used: false },
  { kind: 'bot', text: 'Hei fra en saksbehandler', done: true, actions: [], used: false },
  { kind: 'system', code: 'restarted' },
];

describe('the transcript in storage', () => {
  it('is read back as it was saved', () => {
    const storage = mapStorage();
    saveTranscript(storage, { notice: 'Personvern', entries: ENTRIES });
    expect(loadTranscript(storage)).toEqual({ notice: 'Personvern', entries: ENTRIES });
  });

  it('keeps the newest entries only', () => {
    const storage = mapStorage();
    const many: Entry[] = Array.from({ length: MAX_ENTRIES + 5 }, (_, k) => ({ kind: 'system', code: `c${'x'.repeat(k % 3)}${k}` }));
    saveTranscript(storage, { entries: many });
    const loaded = loadTranscript(storage).entries;
    expect(loaded).toHaveLength(MAX_ENTRIES);
    expect(loaded[0]).toEqual(many[5]);
    expect(loaded.at(-1)).toEqual(many.at(-1));
  });

  it('starts empty when there is none, it is not JSON or not of its shape, or the storage is gone', () => {
    const storage = mapStorage();
    expect(loadTranscript(storage)).toEqual({ entries: [] });
    for (const text of ['{', '[]', '{"entries":[{"kind":"user","id":"a"}]}', '{"entries":[{"kind":"html","text":"<b>"}]}']) {
      storage.items.set(TRANSCRIPT_KEY, text);
      expect(loadTranscript(storage), text).toEqual({ entries: [] });
    }
    expect(loadTranscript(undefined)).toEqual({ entries: [] });
    expect(() => saveTranscript(undefined, { entries: ENTRIES })).not.toThrow();
  });
});
