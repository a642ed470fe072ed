import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RenderedView } from '../../src/redact/markup-view.js';
import { createPolicy } from '../../src/redact/policy.js';
import { cutAt, denseText, policyArb, rawCuts } from '../support/arbitraries.js';
import { referenceRedact } from '../support/reference.js';

/** The deleted units of `text` as the view reports them, pushed in the given chunks. */
function deletedBy(chunks: readonly string[], policy = createPolicy()): string {
  const view = new RenderedView(policy);
  const text = chunks.join('');
  for (const chunk of chunks) {
    view.append(chunk);
    view.scan();
    expect(view.decidedEnd).toBeLessThanOrEqual(view.length);
  }
  view.end();
  expect(view.decidedEnd).toBe(text.length);
  let kept = '';
  let at = 0;
  for (let k = 0; k < view.deleted.length; k += 2) {
    kept += `${text.slice(at, view.deleted[k])}|`;
    at = view.deleted[k + 1]!;
  }
  return kept + text.slice(at);
}

describe('RenderedView', () => {
  it('reports the units the scanner deleted, and what is still undecided', () => {
    const view = new RenderedView(createPolicy());
    view.append('ring 98 76');
    view.scan();
    expect(view.decidedEnd).toBe(5); // '98 76' may still become a number
    view.append(' 54 32 nå');
    view.scan();
    expect(view.deleted).toEqual([5, 16]);
    expect(view.decidedEnd).toBe(19);
    view.end();
    expect(view.counts.redactions).toBe(1);
  });

  it('deletes what the reference deletes, whatever the chunks (allowed numbers too)', () => {
    fc.assert(
      fc.property(denseText, policyArb, rawCuts(6), fc.boolean(), (text, options, cuts, allow) => {
        const policy = createPolicy({ ...options, replacement: '', allow: allow ? ['1 2 7 0 1 2 7'] : [] });
        const wellFormed = text.toWellFormed();
        // The view is fed by a MarkupRedactor, whose input (WellFormedChunks) never ends a chunk
        // inside a surrogate pair: cuts fall between code points.
        const atCodePoints = cuts.map((c) => c % (wellFormed.length + 1)).map((c) => (/[\uDC00-\uDFFF]/.test(wellFormed[c] ?? '') ? c - 1 : c));
        expect(deletedBy(cutAt(wellFormed, atCodePoints), policy).replace(/\|/g, '')).toBe(referenceRedact(wellFormed, policy).text);
      }),
      { numRuns: 500 },
    );
  });

  it('decides an open combination on demand, by deleting it', () => {
    const view = new RenderedView(createPolicy());
    view.append('x 12 3');
    view.decide();
    expect(view.decidedEnd).toBe(view.length);
    expect(view.deleted).toEqual([2, 13]); // '12 3' and the seven digits that stand for nothing
  });
});
