/**
 * The one switch for HTML a person's browser renders (`NativeText.redactHtml`): whatever tags and
 * entities split a number, what a browser shows of the output holds no sensitive combination,
 * judged by htmlparser2's text (entities decoded) and the reference in `test/support`; HTML with
 * nothing to delete is kept as it came.
 */
import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { NativeText } from '../../src/native/native-text.js';
import { createPolicy } from '../../src/redact/index.js';
import { chatText, digitFreeText, formattedNumber } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';

const policy = createPolicy();
type ChildNode = ReturnType<typeof parseDocument>['children'][number];
const BLOCKS = new Set(['p', 'br', 'div']);
/** What a browser shows of `html`: text with entities decoded, a paragraph or break on a line of its own. */
function shown(html: string): string {
  const textOf = (node: ChildNode): string => {
    if (node.type === 'text') return node.data;
    if (!('children' in node)) return '';
    const inner = node.children.map(textOf).join('');
    return 'name' in node && BLOCKS.has(node.name) ? `\n${inner}\n` : inner;
  };
  return parseDocument(html).children.map(textOf).join('');
}
const escape = (text: string): string => text.replace(/[&<>]/g, (ch) => `&#${ch.codePointAt(0)};`);

/** A character written as HTML may write it: itself, a decimal or hex reference, a named one for a space. */
const asEntity = (ch: string): fc.Arbitrary<string> =>
  fc.constantFrom(escape(ch), `&#${ch.codePointAt(0)};`, `&#x${ch.codePointAt(0)!.toString(16)};`, ...(ch === '\u00a0' ? ['&nbsp;'] : []));
const INLINE = ['b', 'i', 'span', 'strong', 'em', 'a href="#"'];
/** A number written in HTML: each character perhaps an entity, inline tags opened and closed anywhere inside. */
const htmlNumber = formattedNumber.chain((number) =>
  fc
    .tuple(...Array.from(number).map((ch) => fc.tuple(asEntity(ch), fc.option(fc.constantFrom(...INLINE), { nil: undefined }))))
    .map((parts) => parts.map(([ch, tag]) => (tag === undefined ? ch : `<${tag}>${ch}</${tag.split(' ')[0]}>`)).join('')),
);
const htmlText = fc
  .array(fc.oneof(chatText.map(escape), htmlNumber, fc.constantFrom('<p>', '</p>', '<br>', '&amp;')), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('NativeText.redactHtml', () => {
  it('keeps HTML with nothing to delete as it came', () => {
    const html = '<p>Hei! Jeg er <strong>Boost-boten</strong>. Ikke del personnummer&nbsp;her.</p>';
    expect(new NativeText(policy).redactHtml(html)).toBe(html);
    fc.assert(
      fc.property(digitFreeText, (text) => {
        const html = escape(text.toWellFormed());
        expect(new NativeText(policy).redactHtml(html)).toBe(html);
      }),
    );
  });

  it('shows nothing of a number split by tags and entities, and counts it', () => {
    const inbound = new NativeText(policy);
    const out = inbound.redactHtml('<p>Ring 21 <b>49</b> 60&#160;00, KID 12&#8203;34 56 78</p>');
    expect(shown(out).trim()).toMatch(/^Ring\s*, KID\s*$/);
    // Its tags stay tags.
    expect(out).toMatch(/^<p>Ring .*<b><\/b>.*<\/p>$/);
    expect(inbound.tally.redactions).toBe(2);
  });

  it('never lets a browser show a sensitive combination, whatever the markup', () => {
    fc.assert(
      fc.property(htmlText, (html) => {
        expect(countLeaks(shown(new NativeText(policy).redactHtml(html)))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('NativeText.stream', () => {
  it('counts into the tally as the text streams, each deletion once, before the stream ends', () => {
    const outbound = new NativeText(policy);
    const stream = outbound.stream();
    expect(stream.push('ring 98 76 ')).toBe('ring ');
    expect(outbound.tally.redactions).toBe(0);
    expect(stream.push('54 32 eller ')).toBe(' eller ');
    expect([outbound.tally.redactions, outbound.tally.kinds]).toEqual([1, { phone: 1 }]);
    expect(stream.push('21 49 60 00 nå, kontonummer 7694.05.20300 takk')).toBe(' nå, kontonummer  takk');
    // What a vendor failure leaves unended is counted all the same.
    expect([outbound.tally.redactions, outbound.tally.kinds]).toEqual([3, { phone: 2, bank_account: 1 }]);
    expect(stream.end()).toBe('');
    expect([outbound.tally.redactions, outbound.tally.kinds]).toEqual([3, { phone: 2, bank_account: 1 }]);
  });
});
