/**
 * The languages of the chat page and of the launcher that frames it, and how one is chosen: the
 * launcher picks one for its button and hands it to the frame (`?lang=`), so both must read a
 * language tag the same way.
 *
 * @module
 */

/** English, Norwegian bokmål (`nb`) and nynorsk (`nn`). */
export const LANGUAGES = ['en', 'nb', 'nn'] as const;
/** `en`, `nb` or `nn`. */
export type Language = (typeof LANGUAGES)[number];

/** Norwegian as browsers name it: bokmål, or Norwegian without a written form named (`nb-NO`, `no`). */
const NORWEGIAN_TAG = /^(nb|no)(-|$)/i;
const NYNORSK_TAG = /^nn(-|$)/i;
const ENGLISH_TAG = /^en(-|$)/i;

/**
 * The language to use: `requested` when it names one (a page's `?lang=`, an embed's
 * `data-language`), else the first of the browser's languages that is English or Norwegian,
 * else English.
 *
 * @example
 * ```ts
 * chooseLanguage(null, ['nb-NO', 'en']); // 'nb'
 * chooseLanguage('no', []); // 'nb'
 * chooseLanguage('nn-NO', []); // 'nn'
 * ```
 */
export function chooseLanguage(requested: string | null | undefined, preferred: readonly string[]): Language {
  for (const tag of [requested ?? '', ...preferred]) {
    if (NYNORSK_TAG.test(tag)) return 'nn';
    if (NORWEGIAN_TAG.test(tag)) return 'nb';
    if (ENGLISH_TAG.test(tag)) return 'en';
  }
  return 'en';
}
