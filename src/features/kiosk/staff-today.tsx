/**
 * Today at this clinic, by doctor and time, with each appointment's status and the staff actions
 * the state machine allows. Read from the server when opened; with no connection, the list as last
 * loaded, opened from where the tablet sealed it under the PIN (use-today.ts), with this tablet's
 * unsent changes laid over it. The actions are queued writes, sent in order when online.
 */
import { ClinicZoneNote } from '../../components/clinic-zone-note.tsx';
import { Notice } from '../../components/fields.tsx';
import { useOutbox } from '../../data/use-outbox.ts';
import { useDoctors } from '../../data/use-reference-data.ts';
import { clinicTime } from '../../i18n/clinic-time.ts';
import { useKioskI18n } from './kiosk-i18n.ts';
import { TodayEntry } from './today-item.tsx';
import { type DaySeal, useToday } from './use-today.ts';

export function StaffToday({ clinicId, seal }: { clinicId: string; seal: DaySeal | null }) {
  const { t, lang } = useKioskI18n();
  const outbox = useOutbox() ?? [];
  const doctors = useDoctors()?.filter((d) => d.clinic_id === clinicId);
  const { items, source, moved } = useToday(
    clinicId,
    doctors?.map((d) => d.id),
    seal,
  );

  return (
    <section aria-labelledby="kiosk-today-title">
      <h3 id="kiosk-today-title">{t('kiosk.today.title')}</h3>
      <p>{t('kiosk.today.hint')}</p>
      {items === null && <p className="loading">{t('app.loading')}</p>}
      {/* Times are the clinic's: a tablet whose clock is set to another zone says so (not after the
          list: it does not come and go). */}
      <ClinicZoneNote at={new Date()} />
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
      {/* After the list: this comes and goes with the connection, and above the list it moved every
          button under a finger (a tap meant for one appointment could land on the next). The
          header's sync status says "offline" at the top. */}
      {source?.kind === 'offline' && (
        <Notice tone="info">
          {t('kiosk.today.sealed', { time: clinicTime(lang, new Date(source.loadedAt)) })}
        </Notice>
      )}
      {source?.kind === 'notLoaded' && <Notice tone="warning">{t('kiosk.today.offline')}</Notice>}
    </section>
  );
}
