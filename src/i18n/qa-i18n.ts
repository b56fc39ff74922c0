/**
 * The QA screen's translator: its own catalogue (`qa.*`), and the main one for words it shares with
 * the app. Lives in the QA chunk only: the main provider never imports it.
 */
import { useMemo } from 'react';
import { useI18n } from './i18n-provider.tsx';
import type { MessageKey } from './messages-en.ts';
import { type QaMessageKey, type QaMessages, qaEn } from './messages-qa-en.ts';
import { qaHi } from './messages-qa-hi.ts';
import { fill, type Lang, type MessageParams, templateOf, translate } from './translate.ts';

export const QA_CATALOGUES: Readonly<Record<Lang, QaMessages>> = { en: qaEn, hi: qaHi };

export type QaTranslate = (key: QaMessageKey | MessageKey, params?: MessageParams) => string;

function isQaKey(key: string): key is QaMessageKey {
  return Object.hasOwn(qaEn, key);
}

export function translateQa(lang: Lang, key: QaMessageKey | MessageKey, params?: MessageParams): string {
  if (isQaKey(key)) return fill(templateOf(lang, QA_CATALOGUES[lang][key], params), params);
  return translate(lang, key, params);
}

export function useQaI18n(): { lang: Lang; t: QaTranslate } {
  const { lang } = useI18n();
  return useMemo(() => ({ lang, t: (key, params) => translateQa(lang, key, params) }), [lang]);
}
