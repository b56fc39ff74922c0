/**
 * A kiosk setup left before the PIN is chosen signs the staff member out again. The staff session
 * stayed on as the patient app's: a profile saved next on the device was sent under it, and the
 * server made that person a walk-in of the clinic.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_STAFF } from '../supabase/local/demo-staff.ts';
import { eventually, fillProfile, goTo, openApp, sql, statusText } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

/** How many sessions supabase-js keeps in the page (its `consult-auth` database). */
function sessions(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('consult-auth');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').count();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result);
          };
        };
      }),
  );
}

it('signs staff out when the setup is left before the PIN, so what follows is not sent as theirs', async () => {
  const context = await phone();
  const page = await openApp(context, '#/kiosk/setup');
  await page.getByLabel('Staff email').fill(DEMO_STAFF.email);
  await page.getByLabel('Password').fill(DEMO_STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New PIN (6 digits or more)').waitFor();
  expect(await sessions(page)).toBe(1);

  // Left for the patient app.
  await goTo(page, 'Profile');
  await eventually(async () => (await sessions(page)) === 0);
  await fillProfile(page, { fullName: 'Tulsi After Setup', dateOfBirth: '1988-08-08', sex: 'Female' });
  // Kept on the device until someone signs in; never sent as the staff member's walk-in.
  await eventually(async () => /waiting/.test(await statusText(page)));
  const rows = await sql(`select 1 from public.patients where full_name = 'Tulsi After Setup'`);
  expect(rows).toEqual([]);
});

it('signs staff out when a setup reloaded before the PIN is then left', async () => {
  const context = await phone();
  const page = await openApp(context, '#/kiosk/setup');
  await page.getByLabel('Staff email').fill(DEMO_STAFF.email);
  await page.getByLabel('Password').fill(DEMO_STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New PIN (6 digits or more)').waitFor();
  await page.reload();
  await page.getByLabel('Staff email').waitFor();
  expect(await sessions(page)).toBe(1);
  await goTo(page, 'Profile');
  await eventually(async () => (await sessions(page)) === 0);
});

it("refuses a new kiosk while writes made before are queued: staff's session would send them as the clinic's", async () => {
  const context = await phone();
  const page = await openApp(context, '#/kiosk/setup');
  const signInAsStaff = async () => {
    await page.getByLabel('Staff email').fill(DEMO_STAFF.email);
    await page.getByLabel('Password').fill(DEMO_STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  await signInAsStaff();
  await page.getByLabel('New PIN (6 digits or more)').waitFor();
  // Left, signed out: a profile saved now waits on the device for its own account.
  await goTo(page, 'Profile');
  await eventually(async () => (await sessions(page)) === 0);
  await fillProfile(page, { fullName: 'Meera Before Setup', dateOfBirth: '1990-09-09', sex: 'Female' });
  await eventually(async () => /waiting/.test(await statusText(page)));

  await page.goto(`${page.url().split('#')[0]}#/kiosk/setup`);
  await signInAsStaff();
  await page.getByText('This device still holds changes that were never sent (1)').waitFor();
  // Not signed in, no PIN offered, and the profile neither sent nor lost.
  expect(await sessions(page)).toBe(0);
  expect(await page.getByLabel('New PIN (6 digits or more)').count()).toBe(0);
  expect(await sql(`select 1 from public.patients where full_name = 'Meera Before Setup'`)).toEqual([]);
  await goTo(page, 'Profile');
  await eventually(async () => /waiting/.test(await statusText(page)));
});
