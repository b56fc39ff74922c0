/** Names an unsent write in words the patient recognises, for the sign-out confirmation. */
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import { preferredDayLabel } from '../../components/request-label.ts';
import type { Doctor } from '../../data/reference-rows.ts';
import { madeByAnother, type SessionUser } from '../../data/session-user.ts';
import { clinicDateTime } from '../../i18n/clinic-time.ts';
import { formatDateTime } from '../../i18n/format.ts';
import type { Translate } from '../../i18n/i18n-provider.tsx';
import type { Lang } from '../../i18n/translate.ts';
import { specialtyLabel } from '../../lib/reference-labels.ts';

function text(data: Record<string, unknown> | null, field: string): string | null {
  const v = data?.[field];
  return typeof v === 'string' ? v : null;
}

export function describeUnsent(
  m: LocalMutation,
  doctors: readonly Doctor[],
  t: Translate,
  lang: Lang,
  user: SessionUser | null = null,
): string {
  // Another account's change (a lost session, then this one signed in): when, never whose or what.
  if (user && madeByAnother(m.actor, user))
    return t('settings.unsentByOther', { when: formatDateTime(lang, new Date(m.createdAt)) });
  const data = m.data ?? m.before;
  if (m.entity === 'patients' && m.op === 'upsert') {
    return t('settings.unsentProfile', { name: text(data, 'full_name') ?? '—' });
  }
  if (m.entity === 'appointments') {
    const startsAt = text(data, 'starts_at');
    const when = startsAt ? clinicDateTime(lang, new Date(startsAt)) : '—';
    if (m.op === 'upsert' && text(data, 'status') === 'cancelled')
      return t('settings.unsentCancel', { when });
    const specialty = text(data, 'requested_specialty');
    if (m.op === 'upsert' && specialty && !text(data, 'slot_id'))
      return t('settings.unsentRequest', {
        specialty: specialtyLabel(specialty, t),
        day: preferredDayLabel(text(data, 'preferred_date'), lang),
      });
    if (m.op === 'upsert') {
      const doctor =
        doctors.find((d) => d.id === text(data, 'doctor_id'))?.name ?? t('appointments.unknownDoctor');
      return t('settings.unsentAppointment', { doctor, when });
    }
  }
  // Said as the entry's kind, in the user's language (the table's name was shown before: "patients").
  return t(`attention.${m.entity}.${m.op}`);
}
