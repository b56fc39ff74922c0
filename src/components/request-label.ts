/** "Requested: General medicine, Tue 25 Nov, morning": a request by specialty not booked yet. */
import type { PreferredWindow } from '../data/consult-request.ts';
import { calendarDay } from '../i18n/clinic-time.ts';
import type { Translate } from '../i18n/i18n-provider.tsx';
import type { Lang } from '../i18n/translate.ts';
import { specialtyLabel } from '../lib/reference-labels.ts';

/**
 * A YYYY-MM-DD day (clinic calendar) in the user's words. Written in the phone's zone, noon UTC was
 * the next day from UTC+12 on (Pacific/Chatham, Kiribati): "Tue 25 Nov" read "Wed 26 Nov".
 */
export function preferredDayLabel(day: string | null | undefined, lang: Lang): string {
  return day ? calendarDay(lang, day) : '—';
}

export function windowLabel(window: PreferredWindow | null | undefined, t: Translate): string {
  return t(`request.window.${window ?? 'any'}`);
}

export function requestSummary(
  row: {
    requested_specialty?: string | null | undefined;
    preferred_date?: string | null | undefined;
    preferred_window?: PreferredWindow | null | undefined;
  },
  t: Translate,
  lang: Lang,
): string {
  return t('request.summary', {
    specialty: specialtyLabel(row.requested_specialty ?? '—', t),
    day: preferredDayLabel(row.preferred_date, lang),
    window: windowLabel(row.preferred_window, t).toLowerCase(),
  });
}
