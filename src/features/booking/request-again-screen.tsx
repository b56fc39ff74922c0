/**
 * Fix a request the server could not book (`no_slot`): choose another day or time of day. The refused
 * write is discarded and the same appointment requested again, keeping its id.
 */
import { useState } from 'react';
import { BookingLimitHint } from '../../components/booking-limit-hint.tsx';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice } from '../../components/fields.tsx';
import { DayChoices, WindowChoices } from '../../components/request-choices.tsx';
import { rejectReason } from '../../components/sync-label.ts';
import { isOpenRequest, type PreferredWindow, requestAgain } from '../../data/consult-request.ts';
import { useServices } from '../../data/services-context.tsx';
import { useAppointments } from '../../data/use-appointments.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useFocusFirstError } from '../../lib/focus.ts';
import { specialtyLabel } from '../../lib/reference-labels.ts';
import { useAction } from '../../lib/use-action.ts';
import { issuesText } from '../../lib/validation-messages.ts';

export function RequestAgainScreen({ id, onDone }: { id: string; onDone(): void }) {
  const { t } = useI18n();
  const services = useServices();
  const appointments = useAppointments();
  const view = appointments?.find((a) => a.row.id === id);
  const [day, setDay] = useState<string | null>(null);
  const [window, setWindow] = useState<PreferredWindow | null>(null);
  const action = useAction();
  // Confirm pressed with a question unanswered: said on it, and the first takes the focus.
  const [unanswered, setUnanswered] = useState(false);
  const { ref, refused } = useFocusFirstError<HTMLElement>();

  if (appointments === undefined) return <p className="loading">{t('app.loading')}</p>;
  const row = view?.row;
  if (!view || !row || !isOpenRequest(row))
    return <Notice tone="warning">{t('appointments.notFound')}</Notice>;

  const confirm = async () => {
    if (!day || !window) {
      setUnanswered(true);
      return refused();
    }
    await action.run(async () => {
      const result = await requestAgain(services, row, {
        preferredDate: day,
        preferredWindow: window,
      });
      if (result.ok) onDone();
      else action.fail(issuesText(result.issues, t, true));
    });
  };

  return (
    <section className="screen" aria-labelledby="request-again-title" ref={ref}>
      <h2 id="request-again-title">{t('request.again')}</h2>
      <p>{t('request.againIntro', { specialty: specialtyLabel(row.requested_specialty, t) })}</p>
      {view.sync.kind === 'attention' && view.sync.error && (
        <p className="hint">{rejectReason(view.sync.error, t)}</p>
      )}
      {view.sync.kind === 'attention' && <BookingLimitHint error={view.sync.error} />}
      <DayChoices value={day} onChange={setDay} error={unanswered && !day ? t('error.choose') : undefined} />
      <WindowChoices
        day={day}
        value={window}
        onChange={setWindow}
        error={unanswered && !window ? t('error.choose') : undefined}
      />
      <FailureNotice error={action.error} describe={(message) => t('request.failed', { message })} />
      <button type="button" className="button-primary" disabled={action.busy} onClick={() => void confirm()}>
        {t('request.againConfirm')}
      </button>
    </section>
  );
}
