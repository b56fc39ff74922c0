/**
 * The service worker's Background Sync path (Chromium): writes made offline in a tab that is then
 * closed still reach the server when the browser fires the `sync` event — dispatched here through
 * DevTools, since going back online does not fire it by itself in a test browser.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  bookFirstVideoSlot,
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  saveFailureScreenshots,
  sql,
  statusText,
} from './app-driver.ts';
import { e2e, launchBrowser, phoneContext } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async ({ task }) => {
  await saveFailureScreenshots(context, task);
  await context?.close();
});

it('drains the outbox from the service worker after the tab was closed', async () => {
  context = await phoneContext(browser);
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await eventually(async () => (await statusText(page)).startsWith('All sent'));

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
  // No tab of the app is open: nothing but the worker can send these writes.
  expect(context.pages()).toHaveLength(0);
  expect(await sql("select 1 from public.patients where full_name = 'Pooja Meena'")).toHaveLength(0);
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
