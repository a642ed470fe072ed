import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionRegistry, MAX_REMEMBERED_ACTIONS, newOpaqueId } from '../../src/gateway/action-registry.js';
import { redact } from '../../src/redact/index.js';
import { MAX_SAVED_ACTIONS } from '../../src/session/chat-session.js';

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

  it('gives an action offered again the id it had, and tells same from different by label and payload', () => {
    const actions = new ActionRegistry();
    const invoice = actions.remember({ label, payload: { topic: 'invoice' } });
    const link = actions.remember({ label });
    const version = actions.version;
    expect(actions.remember({ label, payload: { topic: 'invoice' } })).toBe(invoice);
    expect(actions.remember({ label })).toBe(link);
    expect(actions.version).toBe(version);
    expect(actions.entries().map(([id]) => id)).toEqual([invoice, link]);
    const others = [
      actions.remember({ label, payload: { topic: 'contact' } }),
      actions.remember({ label: redact('Kontakt oss').text, payload: { topic: 'invoice' } }),
      actions.remember({ label, payload: '{"topic":"invoice"}' }),
    ];
    expect(new Set([invoice, link, ...others]).size).toBe(5);
    expect(actions.version).toBeGreaterThan(version);
  });

  it('moves an action offered again to the front once it has fallen behind what a token carries', () => {
    const actions = new ActionRegistry();
    const repeated = actions.remember({ label, payload: 'menu' });
    for (let n = 0; n < MAX_SAVED_ACTIONS - 2; n++) actions.remember({ label, payload: n });
    const version = actions.version;
    expect(actions.remember({ label, payload: 'menu' })).toBe(repeated);
    expect(actions.version).toBe(version);
    expect(actions.entries()[0]![0]).toBe(repeated);
    actions.remember({ label, payload: 'one more' });
    actions.remember({ label, payload: 'and another' });
    expect(actions.remember({ label, payload: 'menu' })).toBe(repeated);
    expect(actions.version).toBeGreaterThan(version);
    expect(actions.entries().at(-1)![0]).toBe(repeated);
  });

  it('property: an action offered again before the registry fills up with others is never forgotten, and is among the newest a token carries', () => {
    fc.assert(
      // Not moved while among the newest a token carries, it may sit that many places further back.
      fc.property(fc.array(fc.integer({ min: 0, max: MAX_REMEMBERED_ACTIONS - MAX_SAVED_ACTIONS }), { minLength: 1, maxLength: 20 }), (gaps) => {
        const actions = new ActionRegistry();
        const id = actions.remember({ label, payload: 'menu' });
        let fresh = 0;
        for (const gap of gaps) {
          for (let n = 0; n < gap; n++) actions.remember({ label, payload: fresh++ });
          expect(actions.recall(id)).toEqual({ label, payload: 'menu' });
          expect(actions.remember({ label, payload: 'menu' })).toBe(id);
          const newest = actions.entries().slice(-MAX_SAVED_ACTIONS).map(([key]) => key);
          expect(newest).toContain(id);
        }
      }),
      { numRuns: 100 },
    );
  });
});
