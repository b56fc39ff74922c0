/**
 * A kiosk whose saved configuration cannot be read (`kioskConfigUnreadable`, kiosk-config.ts): its
 * PIN and clinic are unknown, so no patient screen and no staff screen can open. The patient app
 * must not open either: the clinic staff's session is still signed in on the tablet. The only way
 * on is the one leaving kiosk mode takes (staff signed out, every patient's data removed, unsent
 * writes kept and sent once staff sign in again), straight into the setup.
 */
import { useState } from 'react';
import { Notice } from '../../components/fields.tsx';
import { KIOSK_DB_NAME, KioskDb } from '../../data/kiosk-db.ts';
import { patientIndex } from '../../data/kiosk-index.ts';
import { leaveKioskMode } from '../../data/kiosk-session.ts';
import { useServices } from '../../data/services-context.tsx';
import { useKioskI18n } from './kiosk-i18n.ts';
import './kiosk.css';

export function KioskUnreadable() {
  const { t } = useKioskI18n();
  const services = useServices();
  const [busy, setBusy] = useState(false);
  const setUpAgain = () => {
    setBusy(true);
    void leaveKioskMode(services, patientIndex(new KioskDb(KIOSK_DB_NAME))).then(() => {
      // A fresh page: nothing of the old kiosk (its staff session included) stays in memory.
      window.location.replace('#/kiosk/setup');
      window.location.reload();
    });
  };
  return (
    <div className="kiosk">
      <header className="app-header kiosk-header">
        <h1 className="brand">{t('app.name')}</h1>
      </header>
      <main id="main" tabIndex={-1}>
        <section className="kiosk-screen" aria-labelledby="kiosk-unreadable-title">
          <h2 id="kiosk-unreadable-title">{t('kiosk.unreadable.title')}</h2>
          <Notice tone="warning">{t('kiosk.unreadable.body')}</Notice>
          <button type="button" className="button-primary" disabled={busy} onClick={setUpAgain}>
            {t('kiosk.unreadable.setUp')}
          </button>
        </section>
      </main>
    </div>
  );
}
