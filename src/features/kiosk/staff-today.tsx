/**
 * Today at this clinic, by doctor and time, with each appointment's status. Read from the server
 * when opened (online only: the tablet keeps no patient's rows) and held in this screen's state.
 * Read-only until the server's staff transitions (check-in, no-show) exist.
 */
import { useEffect, useState } from 'react';
import { Notice } from '../../components/fields.tsx';
import { loadToday, type TodayItem } from '../../data/kiosk-today.ts';
import { useServices } from '../../data/services-context.tsx';
import { useDoctors } from '../../data/use-reference-data.ts';
import { formatTime } from '../../i18n/format.ts';
import { type Translate, useI18n } from '../../i18n/i18n-provider.tsx';

const STATUSES = [
  'requested',
  'confirmed',
  'rejected',
  'cancelled',
  'completed',
  'checked_in',
  'no_show',
] as const;

/** The server may know statuses this version does not: they are named, not hidden. */
function statusLabel(status: string, t: Translate): string {
  const known = STATUSES.find((s) => s === status);
  return known ? t(`kiosk.status.${known}`) : t('kiosk.status.unknown', { status });
}

export function StaffToday({ clinicId }: { clinicId: string }) {
  const { t, lang } = useI18n();
  const services = useServices();
  const doctors = useDoctors()?.filter((d) => d.clinic_id === clinicId);
  const doctorKey = doctors?.map((d) => d.id).join(',');
  const [items, setItems] = useState<TodayItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (doctorKey === undefined) return;
    let live = true;
    loadToday(services, doctorKey ? doctorKey.split(',') : [], new Date()).then(
      (found) => live && setItems(found),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [services, doctorKey]);

  return (
    <section aria-labelledby="kiosk-today-title">
      <h3 id="kiosk-today-title">{t('kiosk.today.title')}</h3>
      <p>{t('kiosk.today.readOnly')}</p>
      {failed && <Notice tone="warning">{t('kiosk.today.offline')}</Notice>}
      {!failed && items === null && <p className="loading">{t('app.loading')}</p>}
      {items?.length === 0 && <p>{t('kiosk.today.empty')}</p>}
      {(doctors ?? []).map((d) => {
        const mine = (items ?? []).filter((i) => i.doctorId === d.id);
        if (mine.length === 0) return null;
        return (
          <div key={d.id} className="kiosk-today-doctor">
            <h4>{d.name}</h4>
            <ul>
              {mine.map((i) => (
                <li key={i.id}>
                  {i.startsAt ? formatTime(lang, new Date(i.startsAt)) : '—'} · {i.patientName} ·{' '}
                  {statusLabel(i.status, t)}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
