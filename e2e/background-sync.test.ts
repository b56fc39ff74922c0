/**
 * The service worker's Background Sync path (Chromium): writes made offline in a tab that is then
 * closed still reach the server when the browser fires the `sync` event (Chromium may fire it by
 * itself once back online; the test also dispatches it through DevTools so it does not depend on when).
 * On a clinic kiosk, the worker pulls as the kiosk does: no appointment of the clinic's patients
 * lands on the shared tablet.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_STAFF } from '../supabase/local/demo-staff.ts';
import {
  bookFirstVideoSlot,
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile, e2e } from './browser.ts';
import { bookFirstTime, deviceData, register, setUpKiosk, tabletContext } from './kiosk-driver.ts';

const { phone, context: newContext } = browserPerFile();

/** The id of the app's service worker registration, as DevTools names it. */
async function registrationOf(context: BrowserContext, page: Page): Promise<string> {
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(e2e().appUrl) && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return registration;
}

/**
 * Fires the app's `sync` event with no tab of the app open (a blank page hosts the DevTools
 * session), as Chromium does when it is back online.
 */
async function dispatchSync(context: BrowserContext, registrationId: string): Promise<void> {
  expect(context.pages()).toHaveLength(0);
  const devtools = await context.newCDPSession(await context.newPage());
  await devtools.send('ServiceWorker.enable');
  await devtools.send('ServiceWorker.dispatchSyncEvent', {
    origin: new URL(e2e().appUrl).origin,
    registrationId,
    tag: 'consult-sync',
    lastChance: false,
  });
}

it('drains the outbox from the service worker after the tab was closed', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);
  const registrationId = await registrationOf(context, page);

  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Pooja Meena', dateOfBirth: '1995-08-09', sex: 'Female' });
  await bookFirstVideoSlot(page, 'Headache every evening');
  await page.close();

  await context.setOffline(false);
  // No tab of the app is open: nothing but the worker can send these writes. Chromium may fire the
  // sync event the page registered by itself once it is back online; the dispatch makes sure.
  await dispatchSync(context, registrationId);
  const rows = await eventually(async () => {
    const r = await sql<{ reason: string }>(
      `select a.reason from public.appointments a join public.patients p on p.id = a.patient_id
       where p.full_name = 'Pooja Meena'`,
    );
    return r.length > 0 ? r : undefined;
  });
  expect(rows).toEqual([{ reason: 'Headache every evening' }]);
});

it("on a kiosk, the worker's drain sends the walk-in's writes and brings none of the clinic's appointments", async () => {
  const context = await newContext(tabletContext);
  const page = await setUpKiosk(context);
  const registrationId = await registrationOf(context, page);
  const before = await deviceData(page);
  const cursor = (data: typeof before) =>
    JSON.stringify((data.idb['consult/meta'] ?? []).find((m) => (m as { key?: string }).key === 'cursor'));

  await context.setOffline(true);
  await register(page, { fullName: 'Sunita Yadav', dateOfBirth: '1979-11-21', sex: 'Female' });
  await bookFirstTime(page, 'Back pain since a fall');
  await page.close();
  // Meanwhile, an appointment at the kiosk's clinic that the tablet did not make, after its last
  // pull: the staff session may read it (Today is read online), but a kiosk keeps none it did not
  // write, so its next pull must not bring it.
  const [other] = await sql<{ id: string }>(
    `with p as (
       insert into public.patients (id, clinic_id, full_name, date_of_birth, sex, preferred_language)
       values (gen_random_uuid(), $1, 'Kamla Devi', '1961-02-03', 'female', 'hi') returning id),
     s as (
       insert into public.slots (doctor_id, starts_at, ends_at, mode)
       select d.id, now() + interval '3 hours', now() + interval '3 hours 15 minutes', 'in_person'
         from public.doctors d where d.name = 'Dr. Anjali Verma' returning *)
     insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
     select gen_random_uuid(), p.id, s.doctor_id, s.id, s.starts_at, s.ends_at, s.mode, 'Knee pain', 'requested'
       from p, s returning id`,
    [DEMO_STAFF.clinicId],
  );
  expect(other?.id).toBeDefined();

  await context.setOffline(false);
  await dispatchSync(context, registrationId);
  await eventually(async () => {
    const r = await sql(
      `select 1 from public.appointments a join public.patients p on p.id = a.patient_id
        where p.full_name = 'Sunita Yadav' and a.reason = 'Back pain since a fall'`,
    );
    return r.length === 1;
  }, 30_000);
  // The drain's pull (after the kiosk's catch-up pause) moved the cursor: what it brought is stored.
  // Read from a page of the app's origin that is not the app, so the kiosk's sweep does not run.
  const reader = await context.newPage();
  await reader.goto(new URL('favicon.svg', e2e().appUrl).href);
  const after = await eventually(async () => {
    const data = await deviceData(reader);
    return (data.idb['consult/outbox'] ?? []).length === 0 && cursor(data) !== cursor(before) && data;
  }, 30_000);
  const appointments = JSON.stringify(after.idb['consult/appointments'] ?? []);
  expect(appointments).not.toContain(String(other?.id));
  expect(appointments).not.toContain('Knee pain');
});
