/**
 * One appointment: what, when, where it stands, and what the patient can do: cancel (a queued
 * write), fix or discard a refused change, join a confirmed video consultation when it is time.
 */

import { useEffect, useRef, useState } from 'react';
import { isSlotConflict } from '../../../sync/protocol.ts';
import { clinicStatusKey, shownClinicStatus } from '../../components/appointment-status.ts';
import { BookingLimitHint } from '../../components/booking-limit-hint.tsx';
import { Confirmable } from '../../components/confirmable.tsx';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { FieldConflict } from '../../components/field-conflict.tsx';
import { Notice } from '../../components/fields.tsx';
import { preferredDayLabel, windowLabel } from '../../components/request-label.ts';
import { syncLabel } from '../../components/sync-label.ts';
import { type AppointmentRow, isActive, joinLink, nextJoinChange } from '../../data/appointment-view.ts';
import { cancelAppointment, discardChange } from '../../data/appointment-writes.ts';
import { isNoSlot } from '../../data/consult-request.ts';
import { useServices } from '../../data/services-context.tsx';
import { useAppointments, useNow } from '../../data/use-appointments.ts';
import { dismissConflict, useFieldConflicts } from '../../data/use-field-conflicts.ts';
import { clinicDateTime } from '../../i18n/clinic-time.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { specialtyLabel } from '../../lib/reference-labels.ts';
import { useAction } from '../../lib/use-action.ts';

