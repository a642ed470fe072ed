/**
 * The languages of the chat page and of the launcher that frames it, and how one is chosen: the
 * launcher picks one for its button and hands it to the frame (`?lang=`), so both must read a
 * language tag the same way.
 *
 * @module
 */

/** English and Norwegian bokmål (`nb`). */
export const LANGUAGES = ['en', 'nb'] as const;
/** `en` or `nb`. */
export type Language = (typeof LANGUAGES)[number];

/** Norwegian in any of its written forms, as browsers name them (`nb-NO`, `nn`, `no`). */
const NORWEGIAN_TAG = /^(nb|nn|no)(-|$)/i;
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
 * ```
 */
export function chooseLanguage(requested: string | null | undefined, preferred: readonly string[]): Language {
  for (const tag of [requested ?? '', ...preferred]) {
    if (NORWEGIAN_TAG.test(tag)) return 'nb';
    if (ENGLISH_TAG.test(tag)) return 'en';
  }
  return 'en';
}
