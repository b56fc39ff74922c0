/**
 * The staff queue's "needs attention" with its fix, at tablet size against the local stack: two
 * kiosks of one clinic book the same time, one of them offline; when it reconnects the server
 * refuses its booking (slot taken), the queue says why, and staff pick another time for the patient.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { eventually, sql } from './app-driver.ts';
import { launchBrowser, saveFailureScreenshots } from './browser.ts';
import { bookFirstTime, deviceData, openStaff, register, setUpKiosk, tabletContext } from './kiosk-driver.ts';

let browser: Browser;
const open: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(async ({ task }) => {
  for (const context of open.splice(0)) {
    await saveFailureScreenshots(context, task);
    await context.close();
  }
});
afterAll(async () => {
  await browser?.close();
});

async function kioskWithSlots() {
  const context = await tabletContext(browser);
  open.push(context);
  const page = await setUpKiosk(context);
  await eventually(async () => ((await deviceData(page)).idb['consult/slots']?.length ?? 0) > 0, 30_000);
  return { context, page };
}

async function slotOf(fullName: string): Promise<string | undefined> {
  const rows = await sql<{ slot_id: string }>(
    `select a.slot_id from public.appointments a join public.patients p on p.id = a.patient_id
      where p.full_name = $1`,
    [fullName],
  );
  return rows[0]?.slot_id;
}

it('shows a refused booking with its reason, and staff book another time for the patient', async () => {
  const a = await kioskWithSlots();
  const b = await kioskWithSlots();

  await a.context.setOffline(true);
  await register(a.page, { fullName: 'Devika Joshi', dateOfBirth: '1995-02-14', sex: 'Female' });
  await bookFirstTime(a.page, 'Headache every morning');
  await a.page.getByRole('button', { name: 'Done' }).click();

  // The other kiosk, online, books the same first free time and reaches the server first.
  await register(b.page, { fullName: 'Eshan Malik', dateOfBirth: '1988-06-21', sex: 'Male' });
  await bookFirstTime(b.page, 'Back pain');
  const taken = await eventually(() => slotOf('Eshan Malik'));

  await a.context.setOffline(false);
  await openStaff(a.page);
  const refused = a.page.getByText('Needs attention: this time was booked by someone else');
  await refused.waitFor({ timeout: 30_000 });
  // The registration went through; only the booking waits for a fix.
  await expect(
    sql('select 1 from public.patients where full_name = $1', ['Devika Joshi']),
  ).resolves.toHaveLength(1);
  // Only the booking is left in the queue: the registration, sent, has left it. Its item going
  // moves the booking's up, so the tap on Fix waits for that (pressed before, released after, it
  // would land on nothing).
  await a.page.locator('.kiosk-queue-item').nth(1).waitFor({ state: 'detached' });
  await a.page.getByRole('button', { name: 'Fix' }).click();
  await a.page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check();
  await a.page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await a.page.getByRole('button', { name: 'Book this time instead' }).click();

  const rebooked = await eventually(() => slotOf('Devika Joshi'), 30_000);
  expect(rebooked).not.toBe(taken);
  await a.page
    .getByText('Nothing is waiting: everything has reached the clinic.')
    .waitFor({ timeout: 30_000 });
});
