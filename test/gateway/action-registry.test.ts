import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionRegistry, MAX_REMEMBERED_ACTIONS, newOpaqueId } from '../../src/gateway/action-registry.js';
import { redact } from '../../src/redact/index.js';

const label = redact('Betal faktura').text;

describe('newOpaqueId', () => {
  it('property: letters only, of the length asked for', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), (letters) => {
        expect(newOpaqueId(letters)).toMatch(new RegExp(`^[a-z]{${letters}}$`));
      }),
    );
    expect(new Set(Array.from({ length: 1000 }, () => newOpaqueId())).size).toBe(1000);
  });
});

describe('ActionRegistry', () => {
  it('recalls what it remembered by an opaque id that says nothing of it', () => {
    const actions = new ActionRegistry();
    const id = actions.remember({ label, payload: { linkId: '1234567' } });
    expect(id).toMatch(/^[a-z]{12}$/);
    expect(actions.recall(id)).toEqual({ label, payload: { linkId: '1234567' } });
    expect(actions.recall('abcdefghijkl')).toBeUndefined();
  });

  it('forgets the oldest past its bound', () => {
    const actions = new ActionRegistry();
    const ids = Array.from({ length: MAX_REMEMBERED_ACTIONS + 3 }, (_, n) => actions.remember({ label, payload: n }));
    expect(ids.slice(0, 3).map((id) => actions.recall(id))).toEqual([undefined, undefined, undefined]);
    expect(actions.recall(ids.at(-1)!)?.payload).toBe(MAX_REMEMBERED_ACTIONS + 2);
    expect(actions.entries()).toHaveLength(MAX_REMEMBERED_ACTIONS);
    expect(actions.entries()[0]![1].payload).toBe(3);
  });

  it('takes up a resumed chat’s actions under their ids', () => {
    const before = new ActionRegistry();
    const id = before.remember({ label, payload: 'p' });
    const after = new ActionRegistry();
    after.restore(before.entries());
    expect(after.recall(id)).toEqual({ label, payload: 'p' });
  });
});
