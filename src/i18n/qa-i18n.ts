/**
 * The QA screen's translator: its own catalogue (`qa.*`), and the main one for words it shares with
 * the app. Lives in the QA chunk only: the main provider never imports it.
 */
import { useMemo } from 'react';
import { useI18n } from './i18n-provider.tsx';
import type { MessageKey } from './messages-en.ts';
import { type QaMessageKey, type QaMessages, qaEn } from './messages-qa-en.ts';
import { qaHi } from './messages-qa-hi.ts';
import { groupTranslator, type Lang, type MessageParams } from './translate.ts';

export const QA_CATALOGUES: Readonly<Record<Lang, QaMessages>> = { en: qaEn, hi: qaHi };

export type QaTranslate = (key: QaMessageKey | MessageKey, params?: MessageParams) => string;

export const translateQa = groupTranslator<QaMessageKey>(QA_CATALOGUES);

export function useQaI18n(): { lang: Lang; t: QaTranslate } {
  const { lang } = useI18n();
  return useMemo(() => ({ lang, t: (key, params) => translateQa(lang, key, params) }), [lang]);
}
