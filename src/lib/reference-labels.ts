/** Names of reference data in the user's language: specialties from the catalogue, languages from Intl. */

import type { Translate } from '../i18n/i18n-provider.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import { CATALOGUES, type Lang, localeOf } from '../i18n/translate.ts';

/** A specialty the catalogue names, else the server's own word (new specialties still show). */
export function specialtyLabel(specialty: string, t: Translate): string {
  const key = `specialty.${specialty}`;
  return key in CATALOGUES.en ? t(key as MessageKey) : specialty;
}

/** "Hindi, English" or "हिन्दी, अंग्रेज़ी" from ISO 639-1 codes. */
export function languageNames(codes: readonly string[], lang: Lang): string {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([localeOf(lang)], { type: 'language' });
  } catch {
    names = null;
  }
  return codes.map((c) => names?.of(c) ?? c).join(', ');
}
