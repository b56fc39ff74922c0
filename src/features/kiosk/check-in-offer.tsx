/**
 * A returning patient's check-in at the tablet: today's appointment, when the device holds it or
 * (online) the server has it, with "Check in", a queued status write like every other. One still
 * waiting for the clinic to confirm is told as such, with no button. When none is known, the screen
 * says so plainly; booking stays offered below either way.
 */
import { type ReactNode, useEffect, useState } from 'react';
import type { Appointment } from '../../../sync/entities.ts';
import { Notice } from '../../components/fields.tsx';
import { setStaffStatus } from '../../data/kiosk-status.ts';
import { canCheckIn, findTodayAppointment } from '../../data/kiosk-today.ts';
import { useServices } from '../../data/services-context.tsx';
import { clinicTime } from '../../i18n/clinic-time.ts';
import { useAction } from '../../lib/use-action.ts';
import { issuesText } from '../../lib/validation-messages.ts';
import { useKioskI18n } from './kiosk-i18n.ts';

export function CheckInOffer({ patientId, onCheckedIn }: { patientId: string; onCheckedIn(): void }) {
  const { t, lang } = useKioskI18n();
  const services = useServices();
  const action = useAction();
  // undefined while looking; null when neither the device nor the server knows one.
  const [today, setToday] = useState<Appointment | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    findTodayAppointment(services, patientId, new Date()).then(
      (found) => live && setToday(found),
      () => live && setToday(null),
    );
    return () => {
      live = false;
    };
  }, [services, patientId]);

  // One heading in every state, so the step's focus lands on what the tablet knows of today.
  const shell = (body: ReactNode) => (
    <section className="kiosk-screen kiosk-checkin" aria-labelledby="kiosk-checkin-title">
      <h2 id="kiosk-checkin-title">{t('kiosk.checkin.title')}</h2>
      {body}
    </section>
  );
  if (today === undefined) return shell(<p className="loading">{t('kiosk.checkin.looking')}</p>);
  if (today === null) return shell(<Notice tone="info">{t('kiosk.checkin.none')}</Notice>);
  const row = today;
  const time = row.starts_at ? clinicTime(lang, new Date(row.starts_at)) : '—';
  // Booked, not yet confirmed: only staff can move it on; a check-in would be refused.
  if (!canCheckIn(row)) return shell(<Notice tone="info">{t('kiosk.checkin.pending', { time })}</Notice>);

  function checkIn() {
    void action.run(async () => {
      const written = await setStaffStatus(services, row, 'checked_in');
      if (written.ok) onCheckedIn();
      else action.fail(issuesText(written.issues, t));
    });
  }

  return shell(
    <>
      <p>{t('kiosk.checkin.at', { time })}</p>
      {action.error && <Notice tone="warning">{t('kiosk.today.failed', { message: action.error })}</Notice>}
      <button type="button" className="button-primary kiosk-big" disabled={action.busy} onClick={checkIn}>
        {t('kiosk.checkin.action')}
      </button>
    </>,
  );
}
