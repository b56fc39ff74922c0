/**
 * Turning this device into a clinic's kiosk: a staff member signs in (online, once), then chooses
 * the PIN. Saving the configuration switches the app into kiosk mode at once (app.tsx watches it).
 */
import { useEffect, useRef, useState } from 'react';
import { newKioskConfig } from '../../data/kiosk-config.ts';
import { setKioskConfig } from '../../data/kiosk-config-store.ts';
import { dayVault } from '../../data/kiosk-day-vault.ts';
import { KIOSK_DB_NAME, KioskDb } from '../../data/kiosk-db.ts';
import { dropBox } from '../../data/kiosk-drop-box.ts';
import { hasStaffSession, type StaffIdentity } from '../../data/kiosk-staff.ts';
import { useServices } from '../../data/services-context.tsx';
import { clearDeviceData, forgetSession } from '../../data/sign-out.ts';
import { saveAuthChoice } from '../../lib/device-prefs.ts';
import { useKioskI18n } from './kiosk-i18n.ts';
import './kiosk.css';
import { ChoosePin, StaffSignIn } from './staff-sign-in.tsx';
import { unlockSeal } from './use-today.ts';

export function KioskSetupScreen() {
  const { t, lang } = useKioskI18n();
  const services = useServices();
  const [staff, setStaff] = useState<StaffIdentity | null>(null);
  // Signed in here; a session already on the device (this setup reloaded before the PIN was
  // chosen) is asked about when the screen goes. Refs: read only then, not state to follow.
  const staffOnDevice = useRef(false);
  const finished = useRef(false);
  useEffect(
    () => () => {
      if (finished.current) return;
      // Left before the PIN was chosen: the staff session must not stay on as the patient app's
      // (a profile saved next was sent under it, and the server made it a walk-in of the clinic),
      // nor what its pull brought. Everyone's rows go; unsent writes stay, as at any sign-out.
      void (staffOnDevice.current ? Promise.resolve(true) : hasStaffSession(services)).then(async (staff) => {
        if (!staff) return;
        await forgetSession(await services.supabase());
        await clearDeviceData(services);
        saveAuthChoice('none');
      });
    },
    [services],
  );
  const signedIn = (identity: StaffIdentity) => {
    staffOnDevice.current = true;
    setStaff(identity);
  };
  return (
    <section className="screen kiosk-setup" aria-labelledby="kiosk-setup-title">
      <h2 id="kiosk-setup-title">{t('kiosk.setup.title')}</h2>
      <p>{t('kiosk.setup.intro')}</p>
      {staff === null ? (
        <StaffSignIn onSignedIn={signedIn} />
      ) : (
        <>
          <p>{t('kiosk.setup.clinic', { clinic: staff.clinicName, email: staff.email })}</p>
          <ChoosePin
            onChosen={async (hash, pin) => {
              // Whoever used this device before leaves nothing for the kiosk's patients to see.
              await clearDeviceData(services);
              // That took the slots the staff sign-in's drain had just pulled: pull them again now,
              // not at the first walk-in's write (who may be offline by then).
              services.engine.syncNow();
              // The key pair the patient side seals to for Today, ready before staff first unlock.
              const db = new KioskDb(KIOSK_DB_NAME);
              await unlockSeal(dayVault(db), dropBox(db), pin).dropKey;
              db.close();
              finished.current = true;
              setKioskConfig(
                newKioskConfig({
                  clinicId: staff.clinicId,
                  clinicName: staff.clinicName,
                  staffUserId: staff.userId,
                  staffEmail: staff.email,
                  pin: hash,
                  defaultLang: lang,
                }),
              );
            }}
          />
        </>
      )}
    </section>
  );
}
