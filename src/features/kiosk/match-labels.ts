/**
 * The words of each "Is this you?" button. Two registrations of the same first name and year of
 * birth (a walk-in registered twice, or two people of one name and phone) made identical buttons,
 * and the person could not tell which one was theirs. Those say when each was registered, the only
 * thing a kiosk may add that the person can recognise (no phone, no full name, no birth date);
 * an entry sealed before that date was kept says which of the matches it is.
 */

import type { MatchedPatient } from '../../data/kiosk-match.ts';
import { normaliseName } from '../../data/kiosk-match.ts';
import { clinicDateTime } from '../../i18n/clinic-time.ts';
import type { Lang } from '../../i18n/translate.ts';
import type { KioskTranslate } from './kiosk-i18n.ts';

const sameAs = (m: MatchedPatient) => `${normaliseName(m.firstName)}|${m.birthYear}`;

/** The matches, oldest registration first, each with its button's words. */
export function matchLabels(
  found: readonly MatchedPatient[],
  t: KioskTranslate,
  lang: Lang,
): { match: MatchedPatient; label: string }[] {
  const sorted = [...found].sort((a, b) => (a.registeredAt ?? '').localeCompare(b.registeredAt ?? ''));
  const words = sorted.map((match) => {
    const base = t('kiosk.find.match', { name: match.firstName, year: match.birthYear });
    const several = sorted.filter((m) => sameAs(m) === sameAs(match)).length > 1;
    if (!several || !match.registeredAt) return base;
    return t('kiosk.find.matchRegistered', {
      match: base,
      when: clinicDateTime(lang, new Date(match.registeredAt)),
    });
  });
  // Words still alike (no date kept, or registered in the same minute) are told apart by their place.
  return sorted.map((match, i) => {
    const label = words[i] ?? '';
    const alike = words.filter((w) => w === label).length;
    if (alike === 1) return { match, label };
    const nth = words.slice(0, i).filter((w) => w === label).length + 1;
    return { match, label: t('kiosk.find.matchNth', { match: label, nth, total: alike }) };
  });
}
