/**
 * Today at this clinic, by doctor and time, with each appointment's status and the staff actions
 * the state machine allows. Read from the server when opened (the tablet keeps no patient's rows)
 * and held in this screen's state; the actions are queued writes, so once the list is on screen
 * they work offline and are sent in order.
 */
import { useEffect, useState } from 'react';
import { Notice } from '../../components/fields.tsx';
import { loadToday, type TodayItem } from '../../data/kiosk-today.ts';
import { useServices } from '../../data/services-context.tsx';
import { useOutbox } from '../../data/use-outbox.ts';
import { useDoctors } from '../../data/use-reference-data.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { TodayEntry } from './today-item.tsx';

export function StaffToday({ clinicId }: { clinicId: string }) {
  const { t } = useI18n();
  const services = useServices();
  const outbox = useOutbox() ?? [];
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

  function moved(next: TodayItem) {
    setItems((list) => list?.map((i) => (i.id === next.id ? next : i)) ?? null);
  }

  return (
    <section aria-labelledby="kiosk-today-title">
      <h3 id="kiosk-today-title">{t('kiosk.today.title')}</h3>
      <p>{t('kiosk.today.hint')}</p>
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
                <TodayEntry key={i.id} item={i} outbox={outbox} onMoved={moved} />
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
