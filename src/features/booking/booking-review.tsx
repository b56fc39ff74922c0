/**
 * The booking's last step: what was chosen, and the confirmation that writes the booking on this
 * phone (the engine sends it when it can). A slot taken meanwhile sends the patient back to the times.
 */
import { useEffect } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { bookAppointment } from '../../data/appointment-writes.ts';
import type { Doctor, Slot } from '../../data/reference-rows.ts';
import { useServices } from '../../data/services-context.tsx';
import { useOwnPatient } from '../../data/use-patient.ts';
import { clinicDateTime } from '../../i18n/clinic-time.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { specialtyLabel } from '../../lib/reference-labels.ts';
import { useAction } from '../../lib/use-action.ts';
import { issuesText } from '../../lib/validation-messages.ts';
import type { BookingDraft } from './booking-draft.ts';

export function ReviewStep({
  draft,
  update,
  doctor,
  free,
  onNeedProfile,
  onBooked,
}: {
  draft: BookingDraft;
  update(change: Partial<BookingDraft>): void;
  doctor: Doctor | null;
  free: Slot[] | undefined;
  onNeedProfile(): void;
  onBooked(id: string): void;
}) {
  const { t, lang } = useI18n();
  const services = useServices();
  const patient = useOwnPatient();
  const action = useAction();
  const slot = free?.find((s) => s.id === draft.slotId) ?? null;

  useEffect(() => {
    // The slot was taken (a pull arrived) since it was chosen: back to the times.
    if (free && !slot) update({ step: 'slot', slotId: null });
  }, [free, slot, update]);

  if (!doctor || !slot) return null;
  const confirm = (patientId: string) =>
    action.run(async () => {
      const result = await bookAppointment(services, { patientId, slot, reason: draft.reason });
      if (result.ok) onBooked(result.row.id);
      else action.fail(issuesText(result.issues, t));
    });
  return (
    <>
      <h3 tabIndex={-1}>{t('booking.review.heading')}</h3>
      <dl className="summary">
        <dt>{t('booking.review.specialty')}</dt>
        <dd>{specialtyLabel(doctor.specialty, t)}</dd>
        <dt>{t('booking.review.doctor')}</dt>
        <dd>{doctor.name}</dd>
        <dt>{t('booking.review.when')}</dt>
        <dd>{clinicDateTime(lang, new Date(slot.starts_at))}</dd>
        <dt>{t('booking.review.mode')}</dt>
        <dd>{t(`mode.${slot.mode}`)}</dd>
        <dt>{t('booking.review.reason')}</dt>
        <dd>{draft.reason.trim()}</dd>
        {patient && (
          <>
            <dt>{t('booking.review.patient')}</dt>
            <dd>{patient.full_name}</dd>
          </>
        )}
      </dl>
      <FailureNotice error={action.error} describe={(message) => t('booking.failed', { message })} />
      {patient === null ? (
        <button type="button" className="button-primary" onClick={onNeedProfile}>
          {t('booking.needsProfile')}
        </button>
      ) : (
        <button
          type="button"
          className="button-primary"
          disabled={action.busy || !patient}
          onClick={() => void (patient ? confirm(patient.id) : onNeedProfile())}
        >
          {t('booking.confirm')}
        </button>
      )}
    </>
  );
}
