/**
 * SessionTokens: a token at the start, then one only when what it carries changed (or at half
 * its lifetime). The cheap check (versions of the ids and actions, the vendor's state) must agree
 * with the full one it replaces: compose the state, serialise it, compare.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatbotConversation } from '../../src/chatbot/chatbot.js';
import { ActionRegistry } from '../../src/gateway/action-registry.js';
import { SessionTokens, type SessionSource } from '../../src/gateway/session-tokens.js';
import { VendorMessageIds } from '../../src/gateway/vendor-message-ids.js';
import { createPolicy, redact } from '../../src/redact/index.js';
import { MAX_SAVED_MESSAGE_IDS, composeChatSession, sessionStateBudget } from '../../src/session/chat-session.js';
import { createSessionSealer } from '../../src/session/session-sealer.js';

const sealer = createSessionSealer({ secrets: ['a-secret-of-the-session-token-tests'], ttlSeconds: 1800 });
const BUDGET = sessionStateBudget(16_384);
const label = (text: string) => redact(text).text;

/** A chat's parts, with a vendor whose state the test sets. */
function makeChat(conversationId = 'qwertyuiopasdfghjklz') {
  let vendorState: unknown;
  const conversation = {
    saveState: (maxBytes: number) => (vendorState === undefined || JSON.stringify(vendorState).length > maxBytes ? undefined : vendorState),
  } as unknown as ChatbotConversation;
  const source: SessionSource = { conversationId, ids: new VendorMessageIds(createPolicy()), actions: new ActionRegistry(), conversation };
  return { source, setVendorState: (state: unknown) => (vendorState = state) };
}

const open = (token: string) => {
  const opened = sealer.open(token);
  if (!opened.ok) throw new Error(`the token does not open: ${opened.reason}`);
  return opened.state;
};

describe('SessionTokens', () => {
  it('issues a token that opens to the chat’s state, and repeats `resumed` on every later one', () => {
    const { source } = makeChat();
    const tokens = new SessionTokens({ sealer, ttlMs: 1_800_000, budget: BUDGET });
    const first = tokens.issue(source, true);
    expect(first).toMatchObject({ type: 'session', resumed: true });
    expect(open(first.token)).toEqual({ c: 'qwertyuiopasdfghjklz' });
    const id = source.actions.remember({ label: label('Faktura'), payload: 'invoice' });
    const next = tokens.refresh(source);
    expect(next?.resumed).toBe(true);
    expect(open(next!.token)).toEqual({ c: 'qwertyuiopasdfghjklz', a: [[id, { l: 'Faktura', p: 'invoice' }]] });
  });

  it('sends nothing while nothing changed, also when a reply offers the same buttons again', () => {
    const { source } = makeChat();
    const tokens = new SessionTokens({ sealer, ttlMs: 1_800_000, budget: BUDGET });
    tokens.issue(source, false);
    expect(tokens.refresh(source)).toBeUndefined();
    source.actions.remember({ label: label('Kontakt oss'), payload: { topic: 'contact' } });
    expect(tokens.refresh(source)).toBeDefined();
    source.actions.remember({ label: label('Kontakt oss'), payload: { topic: 'contact' } });
    source.ids.idFor('plain-id');
    expect(tokens.refresh(source)).toBeUndefined();
  });

  it('sends a token when a stand-in id is issued or the vendor’s state changes', () => {
    const { source, setVendorState } = makeChat();
    const tokens = new SessionTokens({ sealer, ttlMs: 1_800_000, budget: BUDGET });
    tokens.issue(source, false);
    source.ids.idFor('fnr 01019012345');
    // The widget's id is kept as a digest of fixed size, never as it was written.
    const withStandIn = open(tokens.refresh(source)!.token);
    expect(withStandIn).toMatchObject({ ids: { issued: 1, standIns: [[expect.stringMatching(/^[\w-]{22}$/), '@a']] } });
    expect(JSON.stringify(withStandIn)).not.toContain('01019012345');
    setVendorState({ watermark: 'b' });
    expect(open(tokens.refresh(source)!.token)).toMatchObject({ v: { watermark: 'b' } });
    expect(tokens.refresh(source)).toBeUndefined();
    setVendorState({ watermark: 'c' });
    expect(tokens.refresh(source)).toBeDefined();
  });

  it('sends the same state again once the last token is half-way to expiry', async () => {
    const { source } = makeChat();
    const tokens = new SessionTokens({ sealer, ttlMs: 40, budget: BUDGET });
    tokens.issue(source, false);
    expect(tokens.refresh(source)).toBeUndefined();
    await sleep(25);
    expect(open(tokens.refresh(source)!.token)).toEqual({ c: 'qwertyuiopasdfghjklz' });
    expect(tokens.refresh(source)).toBeUndefined();
  });

  it('property: a token is sent exactly when the composed state differs from the last one sent', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('action' as const), n: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('id' as const), n: fc.integer({ min: 0, max: 80 }) }),
      fc.record({ kind: fc.constant('vendor' as const), n: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('nothing' as const), n: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 300, max: BUDGET }), (steps, budget) => {
        const { source, setVendorState } = makeChat();
        const tokens = new SessionTokens({ sealer, ttlMs: 1_800_000, budget });
        const full = () =>
          JSON.stringify(
            composeChatSession(budget, {
              conversationId: source.conversationId,
              ids: source.ids.save(MAX_SAVED_MESSAGE_IDS),
              actions: source.actions.entries(),
              vendorState: (maxBytes) => source.conversation?.saveState(maxBytes),
            }),
          );
        tokens.issue(source, false);
        let sent = full();
        for (const { kind, n } of steps) {
          if (kind === 'action') source.actions.remember({ label: label(`Knapp ${n % 7}`), ...(n % 3 !== 0 && { payload: n % 9 }) });
          else if (kind === 'id') source.ids.idFor(n % 2 === 0 ? `m-${n}` : `id 1234567${n}`);
          else if (kind === 'vendor') setVendorState(n === 0 ? undefined : { history: 'x'.repeat(n * 40) });
          const frame = tokens.refresh(source);
          const now = full();
          expect(frame === undefined).toBe(now === sent);
          if (frame !== undefined) {
            expect(JSON.stringify(open(frame.token))).toBe(now);
            sent = now;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
