/** The staff side, reached with the PIN: the queue, today's list and the settings. */
import { useState } from 'react';
import type { KioskConfig } from '../../data/kiosk-config.ts';
import { useKioskI18n } from './kiosk-i18n.ts';
import { StaffQueue } from './staff-queue.tsx';
import { StaffSettings } from './staff-settings.tsx';
import { StaffToday } from './staff-today.tsx';
import type { DaySeal } from './use-today.ts';

type Tab = 'queue' | 'today' | 'settings';
const TABS: readonly Tab[] = ['queue', 'today', 'settings'];

export function StaffArea({
  config,
  seal,
  onClose,
  onLeave,
}: {
  config: KioskConfig;
  /** Where today's list is kept sealed, with the key this unlock derived; null without one. */
  seal: DaySeal | null;
  onClose(): void;
  onLeave(): void;
}) {
  const { t } = useKioskI18n();
  const [tab, setTab] = useState<Tab>('queue');
  return (
    <section className="kiosk-screen kiosk-staff" aria-labelledby="kiosk-staff-title">
      <h2 id="kiosk-staff-title">{t('kiosk.staff.title', { clinic: config.clinicName })}</h2>
      <nav aria-label={t('kiosk.staff.nav')} className="kiosk-tabs">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            className={tab === name ? 'button-primary' : 'button-secondary'}
            aria-pressed={tab === name}
            onClick={() => setTab(name)}
          >
            {t(`kiosk.staff.tab.${name}`)}
          </button>
        ))}
        <button type="button" className="button-secondary" onClick={onClose}>
          {t('kiosk.staff.close')}
        </button>
      </nav>
      {tab === 'queue' && <StaffQueue />}
      {tab === 'today' && <StaffToday clinicId={config.clinicId} seal={seal} />}
      {tab === 'settings' && <StaffSettings config={config} onClose={onClose} onLeave={onLeave} />}
    </section>
  );
}
