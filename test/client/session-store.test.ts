/**
 * Where a client keeps its token and its unanswered messages.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_KEY, createMemoryStore, createWebStorageStore, type SavedSession, type StorageLike } from '../../src/client/session-store.js';

const SAVED: SavedSession = {
  token: 'abcDEF',
  pending: [
    { type: 'message', id: 'ma', text: 'fnr ', removed: { national_id: 1 } },
    { type: 'action', id: 'mb', action: 'qzx' },
  ],
};

/** A Web Storage in a Map, which can be told to refuse everything (a sandboxed frame, a full quota). */
function mapStorage(refuse = false): StorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const check = (): void => {
    if (refuse) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return {
    items,
    getItem: (key) => (check(), items.get(key) ?? null),
    setItem: (key, value) => (check(), void items.set(key, value)),
    removeItem: (key) => (check(), void items.delete(key)),
  };
}

describe('createWebStorageStore', () => {
  it('keeps the session as JSON under its key and reads it back', () => {
    const storage = mapStorage();
    const store = createWebStorageStore(storage);
    expect(store.load()).toBeUndefined();
    store.save(SAVED);
    expect(JSON.parse(storage.items.get(DEFAULT_SESSION_KEY)!)).toEqual(SAVED);
    expect(createWebStorageStore(storage).load()).toEqual(SAVED);
    store.clear();
    expect(store.load()).toBeUndefined();
  });

  it('ignores what it cannot trust: not JSON, another shape, ids out of bounds', () => {
    const storage = mapStorage();
    const store = createWebStorageStore(storage, 'k');
    for (const text of ['{', '"x"', '{"pending":"no"}', '{"token":5,"pending":[]}', `{"pending":[{"type":"message","id":"${'a'.repeat(65)}","text":""}]}`, '{"pending":[{"type":"resume","id":"a"}]}']) {
      storage.items.set('k', text);
      expect(store.load(), text).toBeUndefined();
    }
  });

  it('never throws when the storage refuses: the chat goes on without it', () => {
    const store = createWebStorageStore(mapStorage(true));
    expect(() => store.save(SAVED)).not.toThrow();
    expect(store.load()).toBeUndefined();
    expect(() => store.clear()).not.toThrow();
  });
});

describe('createMemoryStore', () => {
  it('keeps the last session saved until cleared', () => {
    const store = createMemoryStore();
    expect(store.load()).toBeUndefined();
    store.save(SAVED);
    expect(store.load()).toEqual(SAVED);
    store.clear();
    expect(store.load()).toBeUndefined();
  });
});
