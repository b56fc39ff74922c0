/**
 * The service worker's Background Sync path (Chromium): writes made offline in a tab that is then
 * closed still reach the server when the browser fires the `sync` event (Chromium may fire it by
 * itself once back online; the test also dispatches it through DevTools so it does not depend on when).
 */
import { expect, it } from 'vitest';
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

const { phone } = browserPerFile();

it('drains the outbox from the service worker after the tab was closed', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);

  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(e2e().appUrl) && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;

  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Pooja Meena', dateOfBirth: '1995-08-09', sex: 'Female' });
  await bookFirstVideoSlot(page, 'Headache every evening');
  await page.close();

  await context.setOffline(false);
  // No tab of the app is open: nothing but the worker can send these writes. Chromium may fire the
  // sync event the page registered by itself once it is back online; the dispatch below makes sure.
  expect(context.pages()).toHaveLength(0);
  const devtools = await context.newCDPSession(await context.newPage());
  await devtools.send('ServiceWorker.enable');
  await devtools.send('ServiceWorker.dispatchSyncEvent', {
    origin: new URL(e2e().appUrl).origin,
    registrationId,
    tag: 'consult-sync',
    lastChance: false,
  });
  const rows = await eventually(async () => {
    const r = await sql<{ reason: string }>(
      `select a.reason from public.appointments a join public.patients p on p.id = a.patient_id
       where p.full_name = 'Pooja Meena'`,
    );
    return r.length > 0 ? r : undefined;
  });
  expect(rows).toEqual([{ reason: 'Headache every evening' }]);
});
