/**
 * The request's last step: what was chosen, and the confirmation that writes the request on this
 * phone. The server books the first free matching slot when it arrives, or says why it could not.
 */
import { useEffect } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { preferredDayLabel, windowLabel } from '../../components/request-label.ts';
import { requestConsultation } from '../../data/consult-request.ts';
import { useServices } from '../../data/services-context.tsx';
import { useOwnPatient } from '../../data/use-patient.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { specialtyLabel } from '../../lib/reference-labels.ts';
import { useAction } from '../../lib/use-action.ts';
import { issuesText } from '../../lib/validation-messages.ts';
import type { RequestDraft } from './request-draft.ts';

export function ReviewStep({
  draft,
  update,
  onNeedProfile,
  onRequested,
}: {
  draft: RequestDraft;
  update(change: Partial<RequestDraft>): void;
  onNeedProfile(): void;
  onRequested(id: string): void;
}) {
  const { t, lang } = useI18n();
  const services = useServices();
  const patient = useOwnPatient();
  const action = useAction();
  const { specialty, mode, day, window } = draft;
  useEffect(() => {
    // A choice went missing (an older draft): back to the first question.
    if (!specialty || !mode || !day || !window) update({ step: 'specialty' });
  }, [specialty, mode, day, window, update]);
  if (!specialty || !mode || !day || !window) return null;

  const confirm = (patientId: string) =>
    action.run(async () => {
      const result = await requestConsultation(services, {
        patientId,
        specialty,
        mode,
        preferredDate: day,
        preferredWindow: window,
        reason: draft.reason,
      });
      if (result.ok) onRequested(result.row.id);
      else action.fail(issuesText(result.issues, t, true));
    });
  return (
    <>
      <h3 tabIndex={-1}>{t('booking.review.heading')}</h3>
      <dl className="summary">
        <dt>{t('booking.review.specialty')}</dt>
        <dd>{specialtyLabel(specialty, t)}</dd>
        <dt>{t('booking.review.mode')}</dt>
        <dd>{t(`mode.${mode}`)}</dd>
        <dt>{t('request.review.day')}</dt>
        <dd>{preferredDayLabel(day, lang)}</dd>
        <dt>{t('request.review.window')}</dt>
        <dd>{windowLabel(window, t)}</dd>
        <dt>{t('booking.review.reason')}</dt>
        <dd>{draft.reason.trim()}</dd>
        {patient && (
          <>
            <dt>{t('booking.review.patient')}</dt>
            <dd>{patient.full_name}</dd>
          </>
        )}
      </dl>
      <p className="hint">{t('request.pendingHint')}</p>
      <FailureNotice error={action.error} describe={(message) => t('request.failed', { message })} />
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
          {t('request.confirm')}
        </button>
      )}
    </>
  );
}
