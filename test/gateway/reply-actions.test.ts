import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/gateway/action-registry.js';
import { MAX_URL_LENGTH } from '../../src/chatbot/link-check.js';
import { checkLink, viewActions } from '../../src/gateway/reply-actions.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
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

/** Every decoding of `url` a server may do, written apart from the module: the query and the fragment as form data, the path's segments. */
function serverReadings(url: string): string[] {
  const parsed = new URL(url);
  const form = (text: string): string => [...new URLSearchParams(text)].flat().join(' ');
  const segments = parsed.pathname.split('/').map((segment) => decodeLeniently(segment.replaceAll('+', ' ')));
  return [form(parsed.search), form(parsed.hash.slice(1)), segments.join('/'), decodeLeniently(form(parsed.search))];
}

/** `text` percent-encoded, every character of it. */
function percentEncodeAll(text: string): string {
  return Array.from(new TextEncoder().encode(text), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function depsFor() {
  return { policy: createPolicy(), metrics: createMetrics(METRIC_LABELS, { collectDefaults: false }), actions: new ActionRegistry() };
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

describe('checkLink reads a link as a server does', () => {
  const SMUGGLED = [
    'https://x.example/?tel=98+76+54+32',
    'https://x.example/?a=1&tel=98+76+54+32&b=2',
    'https://x.example/#tel=98+76+54+32',
    'https://x.example/#/kunde?tlf=98+76+54+32',
    'https://x.example/tel/98+76+54+32',
    'https://x.example/?tel=98%2B76%2B54%2B32',
    'https://x.example/?tel=%2539%2538%2537%2536%2535%2534%2533%2532',
    'https://x.example/?tel=%252B47%252098765432',
    `https://x.example/?tel=${percentEncodeAll('٩٨ ٧٦ ٥٤ ٣٢')}`,
    `https://x.example/?tel=${percentEncodeAll('９８ ７６ ５４ ３２')}`,
    'https://x.example/?tel=&#57;&#56;&#55;&#54;&#53;&#52;&#51;&#50;',
    'https://x.example/?tel=&#x39;&#x38;&#x37;&#x36;5432',
    'https://x.example/?tel=98&nbsp;76&nbsp;54&nbsp;32',
    'https://x.example/?tel=98%26nbsp%3B76%26nbsp%3B54%26nbsp%3B32',
    'https://x.example/?tel=98%26%2332%3B76%26%2332%3B54%26%2332%3B32',
  ];

  it('drops a link whose number only a decoding shows, and counts it', async () => {
    const deps = depsFor();
    for (const url of SMUGGLED) expect(checkLink(url, deps), url).toBeUndefined();
    const counted = await outboundRedactions(deps.metrics);
    expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBe(SMUGGLED.length);
  });

  it('passes links whose every reading is clean', () => {
    const deps = depsFor();
    for (const url of [
      'https://www.example.no/faktura?side=2&sortering=dato+ny',
      'https://www.example.no/s%C3%B8k?q=kr+1+250#svar',
      'https://www.example.no/a+b/c%20d?x=12+34&y=56',
      'https://www.example.no/?t=&amp;&#x41;',
    ]) {
      expect(checkLink(url, deps), url).toBe(new URL(url).href);
      for (const reading of serverReadings(url)) expect(countLeaks(reading), `${url}: ${reading}`).toBe(0);
    }
  });

  it('property: a link that passes holds no number in any reading of a server, however the number was encoded', () => {
    const encodings: Array<(text: string) => string> = [
      (text) => text.replaceAll(' ', '+'),
      (text) => percentEncodeAll(text),
      (text) => percentEncodeAll(text).replaceAll('%', '%25'),
      (text) => Array.from(text, (ch) => `&#${ch.codePointAt(0)};`).join(''),
      (text) => Array.from(text, (ch) => `%26%23x${ch.codePointAt(0)!.toString(16)}%3B`).join(''),
      (text) => encodeURIComponent(text).replaceAll('%20', '+'),
    ];
    const places: Array<(encoded: string) => string> = [
      (encoded) => `https://x.example/?tel=${encoded}`,
      (encoded) => `https://x.example/#tel=${encoded}`,
      (encoded) => `https://x.example/kunde/${encoded}/side`,
    ];
    fc.assert(
      fc.property(formattedNumber, fc.nat(encodings.length - 1), fc.nat(places.length - 1), (number, encoding, place) => {
        const url = places[place]!(encodings[encoding]!(number));
        const passed = checkLink(url, depsFor());
        if (countLeaks(number) > 0) expect(passed, url).toBeUndefined();
        if (passed !== undefined) for (const reading of serverReadings(passed)) expect(countLeaks(reading), `${url}: ${reading}`).toBe(0);
      }),
      { numRuns: 400 },
    );
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

  it('says a nameless attachment\'s kind on its link, so the widget can word it in the user\'s language', () => {
    const deps = depsFor();
    const views = viewActions(
      [
        { label: 'Image', url: 'https://example.no/kart.png', attachment: 'image' },
        { label: 'File', url: 'https://example.no/konto/12345678901.pdf', attachment: 'file' },
      ],
      deps,
    );
    // The second link carries a number: dropped whole, its kind with it.
    expect(views).toEqual([{ id: expect.stringMatching(/^[a-z]{12}$/), label: 'Image', url: 'https://example.no/kart.png', attachment: 'image' }]);
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