export function AppointmentDetailScreen({
  id,
  onFix,
  onRequestAgain,
  onBack,
}: {
  id: string;
  onFix(): void;
  /** A request the server could not book (`no_slot`): choose another day or window. */
  onRequestAgain(): void;
  onBack(): void;
}) {
  const { t, lang } = useI18n();
  const services = useServices();
  const appointments = useAppointments();
  const polled = useNow(15_000);
  const row0 = appointments?.find((a) => a.row.id === id)?.row ?? null;
  const now = useJoinClock(row0, polled);
  const action = useAction();
  // A cancel or a discard done: its question goes once the stored row changes, with the focus. The
  // heading then takes it, so the screen is read again from the top (the status says what happened).
  const headingNext = useRef(false);
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (!headingNext.current || !lost) return;
    headingNext.current = false;
    document.getElementById('detail-title')?.focus();
  });
  // A cancel the clinic overtook (it confirmed or declined first) is told beside the status.
  const statusConflict = useFieldConflicts('appointments', id).find((c) => c.field === 'status');

  if (appointments === undefined) return <p className="loading">{t('appointments.loading')}</p>;
  const view = appointments.find((a) => a.row.id === id);
  if (!view) {
    return (
      <section className="screen" aria-labelledby="detail-title">
        <h2 id="detail-title" tabIndex={-1}>
          {t('appointments.detailTitle')}
        </h2>
        <Notice tone="warning">{t('appointments.notFound')}</Notice>
        <button type="button" className="button-secondary" onClick={onBack}>
          {t('appointments.back')}
        </button>
      </section>
    );
  }

  const { row, doctor, clinic, sync } = view;
  const clinicStatus = shownClinicStatus(row.status, view.openRequest, sync);
  const name = doctor?.name ?? t('appointments.unknownDoctor');
  const when = row.starts_at ? clinicDateTime(lang, new Date(row.starts_at)) : '—';
  const join = joinLink(row, now);
  const attention = sync.kind === 'attention' ? sync : null;
  const canCancel = !attention && view.upcoming && isActive(row);

  const act = (work: () => Promise<unknown>) =>
    action.run(async () => {
      await work();
      headingNext.current = true;
    });

  return (
    <section className="screen" aria-labelledby="detail-title">
      <h2 id="detail-title" tabIndex={-1}>
        {t('appointments.detailTitle')}
      </h2>
      <dl className="summary">
        {view.openRequest ? (
          <>
            <dt>{t('booking.review.specialty')}</dt>
            <dd>{specialtyLabel(row.requested_specialty ?? '—', t)}</dd>
            <dt>{t('request.review.day')}</dt>
            <dd>{preferredDayLabel(row.preferred_date, lang)}</dd>
            <dt>{t('request.review.window')}</dt>
            <dd>{windowLabel(row.preferred_window, t)}</dd>
          </>
        ) : (
          <>
            <dt>{t('booking.review.doctor')}</dt>
            <dd>
              {name}
              {doctor && ` · ${specialtyLabel(doctor.specialty, t)}`}
            </dd>
            <dt>{t('booking.review.when')}</dt>
            <dd>{when}</dd>
          </>
        )}
        <dt>{t('booking.review.mode')}</dt>
        <dd>
          {t(`mode.${row.mode}`)}
          {row.mode === 'in_person' && clinic && ` — ${clinic.name}`}
        </dd>
        <dt>{t('booking.review.reason')}</dt>
        <dd>{row.reason}</dd>
      </dl>
      {clinicStatus && (
        <p className={`appointment-status appointment-status-${row.status}`}>{t(clinicStatus)}</p>
      )}
      <FieldConflict
        conflict={statusConflict}
        describe={(v) => t(clinicStatusKey(v as typeof row.status, false))}
        onDismiss={() => statusConflict && void dismissConflict(services.store, statusConflict)}
      />
      <p className={`sync-label sync-label-${sync.kind}`} role="status">
        {syncLabel(sync, t)}
      </p>
      {sync.kind === 'attention' && <BookingLimitHint error={sync.error} />}
      {view.openRequest && sync.kind !== 'attention' && isActive(row) && (
        <p className="hint">{t('request.pendingHint')}</p>
      )}

      {join && (
        <a className="button button-primary" href={join} target="_blank" rel="noopener noreferrer">
          {t('appointments.join')}
        </a>
      )}
      {!join && row.mode === 'video' && row.status === 'confirmed' && view.upcoming && (
        <p className="hint">{t('appointments.joinSoon')}</p>
      )}

      <FailureNotice error={action.error} />

      {attention && (
        <div className="actions">
          {isSlotConflict(attention.error?.code) && !attention.blockedBy && (
            <button type="button" className="button-primary" onClick={onFix}>
              {t('appointments.fix')}
            </button>
          )}
          {isNoSlot(attention.error) && !attention.blockedBy && (
            <button type="button" className="button-primary" onClick={onRequestAgain}>
              {t('request.again')}
            </button>
          )}
          <Confirmable
            ask={t('appointments.discard')}
            askClass="button-secondary"
            question={t('appointments.discardConfirm')}
            yes={t('appointments.discardYes')}
            no={t('appointments.cancelNo')}
            busy={action.busy}
            onYes={() => void act(() => discardChange(services, attention.mutationId))}
          />
        </div>
      )}

      {canCancel && (
        <Confirmable
          ask={t('appointments.cancel')}
          askClass="button-danger-outline"
          question={t('appointments.cancelConfirm', { doctor: name, when })}
          yes={t('appointments.cancelYes')}
          no={t('appointments.cancelNo')}
          busy={action.busy}
          onYes={() => void act(() => cancelAppointment(services, row))}
        />
      )}

      <p>
        <button type="button" className="button-link" onClick={onBack}>
          {t('appointments.back')}
        </button>
      </p>
    </section>
  );
}

/** The time, also refreshed at the exact moment the Join link appears or goes. */
function useJoinClock(row: AppointmentRow | null, polled: Date): Date {
  const [now, setNow] = useState(polled);
  useEffect(() => setNow(polled), [polled]);
  const at = row ? nextJoinChange(row, now) : null;
  useEffect(() => {
    if (at === null) return;
    // Capped: browsers run a longer timeout at once (a 32-bit delay overflows).
    const timer = setTimeout(
      () => setNow(new Date()),
      Math.min(Math.max(0, at - Date.now() + 5), 2 ** 31 - 1),
    );
    return () => clearTimeout(timer);
  }, [at]);
  return now;
}
