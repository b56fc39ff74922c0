/**
 * The kiosk's translator: its own catalogue (`kiosk.*`), and the main one for words it shares with
 * the patient app. Only the kiosk's screens import it, so its strings live in the kiosk's chunks:
 * a phone never downloads them, neither on the first screen nor for offline use (kiosk mode is not
 * precached, src/app/pwa/optional-chunks.ts).
 */
import { useMemo } from 'react';
import { syncLabel } from '../../components/sync-label.ts';
import type { ItemSyncState } from '../../data/item-sync-state.ts';
import { type I18n, useI18n } from '../../i18n/i18n-provider.tsx';
import type { MessageKey } from '../../i18n/messages-en.ts';
import { type KioskMessageKey, type KioskMessages, kioskEn } from '../../i18n/messages-kiosk-en.ts';
import { kioskHi } from '../../i18n/messages-kiosk-hi.ts';
import { groupTranslator, type Lang, type MessageParams } from '../../i18n/translate.ts';

export const KIOSK_CATALOGUES: Readonly<Record<Lang, KioskMessages>> = { en: kioskEn, hi: kioskHi };

/** Takes every key `Translate` takes, so it can be handed to the shared components as one. */
export type KioskTranslate = (key: KioskMessageKey | MessageKey, params?: MessageParams) => string;

export const translateKiosk = groupTranslator<KioskMessageKey>(KIOSK_CATALOGUES);

/** The provider's language and its setter, with the kiosk's translator. */
export function useKioskI18n(): Omit<I18n, 't'> & { t: KioskTranslate } {
  const { lang, setLang } = useI18n();
  return useMemo(
    () => ({ lang, setLang, t: (key, params) => translateKiosk(lang, key, params) }),
    [lang, setLang],
  );
}

/** Where a change is, in the kiosk's words: the patient app's, but saved on this tablet, not a phone. */
export function kioskSyncLabel(state: ItemSyncState, t: KioskTranslate): string {
  return state.kind === 'saved' ? t('kiosk.sync.saved') : syncLabel(state, t);
}
