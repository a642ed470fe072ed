import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/gateway/action-registry.js';
import { MAX_URL_LENGTH, checkLink, viewActions } from '../../src/gateway/reply-actions.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createPolicy } from '../../src/redact/index.js';
import { formattedNumber } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';

/** The URL as a person would read it: decoded where it decodes. */
function decodeLeniently(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function depsFor() {
  return { policy: createPolicy(), metrics: createMetrics({ collectDefaults: false }), actions: new ActionRegistry() };
}

async function outboundRedactions(metrics: ReturnType<typeof createMetrics>): Promise<Record<string, number>> {
  const { values } = await metrics.redactions.get();
  return Object.fromEntries(values.filter((v) => v.labels.direction === 'outbound' && v.value > 0).map((v) => [v.labels.kind, v.value]));
}

describe('checkLink', () => {
  it('passes http(s) links without a number, normalised as the URL parser writes them', () => {
    const deps = depsFor();
    expect(checkLink('https://www.example.no/faktura?side=2', deps)).toBe('https://www.example.no/faktura?side=2');
    expect(checkLink('HTTP://Example.NO', deps)).toBe('http://example.no/');
  });

  it('drops other schemes, credentials, over-long links and what is no URL', () => {
    const deps = depsFor();
    for (const url of ['javascript:alert(1)', 'tel:+4721496000', 'mailto:a@example.no', 'data:text/html,x', 'ftp://example.no/', 'https://user:pw@example.no/', `https://example.no/${'a'.repeat(MAX_URL_LENGTH)}`, 'not a url', '']) {
      expect(checkLink(url, deps), url).toBeUndefined();
    }
  });

  it('drops a link with a number in it, also percent-encoded, and counts it as a redaction', async () => {
    const deps = depsFor();
    expect(checkLink('https://bank.example/konto/7694.05.20300', deps)).toBeUndefined();
    expect(checkLink('https://bank.example/?tlf=98%2076%2054%2032', deps)).toBeUndefined();
    expect(checkLink('https://bank.example/?fnr=01019012345', deps)).toBeUndefined();
    // Percent-encoding a space puts digits beside digits: sent as written it would hold 7 of them.
    expect(checkLink('https://example.no/0 00000', deps)).toBeUndefined();
    // A broken escape elsewhere in the link does not stop the others from being read.
    expect(checkLink('https://bank.example/?a=%&tlf=98%2076%2054%2032', deps)).toBeUndefined();
    const counted = await outboundRedactions(deps.metrics);
    expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBe(5);
    expect(counted.phone).toBe(2);
  });
});

describe('viewActions', () => {
  it('redacts labels, keeps payloads on the gateway and gives the widget opaque ids', () => {
    const deps = depsFor();
    const views = viewActions(
      [
        { label: 'Ring 22 33 44 55', payload: { linkId: 'lnk-1234567890' } },
        { label: 'Personvern', url: 'https://www.datatilsynet.no/' },
      ],
      deps,
    );
    expect(views).toEqual([
      { id: expect.stringMatching(/^[a-z]{12}$/), label: 'Ring ' },
      { id: expect.stringMatching(/^[a-z]{12}$/), label: 'Personvern', url: 'https://www.datatilsynet.no/' },
    ]);
    expect(JSON.stringify(views)).not.toContain('lnk-');
    expect(deps.actions.recall(views[0]!.id)).toEqual({ label: 'Ring ', payload: { linkId: 'lnk-1234567890' } });
    expect(deps.actions.recall(views[1]!.id)).toEqual({ label: 'Personvern' });
  });

  it('writes the line breaks of a label as \\n, so the button shows them', () => {
    const deps = depsFor();
    const [view] = viewActions([{ label: 'Ring\r\n98\r76\u202854\f32', payload: 'x' }], deps);
    expect(view?.label).toBe('Ring\n98\n76\n54\n32');
    expect(deps.actions.recall(view!.id)?.label).toBe('Ring\n98\n76\n54\n32');
  });

  it('drops an action whose link may not be opened, and one that neither links nor sends anything', () => {
    const deps = depsFor();
    expect(viewActions([{ label: 'a', url: 'javascript:void(0)', payload: 'x' }, { label: 'b' }], deps)).toEqual([]);
  });

  it('property: labels and links that reach the widget hold no number, whatever the vendor sent', () => {
    const text = fc.oneof(fc.string({ maxLength: 20 }), formattedNumber, fc.tuple(fc.string({ maxLength: 8 }), formattedNumber).map(([a, b]) => a + b));
    fc.assert(
      fc.property(
        fc.array(fc.record({ label: text, url: fc.option(text.map((path) => `https://example.no/${path}`), { nil: undefined }), payload: fc.option(fc.jsonValue(), { nil: undefined }) }), { maxLength: 6 }),
        (actions) => {
          const deps = depsFor();
          const views = viewActions(
            actions.map(({ url, payload, ...rest }) => ({ ...rest, ...(url !== undefined && { url }), ...(payload !== undefined && { payload: payload as never }) })),
            deps,
          );
          for (const view of views) {
            expect(countLeaks(view.label)).toBe(0);
            if (view.url !== undefined) {
              expect(countLeaks(view.url)).toBe(0);
              expect(countLeaks(decodeLeniently(view.url))).toBe(0);
            }
            expect(view.id).toMatch(/^[a-z]{12}$/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
