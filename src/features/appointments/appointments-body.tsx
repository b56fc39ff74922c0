/**
 * The list under My appointments' heading: its own chunk, because it needs the store's schemas (zod)
 * and the database, and the heading should not wait for them (appointments-screen.tsx).
 */
import { shownClinicStatus } from '../../components/appointment-status.ts';
import { BookingLimitHint } from '../../components/booking-limit-hint.tsx';
import { Notice } from '../../components/fields.tsx';
import { requestSummary } from '../../components/request-label.ts';
import { rejectReason, syncLabel } from '../../components/sync-label.ts';
import type { AppointmentView } from '../../data/appointment-view.ts';
import { useAppointments } from '../../data/use-appointments.ts';
import { useOwnPatientSync } from '../../data/use-row-sync.ts';
import { clinicDateTime } from '../../i18n/clinic-time.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { hrefOf } from '../../lib/router.ts';
import { AttentionElsewhere } from './attention-elsewhere.tsx';

export function AppointmentsBody({ onBook }: { onBook(): void }) {
  const { t } = useI18n();
  const appointments = useAppointments();
  return (
    <>
      <ProfileAttention />
      <AttentionElsewhere appointments={appointments} />
      {appointments === undefined ? (
        <p className="loading">{t('appointments.loading')}</p>
      ) : appointments.length === 0 ? (
        <>
          <p>{t('appointments.empty')}</p>
          <button type="button" className="button-primary" onClick={onBook}>
            {t('appointments.bookFirst')}
          </button>
        </>
      ) : (
        <>
          <AppointmentList
            headingId="upcoming"
            heading={t('appointments.upcoming')}
            empty={t('appointments.noneUpcoming')}
            items={appointments.filter((a) => a.upcoming)}
          />
          <AppointmentList
            headingId="past"
            heading={t('appointments.past')}
            empty={t('appointments.nonePast')}
            items={appointments.filter((a) => !a.upcoming).reverse()}
          />
        </>
      )}
    </>
  );
}

/**
 * A refused profile, told where "Needs attention" in the header leads: the refusal is fixed or
 * discarded on the profile, which this list alone (no appointments yet, say) would never show.
 */
function ProfileAttention() {
  const { t } = useI18n();
  const sync = useOwnPatientSync()?.sync;
  if (sync?.kind !== 'attention' || sync.blockedBy) return null;
  return (
    <Notice tone="error">
      {t('profile.attentionHere', { reason: rejectReason(sync.error, t, 'patients') })}{' '}
      <a href={hrefOf('/profile')}>{t('profile.open')}</a>
    </Notice>
  );
}

function AppointmentList({
  headingId,
  heading,
  empty,
  items,
}: {
  headingId: string;
  heading: string;
  empty: string;
  items: readonly AppointmentView[];
}) {
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      {items.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ul className="appointment-list">
          {items.map((a) => (
            <li key={a.row.id}>
              <AppointmentCard view={a} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AppointmentCard({ view }: { view: AppointmentView }) {
  const { t, lang } = useI18n();
  const { row, doctor, sync } = view;
  const clinicStatus = shownClinicStatus(row.status, view.openRequest, sync);
  // A request by specialty shows what was asked for until the server books a doctor and time.
  const title = view.openRequest
    ? requestSummary(row, t, lang)
    : `${doctor?.name ?? t('appointments.unknownDoctor')} — ${
        row.starts_at ? clinicDateTime(lang, new Date(row.starts_at)) : '—'
      }`;
  return (
    <article className={`appointment sync-${sync.kind}`} aria-label={title.replace(' — ', ', ')}>
      <p className="appointment-title">
        <a href={hrefOf(`/appointments/${encodeURIComponent(row.id)}`)}>{title}</a>
      </p>
      <p className="appointment-meta">{t(`mode.${row.mode}`)}</p>
      {clinicStatus && (
        <p className={`appointment-status appointment-status-${row.status}`}>{t(clinicStatus)}</p>
      )}
      <p className={`sync-label sync-label-${sync.kind}`}>{syncLabel(sync, t)}</p>
      {sync.kind === 'attention' && <BookingLimitHint error={sync.error} />}
    </article>
  );
}
