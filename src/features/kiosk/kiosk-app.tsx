/**
 * The kiosk: what the app shows instead of the patient app while this device is a clinic's kiosk
 * (kiosk-config.ts). The patient side is one session at a time (patient-session.tsx); the staff
 * side opens with the PIN. Ending a session unmounts it and sweeps the device (kiosk-session.ts).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Notice } from '../../components/fields.tsx';
import type { KioskConfig } from '../../data/kiosk-config.ts';
import { setKioskConfig } from '../../data/kiosk-config-store.ts';
import { dayVault } from '../../data/kiosk-day-vault.ts';
import { KIOSK_DB_NAME, KioskDb } from '../../data/kiosk-db.ts';
import { dropBox, dropOf } from '../../data/kiosk-drop-box.ts';
import { patientIndex } from '../../data/kiosk-index.ts';
import { changeSweeper, endPatientSession, leaveKioskMode } from '../../data/kiosk-session.ts';
import type { StaffIdentity } from '../../data/kiosk-staff.ts';
import { useServices } from '../../data/services-context.tsx';
import { useFocusHeadingOnChange } from '../../lib/focus.ts';
import { appRootUrl } from '../../lib/router.ts';
import { useKioskI18n } from './kiosk-i18n.ts';
import './kiosk.css';
import { IdleGuard } from './idle-guard.tsx';
import { PatientSession } from './patient-session.tsx';
import { PinEntry } from './pin-entry.tsx';
import { StaffArea } from './staff-area.tsx';
import { ChoosePin, StaffSignIn } from './staff-sign-in.tsx';
import { type DaySeal, unlockSeal } from './use-today.ts';

export { KioskUnreadable } from './kiosk-unreadable.tsx';

type View = 'patient' | 'pin' | 'forgot' | 'staff' | 'leave' | { left: number };

export function KioskApp({
  config,
  onUpgradeElsewhere,
}: {
  config: KioskConfig;
  /** Another tab upgraded the kiosk's database: this one must reload (kiosk-db.ts). */
  onUpgradeElsewhere?: () => void;
}) {
  const { t, setLang } = useKioskI18n();
  const services = useServices();
  // One database for the index, the sealed day and the drops: leaving closes and deletes it for all.
  const [db] = useState(() => new KioskDb(KIOSK_DB_NAME, onUpgradeElsewhere));
  const [index] = useState(() => patientIndex(db));
  const [vault] = useState(() => dayVault(db));
  const [drops] = useState(() => dropBox(db));
  const [view, setView] = useState<View>('patient');
  // The keys of the sealed day and the drops: from the PIN at unlock, only while staff screens are open.
  const [seal, setSeal] = useState<DaySeal | null>(null);
  const [session, setSession] = useState(0);
  const active = useRef<string | null>(null);
  const [sweep] = useState(() => changeSweeper(services, index));
  // The PIN, the staff screens, leaving: each replaces the last in place (patient steps: their own).
  const main = useFocusHeadingOnChange<HTMLElement>(typeof view === 'string' ? view : 'left');

  useEffect(() => {
    services.engine.start();
  }, [services]);

  useEffect(() => {
    // One address for the whole kiosk, and Back stays on it: there is no earlier screen of a
    // patient to return to, and a patient cannot walk the tablet out of the kiosk either.
    if (window.location.hash !== '#/kiosk') window.location.replace('#/kiosk');
    const stay = () => window.history.pushState(null, '', '#/kiosk');
    stay();
    window.addEventListener('popstate', stay);
    return () => window.removeEventListener('popstate', stay);
  }, []);

  useEffect(() => {
    // Back at the patient side (or kiosk mode left): the key goes, and with it any way to open the day.
    if (view === 'patient' || typeof view === 'object') setSeal(null);
  }, [view]);

  useEffect(() => {
    // Every session starts in the clinic's chosen language; the patient picks theirs on Home.
    setLang(config.defaultLang);
  }, [config.defaultLang, setLang]);

  useEffect(
    () =>
      services.store.subscribe((event) => {
        if (event.type === 'change') void sweep(active.current ? [active.current] : []);
        // Every booking and check-in, sealed for Today, which still lists it once it is sent.
        const drop = event.type === 'write' ? dropOf(event.mutation, new Date().toISOString()) : null;
        if (drop) void drops.add(drop);
      }),
    [services, sweep, drops],
  );

  const endSession = useCallback(() => {
    active.current = null;
    setSession((s) => s + 1);
    setLang(config.defaultLang);
    void endPatientSession(services, index);
  }, [services, index, config.defaultLang, setLang]);

  const openStaff = () => {
    active.current = null;
    setSession((s) => s + 1);
    void endPatientSession(services, index);
    setView('pin');
  };

  return (
    <div className="kiosk">
      <header className="app-header kiosk-header">
        <h1 className="brand">{t('app.name')}</h1>
        {view === 'patient' && (
          <button type="button" className="button-secondary kiosk-staff-button" onClick={openStaff}>
            {t('kiosk.staff.open')}
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {view === 'patient' && (
          <PatientSession
            key={session}
            clinicId={config.clinicId}
            clinicName={config.clinicName}
            defaultLang={config.defaultLang}
            idleSeconds={config.idleSeconds}
            index={index}
            onActivePatient={(id) => {
              active.current = id;
            }}
            onMatched={(m) =>
              // A returning patient booked offline is named on Today by what the match showed.
              void drops.add({
                at: new Date().toISOString(),
                patient: { id: m.patientId, name: m.firstName },
              })
            }
            onEnd={endSession}
          />
        )}
        {view !== 'patient' && typeof view === 'string' && (
          <IdleGuard idleSeconds={config.idleSeconds} onExpired={() => setView('patient')}>
            {view === 'pin' && (
              <PinEntry
                config={config}
                title={t('kiosk.pin.title')}
                submitLabel={t('kiosk.pin.unlock')}
                onUnlocked={(pin) => {
                  setSeal(unlockSeal(vault, drops, pin));
                  setView('staff');
                }}
                onCancel={() => setView('patient')}
                onForgot={() => setView('forgot')}
              />
            )}
            {view === 'forgot' && (
              <ForgotPin
                config={config}
                onDone={(pin) => {
                  // A new PIN: new keys (what was sealed under the old one cannot be opened again).
                  setSeal(unlockSeal(vault, drops, pin));
                  setView('staff');
                }}
              />
            )}
            {view === 'staff' && (
              <StaffArea
                config={config}
                seal={seal}
                onClose={() => setView('patient')}
                onLeave={() => setView('leave')}
              />
            )}
            {view === 'leave' && (
              <PinEntry
                config={config}
                title={t('kiosk.leave.title')}
                submitLabel={t('kiosk.leave.confirm')}
                onUnlocked={() => {
                  setSeal(null);
                  void leaveKioskMode(services, index).then((left) => setView({ left }));
                }}
                onCancel={() => setView('staff')}
              />
            )}
          </IdleGuard>
        )}
        {typeof view === 'object' && <Left unsent={view.left} />}
      </main>
    </div>
  );
}

/**
 * Kiosk mode has ended: the device is wiped and its configuration gone (a reload opens the patient
 * app). What was not sent yet is said plainly: it stays here until staff of the clinic sign in again.
 */
function Left({ unsent }: { unsent: number }) {
  const { t } = useKioskI18n();
  return (
    <section className="kiosk-screen" aria-labelledby="kiosk-left-title">
      <h2 id="kiosk-left-title">{t('kiosk.left.title')}</h2>
      <Notice tone={unsent > 0 ? 'warning' : 'success'}>
        {unsent > 0 ? t('kiosk.left.unsent', { count: unsent }) : t('kiosk.left.allSent')}
      </Notice>
      <button
        type="button"
        className="button-primary"
        onClick={() => {
          // A fresh page: nothing of the kiosk (its staff session included) stays in memory. A
          // whole navigation to the app's root, not a hash change: this screen's Back guard answers
          // a hash change by putting #/kiosk back, and the reload then opened "This page does not
          // exist" at #/kiosk in the patient app.
          window.location.replace(appRootUrl(window.location.href));
        }}
      >
        {t('kiosk.left.continue')}
      </button>
    </section>
  );
}

/** A forgotten PIN: staff of this clinic sign in again, online, and choose a new one. */
function ForgotPin({ config, onDone }: { config: KioskConfig; onDone(pin: string): void }) {
  const { t } = useKioskI18n();
  const [staff, setStaff] = useState<StaffIdentity | null>(null);
  return (
    <section className="kiosk-screen" aria-labelledby="kiosk-forgot-title">
      <h2 id="kiosk-forgot-title">{t('kiosk.forgot.title')}</h2>
      <Notice tone="info">{t('kiosk.forgot.intro')}</Notice>
      {staff === null ? (
        <StaffSignIn clinicId={config.clinicId} onSignedIn={setStaff} />
      ) : (
        <ChoosePin
          onChosen={(hash, pin) => {
            setKioskConfig({
              ...config,
              pin: hash,
              lockout: { failures: 0, lockedUntil: 0 },
              staffUserId: staff.userId,
              staffEmail: staff.email,
            });
            onDone(pin);
          }}
        />
      )}
    </section>
  );
}
